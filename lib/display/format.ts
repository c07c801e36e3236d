/**
 * printf-style number formatting with Python's `%` semantics, so tables print exactly
 * what statsmodels prints: `%f`, `%e`, `%g` (with the `#` flag), `%d` and `%s`, width,
 * precision and left alignment. Rounding is exact: the binary value of the double is
 * rounded half-to-even in decimal, as CPython does (JavaScript's `toFixed` rounds exact
 * ties away from zero, so `0.125` would print differently).
 *
 * @module
 */

interface Spec {
  prefix: string;
  suffix: string;
  alt: boolean;
  left: boolean;
  plus: boolean;
  zero: boolean;
  width: number;
  precision: number | undefined;
  conv: string;
}

const SPEC = /^((?:[^%]|%%)*)%([#0\- +]*)(\d*)(?:\.(\d+))?([fFeEgGds])((?:[^%]|%%)*)$/;
const specCache = new Map<string, Spec>();

function parseSpec(format: string): Spec {
  let spec = specCache.get(format);
  if (spec) return spec;
  const m = SPEC.exec(format);
  if (!m) throw new RangeError(`Unsupported format "${format}" (one %-conversion expected).`);
  const flags = m[2];
  spec = {
    prefix: m[1].replaceAll("%%", "%"),
    suffix: m[6].replaceAll("%%", "%"),
    alt: flags.includes("#"),
    left: flags.includes("-"),
    plus: flags.includes("+"),
    zero: flags.includes("0"),
    width: m[3] ? Number(m[3]) : 0,
    precision: m[4] !== undefined ? Number(m[4]) : undefined,
    conv: m[5],
  };
  specCache.set(format, spec);
  return spec;
}

/**
 * Formats one value with a single printf conversion, exactly like Python's
 * `format % value`.
 *
 * @param format One conversion such as `"%#8.4g"`, `"%9.3f"`, `"%-21s"` or `"%#6d"`, with
 *   optional literal text around it (`"%%"` is a percent sign): `"%.1f%%"`.
 * @param value The number (or string for `%s`).
 * @returns The formatted text.
 *
 * @example
 * ```ts
 * import { printf } from "./format.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(printf("%#8.4g", -1645.91), "  -1646.");
 * assert.equal(printf("%#6.3g", 1.2082734393945634e-34), "1.21e-34");
 * assert.equal(printf("%.2f", 0.125), "0.12"); // exact tie: half to even
 * assert.equal(printf("%.1f%%", 12.345), "12.3%");
 * ```
 */
export function printf(format: string, value: number | string): string {
  const spec = parseSpec(format);
  return spec.prefix + convert(spec, value) + spec.suffix;
}

function convert(spec: Spec, value: number | string): string {
  const body = spec.conv === "s" ? String(value) : formatNumber(Number(value), spec);
  if (body.length >= spec.width) return body;
  if (spec.left) return body.padEnd(spec.width);
  if (spec.zero && spec.conv !== "s" && /^[+-]?\d/.test(body)) {
    const sign = /^[+-]/.test(body) ? body[0] : "";
    return sign + body.slice(sign.length).padStart(spec.width - sign.length, "0");
  }
  return body.padStart(spec.width);
}

function formatNumber(x: number, spec: Spec): string {
  const upper = spec.conv === "F" || spec.conv === "E" || spec.conv === "G";
  if (Number.isNaN(x)) return upper ? "NAN" : "nan";
  const a = Math.abs(x);
  if (spec.conv === "d") {
    // Python's %d truncates toward zero (int(x)), so there is no negative zero.
    if (!Number.isFinite(a)) throw new RangeError(`%d cannot format ${x}`);
    const t = Math.trunc(a);
    return (x < 0 && t !== 0 ? "-" : spec.plus ? "+" : "") + BigInt(t).toString();
  }
  const negative = x < 0 || Object.is(x, -0);
  const sign = negative ? "-" : spec.plus ? "+" : "";
  if (!Number.isFinite(a)) return sign + (upper ? "INF" : "inf");
  // SPEC admits only these conversions besides d and s, handled before.
  const out = FLOAT_FORMATS[spec.conv.toLowerCase()](a, spec.precision ?? 6, spec.alt);
  return sign + (upper ? out.toUpperCase() : out);
}

/** Exact value of a non-negative finite double as `mantissa · 2^exponent`. */
function decompose(a: number): { m: bigint; e: number } {
  if (a === 0) return { m: 0n, e: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { m, e: -1074 };
  return { m: m | (1n << 52n), e: biased - 1075 };
}

/** `round_half_even(a · 10^p)` as an exact integer; `p` may be negative. */
function roundScaled(a: number, p: number): bigint {
  const { m, e } = decompose(a);
  if (m === 0n) return 0n;
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (p >= 0) num *= 10n ** BigInt(p);
  else den *= 10n ** BigInt(-p);
  const q = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Inserts a decimal point `p` digits from the right of the digit string of `n`. */
function placePoint(n: bigint, p: number, alt: boolean): string {
  let digits = n.toString();
  if (p === 0) return alt ? digits + "." : digits;
  if (digits.length <= p) digits = "0".repeat(p - digits.length + 1) + digits;
  return digits.slice(0, digits.length - p) + "." + digits.slice(digits.length - p);
}

function fixed(a: number, p: number, alt: boolean): string {
  return placePoint(roundScaled(a, p), p, alt);
}

/** Digits of `a` rounded to `sig` significant digits, with the decimal exponent of the first. */
function significant(a: number, sig: number): { digits: string; exp: number } {
  if (a === 0) return { digits: "0".repeat(sig), exp: 0 };
  let exp = Math.floor(Math.log10(a));
  for (let tries = 0; tries < 3; tries++) {
    const n = roundScaled(a, sig - 1 - exp);
    const digits = n.toString();
    if (digits.length === sig) return { digits, exp };
    // log10 misjudged the exponent near a power of ten, or rounding carried into a new digit.
    if (digits.length > sig) {
      if (digits.length === sig + 1 && /^10*$/.test(digits)) {
        return { digits: digits.slice(0, sig), exp: exp + 1 };
      }
      exp += 1;
    } else exp -= 1;
  }
  throw new Error(`significant(${a}, ${sig}) did not converge`);
}

function exponentText(exp: number): string {
  const sign = exp < 0 ? "-" : "+";
  return "e" + sign + String(Math.abs(exp)).padStart(2, "0");
}

function exponential(a: number, p: number, alt: boolean): string {
  const { digits, exp } = significant(a, p + 1);
  const mantissa = p === 0 ? digits + (alt ? "." : "") : digits[0] + "." + digits.slice(1);
  return mantissa + exponentText(exp);
}

function general(a: number, precision: number, alt: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const { digits, exp } = significant(a, p);
  if (exp >= -4 && exp < p) {
    // Fixed notation with p − 1 − exp decimals, from the already rounded digits.
    const out = placePoint(BigInt(digits), p - 1 - exp, alt);
    return !alt && out.includes(".") ? out.replace(/\.?0+$/, "") : out;
  }
  let mantissa = p === 1 ? digits + (alt ? "." : "") : digits[0] + "." + digits.slice(1);
  if (!alt && mantissa.includes(".")) mantissa = mantissa.replace(/\.?0+$/, "");
  return mantissa + exponentText(exp);
}

const FLOAT_FORMATS: Record<string, (a: number, p: number, alt: boolean) => string> = {
  f: fixed,
  e: exponential,
  g: general,
};

/**
 * Python's `repr` of a float (shortest round-trip digits; scientific notation below
 * 1e-4 and from 1e16), as statsmodels prints `alpha / 2` in the interval headers.
 *
 * @example
 * ```ts
 * import { pythonFloatRepr } from "./format.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(pythonFloatRepr(0.025), "0.025");
 * assert.equal(pythonFloatRepr(1), "1.0");
 * assert.equal(pythonFloatRepr(0.00001), "1e-05");
 * ```
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  const sign = mant.startsWith("-") ? "-" : "";
  const digits = mant.replace("-", "").replace(".", "");
  if (exp < -4 || exp >= 16) {
    const m = digits.length === 1 ? digits : digits[0] + "." + digits.slice(1);
    return sign + m + exponentText(exp);
  }
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
    const frac = digits.slice(exp + 1);
    return sign + intPart + "." + (frac === "" ? "0" : frac);
  }
  return sign + "0." + "0".repeat(-exp - 1) + digits;
}

/**
 * A p-value with four decimals, or in scientific notation when smaller than 0.0001.
 *
 * @example
 * ```ts
 * import { formatP } from "./format.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatP(0.04321), "0.0432");
 * assert.equal(formatP(3.2e-9), "3.20e-09");
 * ```
 */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  return p < 1e-4 ? printf("%.2e", p) : printf("%.4f", p);
}
