"""The attacker's linear programme against a built results download.

    python bench/attack.py [--csv site/downloads/resultaten.csv] [--min-n 10] [--one-status]
    python bench/attack.py --linked [--csv …]             (all questions at once: attack_linked.py)
    python bench/attack.py --pooled /tmp/packs [--csv …]  (pooled report packs: attack_pooled.py)

Uses only what the public CSV holds: per edition and item, the published n of every unit row
(institution × domain cells, institution totals, domain totals, the national total), which
rows exist, and the status of the hidden ones. For every hidden row it minimises and maximises
its n over all tables consistent with those facts:

- each total equals the sum of its cells (and the national total the sum of either margin);
- a unit with a row has n ≥ 1, a unit without one n = 0;
- with two public statuses, `suppressed_primary` means n ≤ min_n − 1 and
  `suppressed_secondary` n ≥ min_n; `--one-status` maps both to one `suppressed` first (the
  world of a single public status), and a single `suppressed` carries no bound.

The constraints are line sums of a two-way table (totally unimodular) with integer bounds, so
the LP bounds are the integer bounds (if n ≥ 1 makes a table infeasible, a hidden unit holds
nobody, and that table is redone with n ≥ 0). Printed per edition: hidden rows; findings, i.e.
rows whose range is narrower than min_n or lies below it; of those, range < min_n, hi < min_n,
and pinned exactly (lo = hi). Hidden units proven empty (hi = 0: nobody answered the item
there, as with a routed question) are counted apart: they disclose no one's answer, and the
audit takes empty units as known.

This is written independently of `jobmonitor.compute.disclosure` on purpose (hidden totals
are variables here, not sums): it checks the audit, it does not reuse it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

ROOT = Path(__file__).resolve().parent.parent
HIDDEN = {"suppressed", "suppressed_primary", "suppressed_secondary"}


def read_results(path: Path) -> pd.DataFrame:
    with open(path, encoding="utf-8") as handle:
        first = handle.readline()
    skip = 1 if not first.startswith("edition,") else 0  # a notice line above the header
    return pd.read_csv(path, skiprows=skip, dtype={"institution_id": "string", "domain_id": "string"})


def attack_table(rows: pd.DataFrame, min_n: int, floor: int = 1) -> list[dict]:
    """LP ranges of every hidden figure of one item's table, from its public rows."""
    inst = sorted(rows["institution_id"].dropna().unique())
    dom = sorted(rows["domain_id"].dropna().unique())
    ri = {v: k for k, v in enumerate(inst)}
    di = {v: k for k, v in enumerate(dom)}
    n_r, n_c = len(inst) + 1, len(dom) + 1  # last row: domain totals; last column: institution totals
    exists = np.zeros((n_r, n_c), dtype=bool)
    value = np.zeros((n_r, n_c))
    status = np.full((n_r, n_c), "", dtype=object)
    for rec in rows.itertuples(index=False):
        r = ri[rec.institution_id] if not pd.isna(rec.institution_id) else n_r - 1
        c = di[rec.domain_id] if not pd.isna(rec.domain_id) else n_c - 1
        exists[r, c] = True
        status[r, c] = rec.status
        if rec.status not in HIDDEN:
            value[r, c] = rec.n
    hidden = exists & np.isin(status, list(HIDDEN))
    if not hidden.any():
        return []
    var_of = -np.ones((n_r, n_c), dtype=int)
    var_of[hidden] = np.arange(hidden.sum())
    n_var = int(hidden.sum())
    # Every line of the table with its total: Σ cells − total = 0 (the last row and column:
    # Σ domain totals − national = 0, Σ institution totals − national = 0).
    lines = [[(r, c) for c in range(n_c)] for r in range(n_r)] + [[(r, c) for r in range(n_r)] for c in range(n_c)]
    data, eq_row, eq_col, rhs = [], [], [], []
    for k, line in enumerate(lines):
        const = 0.0
        for pos in line:
            sign = -1.0 if pos == line[-1] else 1.0
            if hidden[pos]:
                data.append(sign)
                eq_row.append(k)
                eq_col.append(var_of[pos])
            else:
                const += sign * value[pos]
        rhs.append(-const)
    a_eq = coo_matrix((data, (eq_row, eq_col)), shape=(len(lines), n_var)).tocsr()
    b_eq = np.array(rhs)
    lower = np.full(n_var, float(floor))
    upper = np.full(n_var, np.inf)
    positions = list(zip(*np.nonzero(hidden)))
    for (r, c) in positions:
        if status[r, c] == "suppressed_primary":
            upper[var_of[r, c]] = min_n - 1
        elif status[r, c] == "suppressed_secondary":
            lower[var_of[r, c]] = min_n
    bounds = list(zip(lower, upper))
    out = []
    for (r, c) in positions:
        objective = np.zeros(n_var)
        objective[var_of[r, c]] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if low.status == 2 and floor == 1:
            # Some hidden unit holds no respondent for this item: n ≥ 1 is false; drop it.
            return attack_table(rows, min_n, floor=0)
        if low.status != 0 or high.status not in (0, 3):
            raise SystemExit(f"LP failed for item {rows['item_id'].iloc[0]}: {low.message} / {high.message}")
        lo = int(np.ceil(low.fun - 1e-6))
        hi = np.inf if high.status == 3 else int(np.floor(-high.fun + 1e-6))
        out.append({"row": inst[r] if r < n_r - 1 else "", "column": dom[c] if c < n_c - 1 else "",
                    "status": status[r, c], "lo": lo, "hi": hi})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=ROOT / "site" / "downloads" / "resultaten.csv")
    parser.add_argument("--min-n", type=int, default=10)
    parser.add_argument("--one-status", action="store_true", help="map both hidden statuses to one first")
    parser.add_argument("--show", type=int, default=0, help="print this many pinned figures")
    parser.add_argument("--linked", action="store_true",
                        help="instead: one LP per edition over all questions of the site the CSV belongs to "
                             "(bench/attack_linked.py)")
    parser.add_argument("--pooled", type=Path, metavar="DIR",
                        help="instead: pool the report packs in DIR with the benchmark file and the site "
                             "(bench/attack_pooled.py)")
    parser.add_argument("--own", action="append", default=[], metavar="ID",
                        help="with --pooled: one institution's own pack alone with the site ('all': each in turn)")
    parser.add_argument("--link", action="store_true", help="with --pooled: also link the questions")
    args = parser.parse_args()
    site = args.csv.resolve().parent.parent  # site/downloads/resultaten.csv → site
    if args.linked:
        import attack_linked

        attack_linked.run(site, args.min_n, args.show)
        return 0
    if args.pooled:
        import attack_pooled

        if args.own:
            attack_pooled.run_own(args.pooled, site, args.own, args.min_n, args.show)
        else:
            attack_pooled.run_pooled(args.pooled, site, args.min_n, args.show, link=args.link)
        return 0
    frame = read_results(args.csv)
    if args.one_status:
        frame["status"] = frame["status"].where(~frame["status"].isin(HIDDEN), "suppressed")
    statuses = sorted(set(frame["status"]) & HIDDEN)
    print(f"{args.csv}: hidden statuses {statuses}, min_n {args.min_n}")
    shown = 0
    keys = ("hidden", "finding", "narrow", "small", "exact", "empty")
    grand = dict.fromkeys(keys, 0)
    for edition, part in frame.groupby("edition"):
        counts = dict.fromkeys(keys, 0)
        for item, rows in part.groupby("item_id", sort=True):
            for fig in attack_table(rows, args.min_n):
                counts["hidden"] += 1
                if fig["hi"] == 0:
                    # Proven empty: nobody in the unit answered; no answer of anyone follows.
                    counts["empty"] += 1
                    continue
                narrow = fig["hi"] - fig["lo"] < args.min_n
                small = fig["hi"] < args.min_n
                counts["finding"] += narrow or small
                counts["narrow"] += narrow
                counts["small"] += small
                counts["exact"] += fig["lo"] == fig["hi"]
                if (narrow or small) and shown < args.show:
                    shown += 1
                    print(f"  {edition} {item} [{fig['row'] or 'all'} × {fig['column'] or 'all'}] "
                          f"{fig['status']}: n in {fig['lo']}–{fig['hi']}")
        print(f"edition {edition}: {_line(counts)}")
        for key in grand:
            grand[key] += counts[key]
    print(f"total: {_line(grand)}")
    return 0


def _line(counts: dict) -> str:
    return (f"hidden {counts['hidden']}, findings {counts['finding']} (range < min_n {counts['narrow']}, "
            f"hi < min_n {counts['small']}, pinned exactly {counts['exact']}); "
            f"proven empty (n = 0) {counts['empty']}")


if __name__ == "__main__":
    sys.exit(main())
