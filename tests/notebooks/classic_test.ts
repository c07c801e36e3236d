import assert from "node:assert/strict";
import { plotlyPieces } from "../../lib/plot/plotly_js.ts";
import {
  type CellObservation,
  cellSignature,
  figureCount,
  frameBytes,
  MAX_MESSAGE_BYTES,
  misplacedOutputs,
  notebookOutputs,
  type OutputSummary,
  parseOptions,
  resultTable,
  type RunResult,
  shortfalls,
  summarizeRun,
  warnings,
} from "./classic.ts";
import { type Notebook, PLOTLY_MIME } from "./notebook.ts";

const figure: OutputSummary = {
  output_type: "execute_result",
  mimes: [PLOTLY_MIME, "text/html", "text/plain"],
  htmlHead: '<div id="fig">',
};
const table: OutputSummary = {
  output_type: "execute_result",
  mimes: ["text/html", "text/plain"],
  htmlHead: "<table>",
};
const piece: OutputSummary = {
  output_type: "display_data",
  mimes: ["text/html"],
  htmlHead: plotlyPieces()[0].html.slice(0, 200),
};
const stdout = (): OutputSummary => ({ output_type: "stream", name: "stdout" });

function cell(outputs: OutputSummary[], drawn = 0, prompt: number | string | null = 1) {
  return { prompt, hasCode: true, outputs, drawn } satisfies CellObservation;
}

Deno.test("cellSignature names bundles by their main MIME type and leaves plotly.js pieces out", () => {
  assert.deepEqual(cellSignature([piece, piece, figure, stdout(), stdout(), table]), [
    `execute_result:${PLOTLY_MIME}`,
    "execute_result:text/html",
    "stream:stdout",
  ]);
  assert.deepEqual(cellSignature([{ output_type: "error", ename: "TypeError" }]), ["error"]);
  assert.deepEqual(cellSignature([]), []);
});

Deno.test("a piece is recognised by its metadata even when its HTML is not sent back", () => {
  assert.equal(figureCount([{ ...figure }, { ...piece, htmlHead: "", piece: true }]), 1);
  assert.deepEqual(cellSignature([{ ...piece, htmlHead: "", piece: true }]), []);
});

Deno.test("misplacedOutputs reports a result that moved to the next cell", () => {
  const reference = [[table], [table], [figure]];
  const moved = [cell([]), cell([table, table]), cell([figure], 1)];
  assert.deepEqual(misplacedOutputs(reference, moved), [
    { text: "code cell 1: expected [execute_result:text/html], the page shows []", figure: false },
    {
      text: "code cell 2: expected [execute_result:text/html], the page shows " +
        "[execute_result:text/html, execute_result:text/html]",
      figure: false,
    },
  ]);
  assert.deepEqual(misplacedOutputs(reference, [cell([table]), cell([table]), cell([figure])]), []);
  assert.deepEqual(misplacedOutputs(reference, [cell([table])]), [
    { text: "the page has 1 code cells, the notebook file 3", figure: true },
  ]);
});

Deno.test("misplacedOutputs marks the cells a figure left or landed in as figure problems", () => {
  const reference = [[figure], [table]];
  const moved = misplacedOutputs(reference, [cell([]), cell([figure, table], 1)]);
  assert.deepEqual(moved.map((m) => m.figure), [true, true]);
  assert.match(
    moved[1].text,
    /^code cell 2: expected \[execute_result:text\/html\], the page shows/,
  );
});

Deno.test("notebookOutputs reads a committed notebook's code cells, figures and pieces", () => {
  const notebook: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", source: "# title", metadata: {} },
      {
        cell_type: "code",
        source: "chart",
        metadata: {},
        execution_count: 1,
        outputs: [
          {
            output_type: "display_data",
            data: { "text/html": ["<script>", "x</script>"] },
            metadata: { factorlab_plotly_piece: { part: 1, parts: 9 } },
          },
          {
            output_type: "execute_result",
            data: { [PLOTLY_MIME]: {}, "image/png": "iVBOR", "text/plain": "Figure" },
            metadata: {},
            execution_count: 1,
          },
        ],
      },
      { cell_type: "code", source: "", metadata: {}, execution_count: null, outputs: [] },
    ],
  };
  const outputs = notebookOutputs(notebook);
  assert.equal(outputs.length, 2);
  assert.equal(outputs[0][0].piece, true);
  assert.equal(outputs[0][0].htmlHead, "<script>x</script>");
  assert.deepEqual(cellSignature(outputs[0]), [`execute_result:${PLOTLY_MIME}`]);
  assert.equal(figureCount(outputs[0]), 1);
  assert.deepEqual(outputs[1], []);
});

