"""The compare page's browser tests against the Python reference on a built site — e.g. the
national-scale one `python bench/national.py --keep DIR` leaves in DIR/site:

    python bench/compare.py DIR/site [--pairs 400]

Random pairs of institutions and of institution × domain units within one domain, read from the
site's own `vergelijk/data/` files, run through `content/javascripts/vergelijk-stats.js` in node
and through `jobmonitor.compute.pairs.compare_pair`; prints how many verdicts were compared and
differ (must be 0), and the size of the data files.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from jobmonitor.compute.pairs import compare_pair  # noqa: E402
from jobmonitor.config import Thresholds  # noqa: E402
from test_compare import data_files, js_rows, pair_rows, random_pairs  # noqa: E402
from test_pairs import run_js  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--pairs", type=int, default=400)
    args = parser.parse_args(argv)
    files = data_files(args.site)
    index = files.pop("eenheden.json")
    variables, thresholds = index["vars"], index["thresholds"]
    folder = args.site / "vergelijk" / "data"
    raw = sum(p.stat().st_size for p in folder.glob("*.json"))
    zipped = sum(len(gzip.compress(p.read_bytes(), 6)) for p in folder.glob("*.json"))
    largest = max(folder.glob("*.json"), key=lambda p: p.stat().st_size)
    print(f"data files: {len(files) + 1}, {raw / 1e6:.1f} MB ({zipped / 1e6:.2f} MB gzip); largest {largest.name} "
          f"{largest.stat().st_size / 1e3:.0f} KB ({len(gzip.compress(largest.read_bytes(), 6)) / 1e3:.0f} KB gzip)")
    pairs = random_pairs(files, args.pairs)
    started = time.perf_counter()
    outputs = run_js([["comparePair", [js_rows(a, variables), js_rows(b, variables), thresholds]] for a, b in pairs])
    js_seconds = time.perf_counter() - started
    python = Thresholds(**thresholds)
    compared = differ = marked = 0
    for (own, other), got in zip(pairs, outputs):
        expected = compare_pair(pair_rows(own, variables), pair_rows(other, variables), python)
        for var, row in expected.iterrows():
            compared += 1
            marked += bool(row["marker"])
            differ += (got[var]["marker"] or "") != row["marker"] or (got[var]["verdict"] or "") != row["verdict"]
    print(f"pairs {len(pairs)}, verdicts compared {compared:,}, with a marker {marked:,}, differing {differ} "
          f"(node: {js_seconds:.2f} s for all pairs)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
