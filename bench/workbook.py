"""The project's XLSX writer (jobmonitor/workbook.py) against xlsxwriter in constant-memory
mode, on the same national-size table: ~400,000 rows × 45 columns shaped like the results
table (ids and codes as text, counts as nullable integers, estimates and tests as floats with
empty cells), generated with a fixed seed.

    python bench/workbook.py [--rows 400000] [--columns 45] [--skip-xlsxwriter]

Prints seconds and bytes per writer and one line: ours_s=… xlsxwriter_s=… ratio=…
(needs `pip install -e ".[bench]"` for xlsxwriter).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobmonitor.workbook import Properties, WorkbookSheet, write_xlsx  # noqa: E402

TEXT = ["level", "institution_id", "institution", "domain_id", "domain", "item_id", "kind", "measure", "marker",
        "verdict", "change_marker", "change_verdict", "direction", "status", "bron"]


def national_frame(rows: int, columns: int, seed: int = 20260527) -> pd.DataFrame:
    """Text columns of few distinct values (as the results table: 60 institutions, 15 domains,
    ~110 items), one nullable count, the rest floats with ~30 % empty cells."""
    rng = np.random.default_rng(seed)
    data: dict[str, object] = {"edition": np.full(rows, 2026)}
    for k, name in enumerate(TEXT[:max(0, columns - 3)]):
        values = np.array([f"{name}-{v:03d}" for v in range(5 + 20 * k)], dtype=object)
        data[name] = values[rng.integers(0, len(values), rows)]
    data["n"] = pd.array(np.where(rng.random(rows) < 0.1, -1, rng.integers(10, 5000, rows)), dtype="Int64")
    data["n"][data["n"] == -1] = pd.NA
    k = 0
    while len(data) < columns:
        values = rng.normal(50, 20, rows).round(4)
        values[rng.random(rows) < 0.3] = np.nan
        data[f"value_{k}"] = values
        k += 1
    return pd.DataFrame(data)


def ours(frame: pd.DataFrame, path: Path) -> None:
    moment = dt.datetime(2026, 5, 27, 8, tzinfo=dt.timezone.utc)
    write_xlsx(path, [WorkbookSheet("resultaten", frame, text=("institution_id", "domain_id", "item_id"))],
               Properties("JOB-monitor 2026: resultaten", "bench", moment))


def xlsxwriter_constant_memory(frame: pd.DataFrame, path: Path) -> None:
    """Row by row, as constant-memory mode requires; empty cells skipped (NaN is not a cell)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("resultaten")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, list(frame.columns), bold)
    sheet.freeze_panes(1, 0)
    columns = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns]
    for r, row in enumerate(zip(*columns), start=1):
        for c, value in enumerate(row):
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                sheet.write(r, c, value)
    sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    book.close()


def timed(label: str, func, frame: pd.DataFrame, path: Path) -> float:
    start = time.perf_counter()
    func(frame, path)
    seconds = time.perf_counter() - start
    print(f"  {label:<30} {seconds:7.2f} s   {path.stat().st_size / 1e6:6.1f} MB", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--columns", type=int, default=45)
    parser.add_argument("--skip-xlsxwriter", action="store_true", help="time the project's writer only")
    args = parser.parse_args()
    frame = national_frame(args.rows, args.columns)
    print(f"workbook of {len(frame):,} rows × {len(frame.columns)} columns ({frame.size:,} cells)")
    with tempfile.TemporaryDirectory(prefix="bench-workbook-") as work:
        mine = timed("jobmonitor.workbook", ours, frame, Path(work) / "ours.xlsx")
        if args.skip_xlsxwriter:
            print(f"ours_s={mine:.2f}")
            return
        theirs = timed("xlsxwriter constant_memory", xlsxwriter_constant_memory, frame, Path(work) / "xlsxwriter.xlsx")
    print(f"ours_s={mine:.2f} xlsxwriter_s={theirs:.2f} ratio={theirs / mine:.1f}")


if __name__ == "__main__":
    main()
