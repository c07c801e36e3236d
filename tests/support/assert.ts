/** Small assertions missing from node:assert. */

import assert from "node:assert/strict";

/** Asserts |actual − expected| ≤ tolerance. */
export function assertNear(actual: unknown, expected: number, tolerance = 1e-12): void {
  assert.equal(typeof actual, "number", `expected a number, got ${actual}`);
  assert.ok(
    Math.abs((actual as number) - expected) <= tolerance,
    `${actual} is not within ${tolerance} of ${expected}`,
  );
}
