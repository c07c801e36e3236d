/**
 * Pacing of requests to one service: at most a few at a time, and starts spaced by a jittered
 * minimum interval, shared by every caller in the process (several tickers, several notebooks
 * cells), so a burst of downloads never reaches the service as a burst.
 *
 * @module
 */

import { sleep } from "./http.ts";

/** How requests to one service are paced. */
export interface PaceOptions {
  /** Requests in flight at once (default 2). */
  concurrency?: number;
  /** Least time between two request starts, in ms (default 200). */
  minIntervalMs?: number;
  /** Each interval is lengthened by up to this share of itself, at random (default 0.5). */
  jitter?: number;
}

/** The time source of a {@link Pacer}: the system's, or a test's own. */
export interface PaceClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds (or rejects when `signal` aborts). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const SYSTEM_CLOCK: PaceClock = { now: () => Date.now(), sleep };

/**
 * Runs tasks with bounded concurrency and spaced starts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Pacer } from "./pacing.ts";
 * const pacer = new Pacer({ concurrency: 1, minIntervalMs: 5 });
 * let running = 0;
 * let most = 0;
 * const task = () =>
 *   pacer.run(async () => {
 *     most = Math.max(most, ++running);
 *     await new Promise((resolve) => setTimeout(resolve, 2));
 *     running--;
 *   });
 * await Promise.all([task(), task(), task()]);
 * assert.ok(most === 1);
 * ```
 */
export class Pacer {
  readonly #concurrency: number;
  readonly #minIntervalMs: number;
  readonly #jitter: number;
  #active = 0;
  #nextStart = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #clock: PaceClock;

  /**
   * Creates a pacer; see {@link PaceOptions} for the defaults.
   *
   * @param options Concurrency, interval and jitter.
   * @param clock The time source (the system's by default).
   */
  constructor(options: PaceOptions = {}, clock: PaceClock = SYSTEM_CLOCK) {
    this.#clock = clock;
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
    this.#minIntervalMs = Math.max(0, options.minIntervalMs ?? 200);
    this.#jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  }

  /** Runs `task` when a slot is free and its start time has come; resolves with its result. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    while (this.#active >= this.#concurrency) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#active++;
    try {
      // Start times are handed out in order, so spacing holds however many callers wait.
      const start = Math.max(this.#clock.now(), this.#nextStart);
      this.#nextStart = start + this.#minIntervalMs * (1 + this.#jitter * Math.random());
      const wait = start - this.#clock.now();
      if (wait > 0) await this.#clock.sleep(wait, signal);
      return await task();
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }
}

const pacers = new Map<string, Pacer>();

/**
 * The process-wide pacer of a service (`key`, e.g. "yahoo") with these options: every caller
 * asking for the same service and options shares one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pacerFor } from "./pacing.ts";
 * assert.ok(pacerFor("example", { concurrency: 1 }) === pacerFor("example", { concurrency: 1 }));
 * ```
 */
export function pacerFor(key: string, options: PaceOptions = {}): Pacer {
  const id = `${key}|${options.concurrency}|${options.minIntervalMs}|${options.jitter}`;
  let pacer = pacers.get(id);
  if (pacer === undefined) {
    pacer = new Pacer(options);
    pacers.set(id, pacer);
  }
  return pacer;
}
