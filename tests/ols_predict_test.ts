/** `predict` returns values labelled by period (issue 11, point 6). */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { InvalidArgumentError, NamedValues, ols, RegressionInputError } from "../mod.ts";

const fit = ols([1.1, 2.0, 2.9, 4.2, 5.1], { mkt: [1, 2, 3, 4, 5], smb: [0, 1, 0, 1, 0] }, {
  addConstant: true,
});
const [b0, b1, b2] = fit.params;

Deno.test("predict labels each value by the new data's period column", () => {
  const pred = fit.predict({ period: ["2024-01", "2024-02"], mkt: [6, 7], smb: [1, 0] });
  assert.ok(pred instanceof NamedValues && pred instanceof Float64Array);
  assert.deepEqual(pred.names, ["2024-01", "2024-02"]);
  assert.ok(Math.abs(pred.get("2024-01") - (b0 + 6 * b1 + b2)) < 1e-12);
  assert.ok(Math.abs(pred[1] - (b0 + 7 * b1)) < 1e-12);
  const shown = Deno.inspect(pred);
  assert.match(shown, /^2024-01 +\S+\n2024-02 +\S+$/);
});

Deno.test("a date column of Dates gives YYYY-MM-DD labels; an index option wins", () => {
  const dates = [new Date(Date.UTC(2024, 0, 31)), new Date(Date.UTC(2024, 1, 29))];
  const byDate = fit.predict({ Date: dates, mkt: [6, 7], smb: [1, 0] });
  assert.deepEqual(byDate.names, ["2024-01-31", "2024-02-29"]);
  const byIndex = fit.predict({ mkt: [6, 7], smb: [1, 0] }, { index: ["a", "b"] });
  assert.deepEqual(byIndex.names, ["a", "b"]);
  assert.deepEqual(Array.from(byIndex), Array.from(byDate));
});

Deno.test("a polars frame's period column labels the predictions", () => {
  const frame = pl.DataFrame({ period: ["2024-03", "2024-04"], smb: [0, 1], mkt: [2, 3] });
  const pred = fit.predict(frame);
  assert.deepEqual(pred.names, ["2024-03", "2024-04"]);
  assert.ok(Math.abs(pred[1] - (b0 + 3 * b1 + b2)) < 1e-12);
});

Deno.test("without labels, predictions and fitted values are labelled by row position", () => {
  const pred = fit.predict([[1, 6, 1]]);
  assert.deepEqual(pred.names, ["0"]);
  const withGap = ols([1, 2, NaN, 4, 5.5], { x: [1, 2, 3, 4, 5] }, {
    addConstant: true,
    missing: "drop",
  });
  assert.deepEqual(withGap.predict().names, ["0", "1", "3", "4"]);
});

Deno.test("repeated or miscounted labels are refused with what to do", () => {
  assert.throws(
    () => fit.predict({ period: ["2024-01", "2024-01"], mkt: [6, 7], smb: [1, 0] }),
    (e: Error) => e instanceof InvalidArgumentError && /"2024-01" appears twice/.test(e.message),
  );
  assert.throws(
    () => fit.predict({ mkt: [6, 7], smb: [1, 0] }, { index: ["a"] }),
    (e: Error) => e instanceof InvalidArgumentError && /1 labels for 2 predictions/.test(e.message),
  );
  assert.throws(() => fit.predict({ period: ["x"], mkt: [6] }), RegressionInputError);
});
