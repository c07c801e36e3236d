import assert from "node:assert/strict";
import { detectProgressSinks, type ProgressEvent, progressReporter } from "../lib/data/progress.ts";

const steps: ProgressEvent[] = [
  { done: 1, total: 3, item: "VBR", ok: true },
  { done: 2, total: 3, item: "NOPE", ok: false },
  { done: 3, total: 3, item: "SPY", ok: true },
];

Deno.test("outside a notebook no kernel is found and Deno.jupyter is never read", () => {
  // Deno.jupyter throws outside `deno jupyter`; the test runner is such a place.
  assert.throws(() => (Deno as unknown as { jupyter: unknown }).jupyter, /deno jupyter/);
  assert.equal(detectProgressSinks().kernel, undefined);
});

Deno.test("in a notebook progress is one display updated in place, as text and as a bar", () => {
  const sent: { type: string; content: Record<string, unknown> }[] = [];
  // Like Deno.jupyter.broadcast in Deno 2.9: sends at once and returns undefined.
  const kernel = {
    broadcast: (type: string, content: Record<string, unknown>) => {
      sent.push({ type, content });
    },
  };
  const report = progressReporter(3, undefined, "prices", { kernel });
  for (const step of steps) report(step);
  assert.deepEqual(sent.map((m) => m.type), [
    "display_data",
    "update_display_data",
    "update_display_data",
  ]);
  const ids = new Set(sent.map((m) => (m.content.transient as { display_id: string }).display_id));
  assert.equal(ids.size, 1);
  const data = sent.map((m) => m.content.data as Record<string, string>);
  assert.equal(data[0]["text/plain"], "prices [#######.............] 1/3 VBR");
  assert.equal(data[1]["text/plain"], "prices [#############.......] 2/3 NOPE (failed)");
  // The last update names no ticker, so a saved notebook reads the same after every run.
  assert.match(
    data[2]["text/html"],
    /<progress value="3" max="3"><\/progress> 3\/3 done, 1 failed/,
  );
  assert.equal(data[2]["text/plain"], "prices [####################] 3/3 done, 1 failed");
});

Deno.test("a display that fails does not fail the work it reports on", async () => {
  const throwing = {
    broadcast: () => {
      throw new Error("kernel gone");
    },
  };
  const rejecting = { broadcast: () => Promise.reject(new Error("kernel gone")) };
  for (const kernel of [throwing, rejecting]) {
    const report = progressReporter(3, undefined, "prices", { kernel });
    for (const step of steps) report(step);
  }
  const terminal = () => {
    throw new Deno.errors.BrokenPipe("closed");
  };
  progressReporter(3, true, "prices", { terminal })(steps[0]);
  // A rejected promise left unhandled would fail this test once the microtasks run.
  await new Promise((resolve) => setTimeout(resolve, 0));
});

Deno.test("on a terminal progress rewrites one line and ends it when done", () => {
  const written: string[] = [];
  const report = progressReporter(3, true, "prices", { terminal: (t) => written.push(t) });
  for (const step of steps) report(step);
  assert.deepEqual(written, [
    "\r\x1b[2Kprices [#######.............] 1/3 VBR",
    "\r\x1b[2Kprices [#############.......] 2/3 NOPE (failed)",
    "\r\x1b[2Kprices [####################] 3/3 done, 1 failed\n",
  ]);
});

Deno.test("progress is off for one step, when turned off, or with nowhere to show it", () => {
  const written: string[] = [];
  const terminal = (t: string) => written.push(t);
  progressReporter(1, undefined, "prices", { terminal })(steps[0]);
  progressReporter(3, false, "prices", { terminal })(steps[0]);
  progressReporter(3, true, "prices", {})(steps[0]);
  assert.deepEqual(written, []);
  const mine: ProgressEvent[] = [];
  progressReporter(3, (e) => mine.push(e), "prices", { terminal })(steps[1]);
  assert.deepEqual(mine, [steps[1]]);
  assert.deepEqual(written, []);
});
