"""The Python side of the benchmark (statsmodels, pandas, numpy from Debian), one task per process.

    /usr/bin/python3 bench/reference.py TASK [--assets N] [--warmup W] [--runs R] [--memory]

Reads the float64 files that bench/data.ts wrote into build/bench/data and prints one line of
JSON: {"task", "assets", "times"} (seconds of each timed run after the warm-up runs), or with
--memory {"task", "assets", "baselineRss", "peakRss"} for one run in a fresh process.
Run by `deno task bench` (bench/run.ts).
"""

import argparse
import gc
import json
import re
import sys
import time

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.regression.rolling import RollingOLS

DATA = "build/bench/data"


def f64(name):
    return np.fromfile(f"{DATA}/{name}", dtype="<f8")


def columns(values, rows, count):
    """Column-major file → (rows × count) array whose columns are the file's columns."""
    return values[: rows * count].reshape(count, rows).T


def setup_ols(meta, assets):
    rows, names = meta["ols"]["rows"], meta["ols"]["factors"]
    X = pd.DataFrame(columns(f64("ols_x.f64"), rows, len(names)), columns=names)
    y = pd.Series(f64("ols_y.f64"), name="excess_return")

    def run():
        text = str(sm.OLS(y, sm.add_constant(X)).fit().summary())
        assert len(text) > 1500
        return text

    return run


def many_arrays(meta, assets):
    m = meta["many"]
    rows, k = m["rows"], len(m["factors"])
    return columns(f64("many_y.f64"), rows, assets), columns(f64("many_x.f64"), rows, k), f64("many_rf.f64")


def setup_many_loop(meta, assets):
    Y, X, rf = many_arrays(meta, assets)
    Xc = sm.add_constant(X)

    def run():
        E = Y - rf[:, None]
        params = np.empty((assets, Xc.shape[1]))
        bse = np.empty((assets, Xc.shape[1]))
        for j in range(assets):
            fit = sm.OLS(E[:, j], Xc).fit()
            params[j] = fit.params
            bse[j] = fit.bse
        return params, bse

    return run


def lstsq_with_bse(Xc, E):
    b, ssr, _, _ = np.linalg.lstsq(Xc, E, rcond=None)
    df = Xc.shape[0] - Xc.shape[1]
    d = np.diag(np.linalg.inv(Xc.T @ Xc))
    return b, np.sqrt(np.outer(d, ssr / df))


def setup_many_lstsq(meta, assets):
    Y, X, rf = many_arrays(meta, assets)
    Xc = sm.add_constant(X)

    def run():
        return lstsq_with_bse(Xc, Y - rf[:, None])

    return run


def setup_many_frame_lstsq(meta, assets):
    Y, X, rf = many_arrays(meta, assets)
    m = meta["many"]
    names = [f"A{i}" for i in range(assets)]
    frame = pd.concat(
        [
            pd.DataFrame({"period": m["periods"]}),
            pd.DataFrame(Y, columns=names),
            pd.DataFrame(X, columns=m["factors"]),
            pd.DataFrame({"RF": rf}),
        ],
        axis=1,
    )

    def run():
        E = frame[names].to_numpy() - frame[["RF"]].to_numpy()
        Xc = sm.add_constant(frame[m["factors"]].to_numpy())
        return lstsq_with_bse(Xc, E)

    return run


def setup_rolling(meta, assets):
    r = meta["rolling"]
    rows, k = r["rows"], len(r["factors"])
    Y = columns(f64("rolling_y.f64"), rows, assets)
    Xc = sm.add_constant(columns(f64("rolling_x.f64"), rows, k))

    def run():
        last = 0.0
        for j in range(assets):
            fit = RollingOLS(Y[:, j], Xc, window=r["window"]).fit()
            last = fit.bse[-1, 1] + fit.params[-1, 0]
        assert np.isfinite(last)

    return run


def setup_datapath(meta, assets):
    p = meta["prices"]
    dates = pd.to_datetime(pd.Series(p["dates"]))
    days = len(dates)
    periods = p["periods"]
    f = f64("prices_factors.f64")
    m = len(periods)
    factors = pd.DataFrame(
        {"period": periods, "MKT_RF": f[:m], "SMB": f[m : 2 * m], "HML": f[2 * m : 3 * m], "RF": f64("prices_rf.f64")}
    )
    names = [f"T{i:04d}" for i in range(assets)]
    prices = pd.DataFrame(
        {
            "ticker": np.repeat(np.array(names, dtype=object), days),
            "date": np.tile(dates.to_numpy(), assets),
            "adjClose": f64("prices.f64")[: days * assets],
        }
    )

    def run():
        wide = prices.pivot(index="date", columns="ticker", values="adjClose")
        monthly = wide.resample("M").last().pct_change().iloc[1:]
        monthly.index = monthly.index.strftime("%Y-%m")
        monthly.index.name = "period"
        joined = monthly.reset_index().merge(factors, on="period")
        assert len(joined) == m - 1
        return joined

    return run


TASKS = {
    "ols": setup_ols,
    "many-loop": setup_many_loop,
    "many-lstsq": setup_many_lstsq,
    "many-frame-lstsq": setup_many_frame_lstsq,
    "rolling": setup_rolling,
    "datapath": setup_datapath,
}


def status(field):
    with open("/proc/self/status") as f:
        return int(re.search(rf"^{field}:\s+(\d+) kB", f.read(), re.M).group(1)) * 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--assets", type=int)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--memory", action="store_true")
    args = parser.parse_args()
    with open(f"{DATA}/meta.json") as f:
        meta = json.load(f)
    group = args.task.split("-")[0]
    if args.assets is not None:
        assets = args.assets
    elif group == "many":
        assets = meta["many"]["assets"]
    elif group == "rolling":
        assets = meta["rolling"]["assets"]
    elif group == "datapath":
        assets = meta["prices"]["tickers"]
    else:
        assets = 1
    run = TASKS[args.task](meta, assets)
    if args.memory:
        gc.collect()
        baseline = status("VmRSS")
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        result = run()
        peak = status("VmHWM")
        del result
        print(json.dumps({"task": args.task, "assets": assets, "baselineRss": baseline, "peakRss": peak}))
        return
    for _ in range(args.warmup):
        run()
    # Every timed run starts with the input out of the CPU caches, as on the factorlab side.
    flush = np.empty(16 * 2**20)
    times = []
    for i in range(args.runs):
        flush.fill(i)
        gc.collect()
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    print(json.dumps({"task": args.task, "assets": assets, "times": times}))


if __name__ == "__main__":
    sys.exit(main())
