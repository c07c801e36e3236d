/**
 * Wald, F and t tests of linear restrictions against statsmodels 0.13.5 (figures in
 * tests/fixtures/wald_reference.json, written by make_wald_reference.py), under classical,
 * HAC and HC1 covariances; and the same tests per asset of olsMany and on Fama-MacBeth premia.
 */
import assert from "node:assert/strict";
import { famaMacBeth, InvalidArgumentError, ols, olsMany } from "../mod.ts";
import { assertAllClose, assertClose } from "./support/assert.ts";

interface WaldRef {
  statistic: number;
  pvalue: number;
  df: number;
  dfDenom?: number;
}
interface Case {
  useT: boolean;
  params: number[];
  bse: number[];
  waldChi2: WaldRef;
  waldF: WaldRef;
  fTestContrasts: WaldRef;
  waldMatrix: WaldRef;
  tTest: Record<"effect" | "sd" | "tvalue" | "pvalue" | "lower" | "upper", number[]>;
}
const ref = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/wald_reference.json", import.meta.url)),
) as {
  y: number[];
  X: Record<string, number[]>;
  joint: string;
  contrasts: string;
  R: number[][];
  q: number[];
  nonrobust: Case;
  hac: Case;
  hc1T: Case;
};

const fits = {
  nonrobust: ols(ref.y, ref.X, { addConstant: true }),
  hac: ols(ref.y, ref.X, { addConstant: true, covType: "HAC", maxlags: 3 }),
  hc1T: ols(ref.y, ref.X, { addConstant: true, covType: "HC1", useT: true }),
};

function assertTest(
  actual: {
    statistic: number;
    pvalue: number;
    df: number;
    dfNum?: number;
    dfDenom?: number;
    distribution: string;
  },
  expected: WaldRef,
  f: boolean,
  label: string,
): void {
  assertClose(actual.statistic, expected.statistic, { rel: 1e-8, label: `${label} statistic` });
  assertClose(actual.pvalue, expected.pvalue, { rel: 1e-6, label: `${label} p-value` });
  assert.equal(actual.df, expected.df);
  assert.equal(actual.distribution, f ? "F" : "chi2");
  if (f) assert.deepEqual([actual.dfNum, actual.dfDenom], [expected.df, expected.dfDenom]);
}

for (const kind of ["nonrobust", "hac", "hc1T"] as const) {
  const fit = fits[kind];
  const want = ref[kind];

  Deno.test(`${kind}: the estimates match statsmodels before any test`, () => {
    assertAllClose(fit.params, want.params, { rel: 1e-8 });
    assertAllClose(fit.bse, want.bse, { rel: 1e-8 });
    assert.equal(fit.useT, want.useT);
  });

  Deno.test(`${kind}: waldTest defaults to F under t inference and to chi2 otherwise`, () => {
    const test = fit.waldTest(ref.joint);
    assertTest(test, want.useT ? want.waldF : want.waldChi2, want.useT, ref.joint);
    assert.equal(test.nullHypothesis, ref.joint);
  });

  Deno.test(`${kind}: waldTest gives both forms on request, fTest the F form`, () => {
    assertTest(fit.waldTest(ref.joint, { useF: false }), want.waldChi2, false, "chi2");
    assertTest(fit.waldTest(ref.joint, { useF: true }), want.waldF, true, "F");
    assertTest(fit.fTest([ref.joint]), want.waldF, true, "fTest");
    assertTest(fit.fTest("SMB = HML, 2*SMB - HML = 0.5"), want.fTestContrasts, true, "contrasts");
  });

  Deno.test(`${kind}: a matrix R with q gives statsmodels' statistic`, () => {
    assertTest(fit.waldTest({ R: ref.R, q: ref.q }), want.waldMatrix, want.useT, "R, q");
  });

  Deno.test(`${kind}: tTest gives statsmodels' effects, errors, statistics and intervals`, () => {
    const t = fit.tTest(ref.contrasts);
    const w = want.tTest;
    assert.deepEqual(t.names, ["SMB = HML", "2*SMB - HML = 0.5", "MKT_RF = 1", "const = 0"]);
    assert.equal(t.distribution, want.useT ? "t" : "normal");
    assertAllClose(t.effect, w.effect, { rel: 1e-8 });
    assertAllClose(t.sd, w.sd, { rel: 1e-8 });
    assertAllClose(t.tvalue, w.tvalue, { rel: 1e-8 });
    assertAllClose(t.pvalue, w.pvalue, { rel: 1e-6 });
    const ci = t.confInt(0.05);
    assertAllClose(ci.lower, w.lower, { rel: 1e-8 });
    assertAllClose(ci.upper, w.upper, { rel: 1e-8 });
    assert.match(t.toString(), /SMB = HML/);
  });
}

