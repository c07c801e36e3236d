/**
 * Progress of long downloads: a line rewritten in place on a terminal, an updating display in a
 * Jupyter notebook (Deno kernel), or the caller's own callback.
 *
 * @module
 */

import { escapeHtml } from "../display/mod.ts";

/** One finished step of a multi-step download. */
export interface ProgressEvent {
  /** Steps finished so far. */
  done: number;
  /** Steps in total. */
  total: number;
  /** What the step fetched (a ticker or dataset name). */
  item: string;
  /** Whether the step succeeded. */
  ok: boolean;
}

/** `true`/`false` to force the built-in display on or off, or a callback of your own. */
export type ProgressOption = boolean | ((event: ProgressEvent) => void);

/** The part of `Deno.jupyter` used here: sending a message to the notebook. */
export interface JupyterBroadcast {
  /**
   * Sends an IOPub message (e.g. "display_data") with `content` to the notebook. Deno 2.9 sends
   * it synchronously and returns nothing; older kernels returned a promise.
   */
  broadcast(type: string, content: Record<string, unknown>): unknown;
}

/** Where progress can be shown; found by {@link detectProgressSinks}, replaced in tests. */
export interface ProgressSinks {
  /** The notebook kernel, when the code runs in `deno jupyter`. */
  kernel?: JupyterBroadcast;
  /** Writes to an interactive terminal (stderr), when there is one. */
  terminal?: (text: string) => void;
}

/**
 * The Deno kernel runs cells as the module `$deno$jupyter_repl.mts`. `Deno.jupyter` is a getter
 * that throws outside `deno jupyter`, so it is read only when the main module says we are in it.
 */
function jupyterKernel(): JupyterBroadcast | undefined {
  let main: string;
  try {
    main = Deno.mainModule;
  } catch {
    return undefined;
  }
  if (!/\$deno\$jupyter/.test(main)) return undefined;
  try {
    return (Deno as unknown as { jupyter?: JupyterBroadcast }).jupyter;
  } catch {
    return undefined;
  }
}

/** Whether the code runs in Deno's Jupyter kernel (`deno jupyter`). */
export function inJupyterKernel(): boolean {
  return jupyterKernel() !== undefined;
}

function stderrIsTerminal(): boolean {
  try {
    return Deno.stderr.isTerminal();
  } catch {
    return false;
  }
}

/** The notebook kernel and the terminal, where present. */
export function detectProgressSinks(): ProgressSinks {
  const kernel = jupyterKernel();
  if (kernel) return { kernel };
  if (!stderrIsTerminal()) return {};
  const encoder = new TextEncoder();
  return { terminal: (text) => Deno.stderr.writeSync(encoder.encode(text)) };
}

function line(event: ProgressEvent, label: string): string {
  const width = 20;
  const filled = Math.round((event.done / event.total) * width);
  return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ` +
    `${event.done}/${event.total} ${event.item}${event.ok ? "" : " (failed)"}`;
}

function html(event: ProgressEvent, label: string): string {
  return `<div style="font-family:monospace">${escapeHtml(label)} ` +
    `<progress value="${event.done}" max="${event.total}"></progress> ` +
    `${event.done}/${event.total} ${escapeHtml(event.item)}${event.ok ? "" : " (failed)"}</div>`;
}

/**
 * Returns the progress callback for `total` steps. By default progress is shown only for more
 * than one step, and only where someone can see it: in a notebook one display that updates in
 * place (a progress bar), on a terminal one line rewritten in place. `sinks` defaults to what
 * {@link detectProgressSinks} finds.
 *
 * @example A notebook display that updates in place
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressReporter } from "./progress.ts";
 * const sent: string[] = [];
 * const kernel = { broadcast: (type: string) => void sent.push(type) };
 * const report = progressReporter(2, undefined, "prices", { kernel });
 * report({ done: 1, total: 2, item: "VBR", ok: true });
 * report({ done: 2, total: 2, item: "SPY", ok: true });
 * assert.ok(sent.join() === "display_data,update_display_data");
 * ```
 */
export function progressReporter(
  total: number,
  option: ProgressOption | undefined,
  label: string,
  sinks: ProgressSinks = detectProgressSinks(),
): (event: ProgressEvent) => void {
  if (typeof option === "function") return option;
  if (option === false || (option === undefined && total <= 1)) return () => {};
  const { kernel, terminal } = sinks;
  // The last update names no ticker (whichever finished last varies from run to run), so
  // a saved notebook reads the same after every run: "3/3 done" or "3/3 done, 1 failed".
  let failed = 0;
  const settle = (event: ProgressEvent): ProgressEvent => {
    if (!event.ok) failed++;
    if (event.done < event.total) return event;
    return { ...event, ok: true, item: failed ? `done, ${failed} failed` : "done" };
  };
  if (kernel) {
    const displayId = `factorlab-progress-${crypto.randomUUID()}`;
    let first = true;
    return (raw) => {
      const event = settle(raw);
      const type = first ? "display_data" : "update_display_data";
      first = false;
      // A display that fails must not fail the download it reports on.
      try {
        const sent = kernel.broadcast(type, {
          data: { "text/plain": line(event, label), "text/html": html(event, label) },
          metadata: {},
          transient: { display_id: displayId },
        });
        if (sent instanceof Promise) sent.catch(() => {});
      } catch {
        // Nothing to show it on; the work goes on.
      }
    };
  }
  if (!terminal) return () => {};
  return (raw) => {
    const event = settle(raw);
    const end = event.done === event.total ? "\n" : "";
    try {
      terminal(`\r\x1b[2K${line(event, label)}${end}`);
    } catch {
      // A closed terminal must not fail the download.
    }
  };
}
