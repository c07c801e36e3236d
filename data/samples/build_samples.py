#!/usr/bin/env python3
"""Rebuilds data/samples/ from a checkout of the project's reference data (maintainers only).

Usage: python3 data/samples/build_samples.py SOURCE_DATA_DIR

SOURCE_DATA_DIR holds french/, prices/, yahoo/ and PROVENANCE.md (each file a byte-for-byte copy
of a file in a public GitHub repository, with that repository, commit, path and git blob id in
PROVENANCE.md). Nothing here is read at run time: the repository carries the result.

Ken French CSV files are stored in the library's own distribution format, `NAME_CSV_YYYYMM.zip`
with one deflated member named as in the source repository (the library names it the same way),
because that is 4-5 times smaller; the member's bytes are the source file's bytes exactly, and
its git blob id is checked. Zips that were copied as distributed, price CSVs and the Yahoo body
are copied as they are. PROVENANCE.md lists every file with its origin.
"""

import hashlib
import os
import re
import shutil
import sys
import zipfile

FRENCH = [
    # (source file, kept as)
    ("F-F_Research_Data_Factors_202601.csv", "zip"),
    ("F-F_Research_Data_Factors_202412.CSV", "zip"),
    ("F-F_Research_Data_Factors_202303.CSV", "zip"),
    ("F-F_Research_Data_Factors_202101.CSV", "zip"),
    ("F-F_Research_Data_Factors_CSV_202012.zip", "copy"),
    ("F-F_Research_Data_Factors_daily_202604.csv", "zip"),
    ("F-F_Research_Data_Factors_daily_CSV_202412.zip", "copy"),
    ("F-F_Research_Data_Factors_daily_202212.CSV", "zip"),
    ("F-F_Research_Data_5_Factors_2x3_202604.csv", "zip"),
    ("F-F_Research_Data_5_Factors_2x3_202412.csv", "zip"),
    ("F-F_Research_Data_5_Factors_2x3_daily_202509.csv", "zip"),
    ("F-F_Research_Data_5_Factors_2x3_daily_202412.CSV", "zip"),
    ("F-F_Momentum_Factor_202511.csv", "zip"),
    ("F-F_Momentum_Factor_202412.CSV", "zip"),
    ("F-F_Momentum_Factor_daily_202604.csv", "zip"),
    ("F-F_Momentum_Factor_daily_CSV_202412.zip", "copy"),
    ("25_Portfolios_5x5_202511.csv", "zip"),
    ("25_Portfolios_5x5_202412.CSV", "zip"),
    ("6_Portfolios_2x3_202412.CSV", "zip"),
    ("6_Portfolios_2x3_202510.csv", "zip"),
    ("Developed_3_Factors_202512.csv", "zip"),
    ("Europe_5_Factors_CSV_201912.zip", "copy"),
]
PRICES = [
    "VBR_daily_2004-01-30_2022-06-17.csv",
    "SPY_daily_1993-01-29_2024-08-02.csv",
    "AAPL_daily_1980-12-12_2023-07-19.csv",
    "VBR_daily_yfinance_2005-01-03_2026-05-01.csv",
    "VBR_monthly_2005-01_2024-05.csv",
]
YAHOO = ["chart-AAPL-2020-08-31-to-2020-11-07.body.json"]


def git_blob(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def provenance_rows(text: str) -> dict:
    """File name -> (repo, commit, path, blob) from the source PROVENANCE.md tables."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or not cells[0].startswith("`"):
            continue
        name = cells[0].strip("`")
        rows.setdefault(name, (cells[1], cells[2], cells[3].strip("`"), cells[4]))
    return rows


def main() -> None:
    source = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    rows = provenance_rows(open(os.path.join(source, "PROVENANCE.md"), encoding="utf-8").read())
    out = []
    for sub in ("french", "prices", "yahoo"):
        shutil.rmtree(os.path.join(here, sub), ignore_errors=True)
        os.makedirs(os.path.join(here, sub))
    for name, how in FRENCH:
        data = open(os.path.join(source, "french", name), "rb").read()
        repo, commit, path, blob = rows[name]
        if how == "copy":
            assert git_blob(data) == blob, name
            open(os.path.join(here, "french", name), "wb").write(data)
            out.append((f"french/{name}", "copied as is", repo, commit, path, blob))
            continue
        assert git_blob(data) == blob, name
        m = re.match(r"^(.*)_(\d{6})\.(csv)$", name, re.I)
        dataset, vintage = m.group(1), m.group(2)
        member = os.path.basename(path)
        stored = f"{dataset}_CSV_{vintage}.zip"
        info = zipfile.ZipInfo(member, date_time=(int(vintage[:4]), int(vintage[4:]), 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with zipfile.ZipFile(os.path.join(here, "french", stored), "w") as z:
            z.writestr(info, data, compresslevel=9)
        with zipfile.ZipFile(os.path.join(here, "french", stored)) as z:
            assert z.read(member) == data
        out.append((f"french/{stored}", f"member `{member}`", repo, commit, path, blob))
    for sub, names in (("prices", PRICES), ("yahoo", YAHOO)):
        for name in names:
            data = open(os.path.join(source, sub, name), "rb").read()
            repo, commit, path, blob = rows[name]
            if blob not in ("–", "-"):
                assert git_blob(data) == blob, name
            open(os.path.join(here, sub, name), "wb").write(data)
            out.append((f"{sub}/{name}", "copied as is", repo, commit, path, blob))
    print("| file | content | source repository | commit | path | git blob id of the content |")
    print("|---|---|---|---|---|---|")
    for f, what, repo, commit, path, blob in out:
        print(f"| `{f}` | {what} | {repo} | {commit} | `{path}` | {blob} |")


if __name__ == "__main__":
    main()