Deno.test("frameBytes counts text frames in UTF-8 and binary frames as decoded base64", () => {
  assert.equal(frameBytes({ opcode: 1, payloadData: "abc" }), 3);
  assert.equal(frameBytes({ opcode: 1, payloadData: "é€" }), 5);
  assert.equal(frameBytes({ opcode: 2, payloadData: btoa("hello") }), 5);
  assert.equal(frameBytes({ opcode: 2, payloadData: btoa("hell") }), 4);
  assert.equal(frameBytes({ opcode: 2, payloadData: btoa("hel") }), 3);
  assert.equal(frameBytes({}), 0);
});

const base = { notebook: "01.ipynb", run: 1, largestMessage: 600_000, messages: 80, seconds: 42 };

Deno.test("summarizeRun counts cells run, figures expected, received and drawn, and errors", () => {
  const reference = [[table], [figure], [figure, stdout()], []];
  const cells = [
    cell([table]),
    cell([piece, figure], 1),
    cell([figure, stdout()], 0),
    { ...cell([{ output_type: "error", ename: "TypeError", evalue: "x is undefined" }]) },
    { prompt: null, hasCode: false, outputs: [], drawn: 0 },
  ];
  const result = summarizeRun(base, reference, cells);
  assert.equal(result.codeCells, 4);
  assert.equal(result.executed, 4);
  assert.equal(result.figuresExpected, 2);
  assert.equal(result.figuresReceived, 2);
  assert.equal(result.figuresDrawn, 1);
  assert.deepEqual(result.errors, ["code cell 4: TypeError: x is undefined"]);
  assert.deepEqual(result.misplaced, [
    { text: "the page has 5 code cells, the notebook file 4", figure: true },
    { text: "code cell 4: expected [], the page shows [error]", figure: false },
  ]);
});

function passing(): RunResult {
  return {
    ...base,
    codeCells: 10,
    executed: 10,
    figuresExpected: 3,
    figuresReceived: 3,
    figuresDrawn: 3,
    errors: [],
    misplaced: [],
  };
}

Deno.test("shortfalls is empty for a complete run and names every kind of shortfall", () => {
  assert.deepEqual(shortfalls(passing()), []);
  assert.deepEqual(
    shortfalls({
      ...passing(),
      failure: "timed out after 1200 s waiting for the run",
      executed: 7,
      figuresDrawn: 1,
      figuresReceived: 2,
      errors: ["code cell 3: Error: boom"],
      misplaced: [
        { text: "code cell 4: expected [], the page shows [stream:stdout]", figure: false },
        { text: "code cell 5: expected [], the page shows [figure]", figure: true },
      ],
      largestMessage: MAX_MESSAGE_BYTES,
    }),
    [
      "timed out after 1200 s waiting for the run",
      "3 of 10 code cells not run",
      "1 of 3 figures drawn",
      "2 figure outputs received, the notebook has 3",
      "error output: code cell 3: Error: boom",
      "figures differ: code cell 5: expected [], the page shows [figure]",
      `a message of ${MAX_MESSAGE_BYTES} bytes reached the page (limit ${MAX_MESSAGE_BYTES})`,
    ],
  );
  assert.deepEqual(shortfalls({ ...passing(), largestMessage: MAX_MESSAGE_BYTES - 1 }), []);
});

Deno.test("outputs other than figures under another cell are warnings, not shortfalls", () => {
  const run = {
    ...passing(),
    misplaced: [{
      text: "code cell 7: expected [execute_result:text/html], the page shows []",
      figure: false,
    }],
  };
  assert.deepEqual(shortfalls(run), []);
  assert.deepEqual(warnings(run), [
    "outputs differ: code cell 7: expected [execute_result:text/html], the page shows []",
  ]);
  assert.deepEqual(warnings(passing()), []);
});

Deno.test("resultTable prints one aligned row per run with its verdict", () => {
  const lines = resultTable([passing(), {
    ...passing(),
    run: 2,
    figuresDrawn: 2,
    misplaced: [{ text: "x", figure: false }, { text: "y", figure: true }],
  }]);
  assert.equal(lines.length, 4);
  assert.ok(lines.every((line) => line.length === lines[0].length));
  assert.match(
    lines[2],
    /\| 01\.ipynb \| 1 +\| 10\/10 +\| 3\/3 .*\| 586 KB .*\| 42\.0 s \| ok +\|$/,
  );
  assert.match(lines[3], /\| 2 +\| 10\/10 +\| 2\/3 +\| 0 +\| 2 \(1\) .*\| FAIL +\|$/);
});

Deno.test("parseOptions reads runs, the time limit and prefixes, and rejects bad numbers", () => {
  assert.deepEqual(parseOptions([]), { runs: 3, timeoutMs: 20 * 60_000, prefixes: [] });
  assert.deepEqual(parseOptions(["--runs", "5", "01", "--timeout-minutes=2", "03"]), {
    runs: 5,
    timeoutMs: 120_000,
    prefixes: ["01", "03"],
  });
  assert.throws(() => parseOptions(["--runs", "0"]), /--runs needs a positive whole number, got 0/);
  assert.throws(() => parseOptions(["--runs"]), /got nothing/);
  assert.throws(() => parseOptions(["--run=2"]), /unknown option --run=2/);
});
