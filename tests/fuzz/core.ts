/**
 * The bookkeeping of the fuzzing harness: a seeded random source, and a tally per class of
 * inputs that sorts every outcome into accepted (and checked against an oracle), refused with a
 * typed error, untyped crash, hang, silently wrong result or silent data loss.
 *
 * @module
 */

import { FactorlabError } from "../../lib/errors.ts";

/** A seeded pseudo-random source (mulberry32): the same seed gives the same inputs. */
export class Rng {
  #state: number;
  /** Starts the sequence of `seed`. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** What an oracle says of an accepted input. */
export type Verdict = { ok: true } | { wrong: string } | { loss: string };

/** The verdict for an accepted input that is right. */
export const OK: Verdict = { ok: true };

/** Counts of one class of inputs. */
export interface Tally {
  /** The class ("french-csv", "http", …). */
  name: string;
  /** Inputs tried. */
  tried: number;
  /** Accepted, and the oracle agreed with the result. */
  accepted: number;
  /** Refused with a FactorlabError. */
  refused: number;
  /** Failed with an error that is not a FactorlabError. */
  untyped: number;
  /** Took longer than the time bound. */
  hangs: number;
  /** Accepted with a result that differs from what the input holds. */
  silentWrong: number;
  /** Accepted with data missing, or a good download or cache entry lost. */
  dataLoss: number;
  /** The first few failures, for the report. */
  failures: string[];
}

/** A new, empty tally. */
export function tally(name: string): Tally {
  return {
    name,
    tried: 0,
    accepted: 0,
    refused: 0,
    untyped: 0,
    hangs: 0,
    silentWrong: 0,
    dataLoss: 0,
    failures: [],
  };
}

const HANG = Symbol("hang");

function note(t: Tally, message: string): void {
  if (t.failures.length < 10) t.failures.push(message);
}

/**
 * Runs one input: `run` returns the oracle's verdict on an accepted input, or throws. An input
 * that takes longer than `limitMs` is a hang (a synchronous step that overruns is one too).
 */
export async function attempt(
  t: Tally,
  label: string,
  run: () => Verdict | Promise<Verdict>,
  limitMs: number,
): Promise<void> {
  t.tried++;
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const outcome = await Promise.race([
      Promise.resolve().then(run),
      new Promise<typeof HANG>((resolve) => timer = setTimeout(() => resolve(HANG), limitMs)),
    ]);
    if (outcome === HANG || performance.now() - started > limitMs) {
      t.hangs++;
      note(t, `hang: ${label} (over ${limitMs} ms)`);
    } else if ("ok" in outcome) {
      t.accepted++;
    } else if ("wrong" in outcome) {
      t.silentWrong++;
      note(t, `silently wrong: ${label}: ${outcome.wrong}`);
    } else {
      t.dataLoss++;
      note(t, `data loss: ${label}: ${outcome.loss}`);
    }
  } catch (error) {
    if (performance.now() - started > limitMs) {
      t.hangs++;
      note(t, `hang: ${label} (over ${limitMs} ms before failing)`);
    } else if (error instanceof FactorlabError) {
      t.refused++;
    } else {
      t.untyped++;
      note(t, `untyped: ${label}: ${(error as Error)?.stack ?? error}`);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** The four counts that must be 0, over all classes. */
export function totals(tallies: Tally[]): {
  tried: number;
  untyped: number;
  hangs: number;
  silentWrong: number;
  dataLoss: number;
} {
  const sum = (f: (t: Tally) => number) => tallies.reduce((s, t) => s + f(t), 0);
  return {
    tried: sum((t) => t.tried),
    untyped: sum((t) => t.untyped),
    hangs: sum((t) => t.hangs),
    silentWrong: sum((t) => t.silentWrong),
    dataLoss: sum((t) => t.dataLoss),
  };
}

/** A table of the tallies and the closing summary line. */
export function formatSummary(tallies: Tally[], seed: number): string {
  const rows = tallies.map((t) =>
    `${t.name.padEnd(16)} ${String(t.tried).padStart(6)} tried ${
      String(t.accepted).padStart(6)
    } accepted ${
      String(t.refused).padStart(6)
    } refused (typed)  untyped ${t.untyped}  hangs ${t.hangs}  silent-wrong ${t.silentWrong}  data-loss ${t.dataLoss}`
  );
  const failures = tallies.flatMap((t) => t.failures.map((f) => `  [${t.name}] ${f}`));
  const all = totals(tallies);
  return [
    ...rows,
    ...(failures.length ? ["failures:", ...failures] : []),
    `factorlab fuzz (deno task fuzz; docs/development.md), seed ${seed}: ${all.tried} inputs, ` +
    `untyped crashes ${all.untyped}, hangs ${all.hangs}, silent-wrong ${all.silentWrong}, ` +
    `data-loss ${all.dataLoss}`,
  ].join("\n");
}
