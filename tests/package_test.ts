/**
 * The package as others import it: pinned npm specifiers that agree with deno.json, entry points
 * that load only what they need, and the files a registry needs.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))) as {
  name: string;
  version: string;
  license: string;
  exports: Record<string, string>;
  imports: Record<string, string>;
};

async function* sourceFiles(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* sourceFiles(url);
    else if (entry.name.endsWith(".ts")) yield url;
  }
}

/** The module specifiers a source file imports or re-exports (static and dynamic). */
function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)) {
    found.push(match[1]);
  }
  for (const match of text.matchAll(/^import\s+"([^"]+)"/gm)) found.push(match[1]);
  for (const match of text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) found.push(match[1]);
  return found;
}

Deno.test("the library imports npm packages by pinned npm: specifiers, the versions of deno.json", async () => {
  const pinned = new Map(Object.entries(config.imports).map(([name, spec]) => [name, spec]));
  const seen = new Set<string>();
  for (const root of ["lib/", "mod.ts", "cli.ts"]) {
    const files = root.endsWith("/") ? sourceFiles(new URL(root, ROOT)) : (async function* () {
      yield new URL(root, ROOT);
    })();
    for await (const file of files) {
      for (const spec of importsOf(await Deno.readTextFile(file))) {
        const where = file.href.slice(ROOT.href.length);
        assert.ok(
          spec.startsWith(".") || spec.startsWith("node:") || spec.startsWith("npm:"),
          `${where} imports "${spec}", which only this repository's import map resolves`,
        );
        const npm = spec.match(/^npm:((?:@[^/]+\/)?[^@/]+)@([^/]+)/);
        if (spec.startsWith("npm:")) {
          assert.ok(npm, `${where}: "${spec}" has no pinned version`);
          const [, name, version] = npm;
          assert.equal(pinned.get(name), `npm:${name}@${version}`, `${where}: ${spec}`);
          seen.add(name);
        }
      }
    }
  }
  assert.deepEqual([...seen].sort(), ["fflate", "nodejs-polars", "plotly.js-dist-min"]);
  // The setup check looks for the downloaded polars by the same version (it must not import it).
  const setup = await Deno.readTextFile(new URL("lib/setup.ts", ROOT));
  assert.equal(
    `npm:${setup.match(/const POLARS = "([^"]+)"/)?.[1]}`,
    pinned.get("nodejs-polars"),
    "lib/setup.ts names the polars version of deno.json",
  );
});

Deno.test("the ./stats entry point loads no dataframe library, and every export has a module", async () => {
  assert.equal(config.exports["./stats"], "./lib/stats/mod.ts");
  const visited = new Set<string>();
  const npm = new Set<string>();
  const queue = [new URL(config.exports["./stats"], ROOT)];
  while (queue.length) {
    const file = queue.pop()!;
    if (visited.has(file.href)) continue;
    visited.add(file.href);
    for (const spec of importsOf(await Deno.readTextFile(file))) {
      if (spec.startsWith(".")) queue.push(new URL(spec, file));
      else if (spec.startsWith("npm:")) npm.add(spec);
    }
  }
  assert.ok(visited.size > 10, `only ${visited.size} modules reached: the walk is broken`);
  assert.deepEqual([...npm], []);
  for (const [path, target] of Object.entries(config.exports)) {
    const text = await Deno.readTextFile(new URL(target, ROOT));
    assert.match(text, /@module/, `${path} (${target}) has no module documentation`);
    assert.match(text, /@example/, `${path} (${target}) has no example`);
  }
  assert.deepEqual(Object.keys(config.exports), [".", "./stats", "./data", "./plot"]);
});

Deno.test("the package is licensed, named, versioned, and its CHANGELOG starts at its version", async () => {
  assert.equal(config.license, "MIT");
  assert.match(await Deno.readTextFile(new URL("LICENSE", ROOT)), /^MIT License\n/);
  assert.match(config.name, /^@[a-z0-9-]+\/[a-z0-9-]+$/);
  assert.match(config.version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, "semver");
  const changelog = await Deno.readTextFile(new URL("CHANGELOG.md", ROOT));
  const first = changelog.match(/^## \[?(\d+\.\d+\.\d+[^\] ]*)\]?/m);
  assert.equal(first?.[1], config.version, "the newest CHANGELOG entry is deno.json's version");
});
