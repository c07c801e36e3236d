/**
 * Progress of long downloads: a line rewritten in place on a terminal, an updating display in a
 * Jupyter notebook (Deno kernel), or the caller's own callback.
 *
 * @module
 */

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

interface JupyterBroadcast {
  broadcast(type: string, content: Record<string, unknown>): Promise<void>;
}

function jupyter(): JupyterBroadcast | undefined {
  return (Deno as unknown as { jupyter?: JupyterBroadcast }).jupyter;
}

function stderrIsTerminal(): boolean {
  try {
    return Deno.stderr.isTerminal();
  } catch {
    return false;
  }
}

function line(event: ProgressEvent, label: string): string {
  const width = 20;
  const filled = Math.round((event.done / event.total) * width);
  return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ` +
    `${event.done}/${event.total} ${event.item}${event.ok ? "" : " (failed)"}`;
}

/**
 * Returns the progress callback for `total` steps. By default progress is shown only for more
 * than one step, and only where someone can see it (a terminal or a notebook).
 */
export function progressReporter(
  total: number,
  option: ProgressOption | undefined,
  label: string,
): (event: ProgressEvent) => void {
  if (typeof option === "function") return option;
  if (option === false || (option === undefined && total <= 1)) return () => {};
  const kernel = jupyter();
  if (kernel) {
    const displayId = `factorlab-progress-${crypto.randomUUID()}`;
    let first = true;
    return (event) => {
      const type = first ? "display_data" : "update_display_data";
      first = false;
      kernel.broadcast(type, {
        data: { "text/plain": line(event, label) },
        metadata: {},
        transient: { display_id: displayId },
      }).catch(() => {});
    };
  }
  if (!stderrIsTerminal()) return () => {};
  const encoder = new TextEncoder();
  return (event) => {
    const end = event.done === event.total ? "\n" : "";
    Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${line(event, label)}${end}`));
  };
}
