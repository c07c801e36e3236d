import assert from "node:assert/strict";
import { printf, pythonFloatRepr } from "../lib/display/format.ts";
import { center } from "../lib/display/text_table.ts";
import cases from "./fixtures/python_printf_cases.json" with { type: "json" };

Deno.test("printf reproduces Python's % formatting on 780 recorded cases", () => {
  const mismatches = (cases as [string, number, string][])
    .map(([fmt, value, expected]) => ({ fmt, value, expected, got: printf(fmt, value) }))
    .filter((c) => c.got !== c.expected);
  assert.deepEqual(mismatches, []);
});

Deno.test("printf rounds exact binary ties half to even, unlike toFixed", () => {
  assert.equal((0.125).toFixed(2), "0.13");
  assert.equal(printf("%.2f", 0.125), "0.12");
  assert.equal(printf("%.2f", 0.375), "0.38");
  assert.equal(printf("%.0f", 2.5), "2");
  assert.equal(printf("%#8.4g", 9999.5), "1.000e+04");
});

Deno.test("printf %g keeps the decimal point and zeros with #, drops them without", () => {
  assert.equal(printf("%#8.4g", -1645.9118787853604), "  -1646.");
  assert.equal(printf("%#8.5g", 1.0250722365000016), "  1.0251");
  assert.equal(printf("%#6.3g", 0.74), " 0.740");
  assert.equal(printf("%6.3g", 2040.3664037388683), "2.04e+03");
  assert.equal(printf("%g", 100000), "100000");
  assert.equal(printf("%g", 1e6), "1e+06");
});

Deno.test("printf prints NaN and infinities as Python does", () => {
  assert.equal(printf("%#8.4g", NaN), "     nan");
  assert.equal(printf("%#6.3g", Infinity), "   inf");
  assert.equal(printf("%9.3f", -Infinity), "     -inf");
});

Deno.test("printf rejects format strings it does not implement", () => {
  assert.throws(() => printf("%x", 1), /Unsupported format/);
  assert.throws(() => printf("%f and %f", 1), /Unsupported format/);
  assert.throws(() => printf("100%", 1), /Unsupported format/);
});

Deno.test("printf keeps literal text around the conversion, with %% as a percent sign", () => {
  assert.equal(printf("%.1f%%", 12.345), "12.3%");
  assert.equal(printf("beta = %6.3f;", -0.5), "beta = -0.500;");
});

Deno.test("pythonFloatRepr matches Python's repr of floats", () => {
  const expected: [number, string][] = [
    [0.025, "0.025"],
    [1 - 0.05 / 2, "0.975"],
    [0.005, "0.005"],
    [1, "1.0"],
    [1e-5, "1e-05"],
    [1e16, "1e+16"],
    [123.456, "123.456"],
    [0.1 + 0.2, "0.30000000000000004"],
    [-2.5e-7, "-2.5e-07"],
  ];
  for (const [v, s] of expected) assert.equal(pythonFloatRepr(v), s);
});

Deno.test("center puts the odd extra space where Python's str.center does", () => {
  assert.equal(center("ab", 5), "  ab ");
  assert.equal(center("abc", 6), " abc  ");
  assert.equal(center("OLS Regression Results", 78).length, 78);
});
