"""Cold-start reference (task 5): the tutorial's FF3 regression in a fresh Python process.

    /usr/bin/python3 bench/reference_cold.py PRICES_CSV FACTORS_CSV

Imports pandas and statsmodels, reads the daily prices and the monthly factors (percent) that
bench/cold.ts wrote, builds month-end returns, joins on year-month, fits OLS on the excess
return and prints the summary: what `deno task analyze` does from its cache.
"""

import sys

import pandas as pd
import statsmodels.api as sm

prices = pd.read_csv(sys.argv[1], index_col="Date", parse_dates=True)
monthly = prices["Adj Close"].resample("M").last().pct_change().dropna().to_frame("ret")
monthly.index = monthly.index.to_period("M")
factors = pd.read_csv(sys.argv[2], dtype={"period": str}).set_index("period")
factors.index = pd.PeriodIndex(factors.index.str[:4] + "-" + factors.index.str[4:], freq="M")
data = monthly.join(factors / 100, how="inner").loc["2010-01":"2020-12"]
X = sm.add_constant(data[["Mkt-RF", "SMB", "HML"]])
print(sm.OLS(data["ret"] - data["RF"], X).fit().summary())
