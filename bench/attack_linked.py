"""The attacker's linear programme over all questions of an edition at once, from the public site.

    python bench/attack_linked.py --site site [--min-n 10] [--show 10] [--edition 2026]

`bench/attack.py` attacks every question's table on its own. Here one LP per edition links all
of them through the respondents of each unit and the theme scores. Everything comes from the
built site: `downloads/resultaten.csv` (one row per edition × unit × var; hidden rows carry no
n), `downloads/vragenlijst.csv` (the items of every theme score) and the response table
`tabel-respons` of `verantwoording/index.html` (respondents per institution, current edition).

Unknowns: the n of every hidden row (≥ 0) and the respondents R(u) ≥ 1 of every unit in the
CSV (national, institution, domain, institution × domain). Facts, all true of the real data:

- per var, each institution total is the sum of its institution × domain cells, each domain
  total the sum of its cells, the national figure the sum of either margin;
- n_var(u) ≤ R(u) for every var and unit (so a published n is a lower bound on R(u));
- Σ_d R(i, d) = R(i), Σ_i R(i, d) = R(d), Σ_i R(i) = Σ_d R(d) = R(national); R(i) is fixed
  where the response table prints it (current edition only), R(national) if a total is printed;
- a theme score T on k items (vragenlijst `score_items`, also for `__shared`/`__trend`) exists
  for a respondent who answered at least h = ceil(k/2) of them, so per unit
  h·n_T ≤ Σ_{A∈T} n_A ≤ k·n_T + (h − 1)·(R − n_T), and for k ≤ 2 also n_A ≤ n_T.

For every hidden row it minimises and maximises its n (one HiGHS model per edition, only the
cost changes between solves; see `lp_tools.py`). A finding is a range narrower than min_n or
lying below it; rows proven empty (hi = 0) are counted apart. The same is printed for the
institution respondent counts R(i) that the response table does not print.

Independent of `jobmonitor.compute` and `jobmonitor.reports` on purpose: it checks them.
"""

from __future__ import annotations

import argparse
import html
import math
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attack import HIDDEN, read_results  # noqa: E402
from lp_tools import INF, Builder, Inconsistent, RangeSolver, classify, integer_range  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# Optional facts (both true of the data): theme scores on item subsets (`__shared`/`__trend`)
# linked to their items; for a theme of one or two items, every item's n ≤ the theme's n.
FACTS = frozenset({"subsets", "item_le_theme"})
KEYS = ("hidden", "finding", "narrow", "small", "exact", "exact_nonzero", "empty")


# --- public files -------------------------------------------------------------------------------

def read_score_items(path: Path) -> dict[int, dict[str, list[str]]]:
    """Per edition: theme var → the item ids its score averages (vragenlijst.csv)."""
    frame = read_results_like(path)
    out: dict[int, dict[str, list[str]]] = {}
    for rec in frame.itertuples(index=False):
        if rec.kind == "theme" and isinstance(rec.score_items, str) and rec.score_items.strip():
            out.setdefault(int(rec.edition), {})[rec.item_id] = rec.score_items.split()
    return out


def read_results_like(path: Path) -> pd.DataFrame:
    with open(path, encoding="utf-8") as handle:
        first = handle.readline()
    skip = 1 if not first.startswith("edition,") else 0
    return pd.read_csv(path, skiprows=skip, dtype=str, keep_default_na=False, na_values=[""])