Deno.test("the matrix form without q tests R b = 0, as the written restrictions do", () => {
  const fit = fits.hac;
  const written = fit.waldTest("SMB = 0, HML = 0");
  const matrix = fit.waldTest([[0, 0, 1, 0], [0, 0, 0, 1]]);
  assert.equal(matrix.statistic, written.statistic);
});

Deno.test("names with '-' are read as one coefficient, longest name first", () => {
  const X = { "Mkt-RF": ref.X.MKT_RF, Mkt: ref.X.SMB, RF: ref.X.HML };
  const fit = ols(ref.y, X, { addConstant: true });
  const t = fit.tTest("Mkt-RF - Mkt = 0");
  assertClose(t.effect[0], fit.params.get("Mkt-RF") - fit.params.get("Mkt"), { rel: 1e-14 });
});

Deno.test("a term that is not a coefficient is refused with its name and the names", () => {
  const fit = fits.nonrobust;
  for (const bad of ["SMBX = 0", "SMB = 0, MOM = 0", "SMB + = 1", "2*", "SMB == 0", ""]) {
    assert.throws(() => fit.waldTest(bad), InvalidArgumentError, bad);
  }
  assert.throws(
    () => fit.waldTest("SMB = 0, MOM = 0"),
    (e: Error) =>
      e instanceof InvalidArgumentError && e.message.includes('"MOM"') &&
      e.message.includes("const, MKT_RF, SMB, HML"),
  );
  assert.throws(() => fit.waldTest("SMB HML = 0"), /expected "\+", "-" or "=" before "HML"/);
  assert.throws(() => fit.waldTest("2* = 0"), /ends with "\+", "-" or "\*"/);
  assert.throws(() => fit.waldTest([[1, 0]]), InvalidArgumentError);
  assert.throws(() => fit.waldTest({ R: [[0, 1, 0, 0]], q: [1, 2] }), InvalidArgumentError);
  assert.throws(() => fit.waldTest("SMB = 0, SMB = 0"), /linearly dependent/);
});

Deno.test("olsMany tests each asset's restrictions as ols does on that asset", () => {
  const Y = { A: ref.y, B: ref.y.map((v, i) => 0.5 * v + ref.X.SMB[i]) };
  for (const covType of ["nonrobust", "HC1"] as const) {
    const many = olsMany(Y, ref.X, { addConstant: true, covType });
    const one = ols(Y.B, ref.X, { addConstant: true, covType });
    const a = many.waldTest("B", ref.joint);
    const b = one.waldTest(ref.joint);
    assertClose(a.statistic, b.statistic, { rel: 1e-10 });
    assertClose(a.pvalue, b.pvalue, { rel: 1e-8 });
    assert.equal(a.distribution, b.distribution);
    assertClose(many.fTest(1, "SMB = HML").statistic, one.fTest("SMB = HML").statistic, {
      rel: 1e-10,
    });
    assertAllClose(many.tTest("B", ref.contrasts).tvalue, one.tTest(ref.contrasts).tvalue, {
      rel: 1e-10,
    });
  }
});

Deno.test("Fama-MacBeth premia are tested with the covariance of the chosen kind", () => {
  const n = ref.y.length;
  const returns = Object.fromEntries(
    Array.from({ length: 8 }, (_, j) => [
      `P${j}`,
      ref.y.map((v, t) => (0.5 + 0.1 * j) * v + 0.01 * Math.sin(t * (j + 1))),
    ]),
  );
  const fm = famaMacBeth(returns, { MKT_RF: ref.X.MKT_RF, SMB: ref.X.SMB });
  for (const kind of ["famaMacBeth", "neweyWest", "shanken"] as const) {
    const test = fm.waldTest("MKT_RF = 0, SMB = 0", { kind });
    const v = fm.cov(kind);
    const b = [fm.riskPremia.get("MKT_RF"), fm.riskPremia.get("SMB")];
    const [a, c, d] = [v.get("MKT_RF", "MKT_RF"), v.get("MKT_RF", "SMB"), v.get("SMB", "SMB")];
    const expected = (d * b[0] ** 2 - 2 * c * b[0] * b[1] + a * b[1] ** 2) / (a * d - c * c);
    assertClose(test.statistic, expected, { rel: 1e-10, label: kind });
    assert.equal(test.distribution, "chi2");
    const z = fm.tTest("SMB", { kind });
    assertClose(z.tvalue[0], fm.tvalues(kind).get("SMB"), { rel: 1e-14 });
  }
  assert.equal(n, 120);
});
