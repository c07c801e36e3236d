/**
 * Imports inside lib/ run one way, from the layers that render and combine down to the ones that
 * fetch and compute. A module may import its own layer and the layers below it, never above.
 */

import assert from "node:assert/strict";

const LIB = new URL("../lib/", import.meta.url);

/**
 * Lowest first: the foundation (errors, the danfojs frame shape, safe file writes, pinned npm
 * packages, display: tables, summaries, number formatting); data (sources, cache); pipeline
 * (inputs to one aligned panel, polars helpers); stats (estimators on plain arrays, which render
 * through display); report (factor report, interpretation, frame tables) and plot (figures of
 * plain numbers), side by side; models (analyze and analyzeMany, on top of all); setup (the
 * notebooks' first cell).
 */
const LAYERS = [
  ["errors.ts", "frame_like.ts"],
  ["files.ts"],
  ["deps"],
  ["display"],
  ["data"],
  ["pipeline"],
  ["stats"],
  ["report", "plot"],
  ["models"],
  ["setup.ts"],
];

function layerOf(url: URL): number {
  const rest = url.href.slice(LIB.href.length);
  const top = rest.includes("/") ? rest.slice(0, rest.indexOf("/")) : rest;
  const layer = LAYERS.findIndex((names) => names.includes(top));
  if (layer < 0) throw new Error(`lib/${rest} is in no layer: add "${top}" to LAYERS`);
  return layer;
}

async function* modules(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* modules(url);
    else if (entry.name.endsWith(".ts")) yield url;
  }
}

/**
 * The relative specifiers of a module's static imports and re-exports (`import … from "./x"`,
 * `export … from "./x"`, `import "./x"`): statement by statement, so a class declaration followed by
 * a documentation example that imports is not read as one import.
 */
function relativeImports(text: string): string[] {
  const clause = String
    .raw`(?:type\s+)?(?:[\w$]+\s*,\s*)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\}|[\w$]+)`;
  const statement = new RegExp(
    String.raw`^(?:import|export)\s+${clause}\s+from\s+"(\.[^"]+)"|^import\s+"(\.[^"]+)"`,
    "gm",
  );
  return [...text.matchAll(statement)].map((m) => m[1] ?? m[2]);
}

Deno.test("no module of lib/ imports from a layer above its own", async () => {
  const upward: string[] = [];
  let checked = 0;
  for await (const file of modules(LIB)) {
    const text = await Deno.readTextFile(file);
    for (const specifier of relativeImports(text)) {
      const target = new URL(specifier, file);
      checked++;
      if (layerOf(target) > layerOf(file)) {
        upward.push(`${file.href.slice(LIB.href.length)} imports ${specifier}`);
      }
    }
  }
  assert.ok(checked > 200, `only ${checked} imports read: the scan is broken`);
  assert.deepEqual(upward, []);
});

Deno.test("the layering test sees an upward import", () => {
  const from = new URL("stats/ols.ts", LIB);
  assert.ok(layerOf(new URL("../models/analysis.ts", from)) > layerOf(from));
  assert.ok(layerOf(new URL("../errors.ts", from)) < layerOf(from));
  assert.ok(layerOf(new URL("../report/factor_report.ts", from)) > layerOf(from));
  assert.ok(layerOf(new URL("../display/summary.ts", from)) < layerOf(from));
});

Deno.test("the layering test reads import statements, not declarations before an example", () => {
  const text = [
    'import { a, type B } from "./a.ts";',
    'import type { C } from "../c.ts";',
    'export * from "./d.ts";',
    'import e, { f } from "./e.ts";',
    'import "./g.ts";',
    "export class X extends Y {}",
    "/**",
    ' * import { z } from "./z.ts";',
    " */",
    'import { h } from "npm:h@1";',
  ].join("\n");
  assert.deepEqual(relativeImports(text), ["./a.ts", "../c.ts", "./d.ts", "./e.ts", "./g.ts"]);
});