class _TableParser(HTMLParser):
    def __init__(self, table_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.table_id = table_id
        self.depth = 0  # > 0 inside the wanted table
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            if self.depth or dict(attrs).get("id") == self.table_id:
                self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th") and self.rows:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def clean_name(text: str) -> str:
    text = html.unescape(text).replace("\u00ad", "").replace("\u00a0", " ")
    return " ".join(text.split()).casefold()


def dutch_int(text: str) -> int | None:
    """'1.234' → 1234; anything that is no count ('—', '', 'te weinig') → None."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"\d{1,3}(\.\d{3})*|\d+", text):
        return None
    return int(text.replace(".", ""))


def read_response_table(path: Path) -> tuple[dict[str, int | None], int | None]:
    """Respondents per institution name (None: not printed) and a printed national total."""
    parser = _TableParser("tabel-respons")
    parser.feed(path.read_text(encoding="utf-8"))
    rows = [r for r in parser.rows if r]
    if not rows:
        raise SystemExit(f"{path}: no table tabel-respons")
    header = [h.casefold() for h in rows[0]]
    col = next(k for k, h in enumerate(header) if h.startswith("respondent"))
    counts: dict[str, int | None] = {}
    national = None
    for row in rows[1:]:
        if len(row) <= col:
            continue
        name = clean_name(row[0])
        value = dutch_int(row[col])
        if name.startswith(("totaal", "landelijk")):
            national = value
        else:
            counts[name] = value
    return counts, national


# --- the model ----------------------------------------------------------------------------------

def unit_key(rec) -> tuple[str, str, str]:
    inst = "" if pd.isna(rec.institution_id) else rec.institution_id
    dom = "" if pd.isna(rec.domain_id) else rec.domain_id
    return rec.level, inst, dom


def build_edition(part: pd.DataFrame, score_items: dict[str, list[str]], respondents: dict[str, int],
                  national_respondents: int | None, facts: frozenset[str] = FACTS):
    """One LP over all vars of one edition: (builder, hidden rows, R columns of institutions)."""
    b = Builder()
    term: dict[tuple, tuple[str, float]] = {}  # (unit, var) → ('x', col) | ('c', n)
    hidden: list[dict] = []
    units = sorted({unit_key(r) for r in part.itertuples(index=False)})
    r_col = {u: b.col(lo=1.0) for u in units}  # respondents of every unit that exists
    for rec in part.itertuples(index=False):
        u = unit_key(rec)
        if rec.status in HIDDEN:
            j = b.col(lo=0.0)
            term[(u, rec.item_id)] = ("x", j)
            hidden.append({"col": j, "unit": u, "var": rec.item_id, "status": rec.status})
        else:
            n = float(rec.n)
            term[(u, rec.item_id)] = ("c", n)
            b.col_lo[r_col[u]] = max(b.col_lo[r_col[u]], n)  # n ≤ R(u)
    for h in hidden:  # n ≤ R(u)
        b.row([(1.0, ("x", h["col"])), (-1.0, ("x", r_col[h["unit"]]))], -INF, 0.0)

    insts = sorted({u[1] for u in units if u[0] == "institution"})
    doms = sorted({u[2] for u in units if u[0] == "domain"})
    cells_of_inst = {i: [u for u in units if u[0] == "institution_domain" and u[1] == i] for i in insts}
    cells_of_dom = {d: [u for u in units if u[0] == "institution_domain" and u[2] == d] for d in doms}
    nat = ("national", "", "")
    lines = [(("institution", i, ""), cells_of_inst[i]) for i in insts]
    lines += [(("domain", "", d), cells_of_dom[d]) for d in doms]
    if nat in r_col:
        lines += [(nat, [("institution", i, "") for i in insts]), (nat, [("domain", "", d) for d in doms])]
    lines = [(total, parts) for total, parts in lines if total in r_col and parts]

    # Respondents: the same line sums, and what the response table prints.
    r_term = {u: ("x", c) for u, c in r_col.items()}
    for total, parts in lines:
        b.row([(1.0, r_term[total])] + [(-1.0, r_term[p]) for p in parts], 0.0, 0.0, f"R {total}")
    for i in insts:
        if respondents.get(i) is not None:
            c = r_col[("institution", i, "")]
            if b.col_lo[c] > respondents[i]:
                raise Inconsistent(f"institution {i}: a published n {b.col_lo[c]} > {respondents[i]} respondents")
            b.col_lo[c] = b.col_hi[c] = float(respondents[i])
    if national_respondents is not None and nat in r_col:
        b.col_lo[r_col[nat]] = b.col_hi[r_col[nat]] = float(national_respondents)

    vars_ = sorted(part["item_id"].unique())
    for var in vars_:
        for total, parts in lines:
            b.row([(1.0, term[(total, var)])] + [(-1.0, term[(p, var)]) for p in parts], 0.0, 0.0, f"{var} {total}")

    add_theme_rows(b, units, term, r_term, score_items, facts)
    r_inst = {i: r_col[("institution", i, "")] for i in insts}
    return b, hidden, r_inst


def add_theme_rows(b: Builder, units, term: dict, r_term: dict, score_items: dict[str, list[str]],
                   facts: frozenset[str] = FACTS) -> None:
    """Theme scores per unit: h·n_T ≤ Σ n_A ≤ k·n_T + (h − 1)(R − n_T), h = ceil(k/2); k ≤ 2: n_A ≤ n_T.

    `term[(unit, var)]` and `r_term[unit]` are ('x', column) or ('c', value); a unit lacking
    the theme or one of its items is left out."""
    for theme, items in score_items.items():
        if "__" in theme and "subsets" not in facts:
            continue  # `__shared`/`__trend` scores: only n ≤ R(u)
        k = len(items)
        h = math.ceil(k / 2)
        for u in units:
            if (u, theme) not in term or u not in r_term or any((u, a) not in term for a in items):
                continue
            t = term[(u, theme)]
            items_terms = [(1.0, term[(u, a)]) for a in items]
            b.row([(float(h), t)] + [(-1.0, x) for _, x in items_terms], -INF, 0.0, f"{theme} {u} ≥")
            b.row(items_terms + [(-float(k - h + 1), t), (-float(h - 1), r_term[u])], -INF, 0.0, f"{theme} {u} ≤")
            if h == 1 and "item_le_theme" in facts:
                for _, x in items_terms:
                    b.row([(1.0, x), (-1.0, t)], -INF, 0.0, f"{theme} {u} item ≤ theme")


def attack_edition(part: pd.DataFrame, score_items: dict[str, list[str]], respondents: dict[str, int],
                   national_respondents: int | None, min_n: int, prune: bool = True, engine: str = "auto",
                   facts: frozenset[str] = FACTS) -> dict:
    """Ranges of every hidden row and of the unprinted institution respondent counts."""
    start = time.perf_counter()
    b, hidden, r_inst = build_edition(part, score_items, respondents, national_respondents, facts)
    if b.broken:
        raise Inconsistent("published figures break the attacker's facts: " + "; ".join(b.broken[:5]))
    built = time.perf_counter() - start
    solver = RangeSolver(b, engine=engine)
    free_r = {i: c for i, c in r_inst.items() if b.col_lo[c] != b.col_hi[c]}
    targets = [h["col"] for h in hidden] + list(free_r.values())
    found = solver.ranges(targets, min_n, prune=prune)
    for h in hidden:
        rng = found[h["col"]]
        h["range"] = None if rng is None else integer_range(*rng)
    r_ranges = {i: (None if found[c] is None else integer_range(*found[c])) for i, c in free_r.items()}
    return {"hidden": hidden, "respondents": r_ranges, "rows": b.shape[0], "cols": b.shape[1],
            "solves": solver.solves, "lp_seconds": solver.seconds, "seconds": time.perf_counter() - start,
            "build_seconds": built, "engine": solver.engine}


def tally(ranges, min_n: int) -> dict[str, int]:
    counts = dict.fromkeys(KEYS, 0)
    for rng in ranges:
        counts["hidden"] += 1
        if rng is None:
            continue  # skipped: its seen spread already rules out a finding
        for key, value in classify(rng[0], rng[1], min_n).items():
            counts[key] += value
    return counts


def line(counts: dict[str, int]) -> str:
    return (f"hidden {counts['hidden']}, findings {counts['finding']} (range < min_n {counts['narrow']}, "
            f"hi < min_n {counts['small']}, exact {counts['exact']}, exact non-zero {counts['exact_nonzero']}); "
            f"proven empty {counts['empty']}")


def run(site: Path, min_n: int = 10, show: int = 0, editions: list[int] | None = None,
        prune: bool = True, engine: str = "auto", facts: frozenset[str] = FACTS, out=print) -> dict[int, dict]:
    csv = site / "downloads" / "resultaten.csv"
    frame = read_results(csv)
    score_items = read_score_items(site / "downloads" / "vragenlijst.csv")
    names, national = read_response_table(site / "verantwoording" / "index.html")
    inst_names = (frame[frame["level"] == "institution"][["institution_id", "institution"]]
                  .drop_duplicates().itertuples(index=False))
    name_to_id = {clean_name(str(name)): iid for iid, name in inst_names}
    unknown = sorted(set(names) - set(name_to_id))
    if unknown:
        out(f"response table: names not in the CSV (ignored): {unknown}")
    respondents = {name_to_id[n]: v for n, v in names.items() if n in name_to_id}
    current = int(frame["edition"].max())
    out(f"{csv}: min_n {min_n}; facts {sorted(facts) or 'basic only'}; response table: {sum(v is not None for v in respondents.values())} of "
        f"{len(respondents)} institutions printed (edition {current})"
        + (f", national {national}" if national is not None else ""))
    results = {}
    shown = 0
    for edition, part in frame.groupby("edition"):
        edition = int(edition)
        if editions and edition not in editions:
            continue
        known = respondents if edition == current else {}
        res = attack_edition(part, score_items.get(edition, {}), known, national if edition == current else None,
                             min_n, prune=prune, engine=engine, facts=facts)
        results[edition] = res
        cells = [h["range"] for h in res["hidden"] if h["unit"][0] == "institution_domain"]
        totals = [h["range"] for h in res["hidden"] if h["unit"][0] != "institution_domain"]
        out(f"edition {edition}: LP {res['cols']} unknowns × {res['rows']} constraints, {res['solves']} solves "
            f"({res['engine']}), {res['seconds']:.1f} s (LP {res['lp_seconds']:.1f} s)")
        out(f"  cells (institution × domain): {line(tally(cells, min_n))}")
        out(f"  totals (institution, domain): {line(tally(totals, min_n))}")
        out(f"  respondents per institution not printed: {line(tally(res['respondents'].values(), min_n))}")
        for h in res["hidden"]:
            rng = h["range"]
            if rng is None or shown >= show or not classify(rng[0], rng[1], min_n)["finding"]:
                continue
            shown += 1
            level, inst, dom = h["unit"]
            out(f"    {edition} {h['var']} [{inst or 'all'} × {dom or 'all'}] {h['status']}: n in {rng[0]}–{rng[1]}")
        for i, rng in res["respondents"].items():
            if rng is not None and classify(rng[0], rng[1], min_n)["finding"]:
                out(f"    {edition} respondents of {i}: {rng[0]}–{rng[1]}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site (its downloads and verantwoording)")
    parser.add_argument("--min-n", type=int, default=10)
    parser.add_argument("--show", type=int, default=0, help="print this many findings with their ranges")
    parser.add_argument("--edition", type=int, action="append", help="only this edition (repeatable)")
    parser.add_argument("--no-prune", action="store_true", help="solve both LPs of every hidden row")
    parser.add_argument("--engine", choices=("auto", "highspy", "scipy"), default="auto")
    parser.add_argument("--without", action="append", choices=sorted(FACTS), default=[],
                        help="leave out an optional fact (subsets: `__shared`/`__trend` scores get only n ≤ R; "
                             "item_le_theme: no n_A ≤ n_T for themes of one or two items)")
    args = parser.parse_args(argv)
    run(args.site, args.min_n, args.show, args.edition, prune=not args.no_prune, engine=args.engine,
        facts=FACTS - set(args.without))
    return 0


if __name__ == "__main__":
    sys.exit(main())
