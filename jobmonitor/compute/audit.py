"""The disclosure audit stage: every edition's statuses checked with the solver kit
(`recoverability`: rank test, small sets, interval rule, answer categories) and, under linked
protection, every hidden count against the linked attacker (`witness.verify`); findings named
by item, institution and domain. Runs before every release; a finding blocks it.
"""

from __future__ import annotations

import re

import pandas as pd

from jobmonitor.compute.grid import UnitGrid, to_grids
from jobmonitor.compute.linked import linked_edition
from jobmonitor.compute.recoverability import answer_categories, answer_grids, audit_table, unanimity_findings
from jobmonitor.compute.witness import verify
from jobmonitor.results import SUPPRESSED


def audit_statuses(sums: pd.DataFrame, status: pd.Series, grid: UnitGrid, min_n: int) -> list[str]:
    """The audit of one edition (rank test, small sets, interval rule, answer categories):
    findings naming item and units."""
    frame = sums.assign(hidden=status.isin(SUPPRESSED).to_numpy())
    var_ids, n = to_grids(frame, grid, "n", 0)
    _, hidden = to_grids(frame, grid, "hidden", False)
    answers = answer_grids(frame, grid)
    measures = frame.drop_duplicates("item_id").set_index("item_id")["measure"]
    findings = []
    for v, var in enumerate(var_ids):
        found = audit_table(n[v], grid.present, hidden[v], min_n)
        categories = answer_categories(measures[var]) if answers else ()
        if categories:
            found += unanimity_findings(n[v], {c: a[v] for c, a in answers.items()}, grid.present, hidden[v], categories)
        for _, finding in found:
            findings.append(f"edition {frame['edition'].iloc[0]}, item {var}: {_name_positions(finding, grid)}")
    return findings


def audit_linked(table: pd.DataFrame, grid: UnitGrid, responses: pd.DataFrame, questionnaire, extra: dict[str, list[str]],
                 linked, min_n: int) -> list[str]:
    """The linked audit of one edition protected against the linked attacker (`linked`:
    `disclosure.LinkedProtection`): its facts built afresh from the table as published, and
    every hidden count with respondents cleared by the protection's integer witnesses — each
    checked against every fact — or named as a finding."""
    edition = linked_edition(table, grid, responses, questionnaire, extra, min_n, linked.units[:-1, -1])
    var_ids = list(pd.unique(table["item_id"]))
    order = [linked.var_ids.index(v) if v in linked.var_ids else -1 for v in var_ids]
    if -1 in order:
        return [f"edition {table['edition'].iloc[0]}: the linked witnesses miss vars "
                f"{[v for v, o in zip(var_ids, order) if o < 0][:5]}"]
    witnesses = [(n[order], respondents) for n, respondents in linked.witnesses]
    return [f"edition {table['edition'].iloc[0]}, item {var_ids[v]}: {_name_positions(str((r, c)), grid)} "
            f"not cleared by two integer tables ≥ {min_n} apart (linked questions)"
            for v, r, c in verify(edition, witnesses, min_n)]


def _name_positions(finding: str, grid: UnitGrid) -> str:
    """Turn (row, col) positions in a finding into institution/domain ids."""
    def name(match: re.Match) -> str:
        r, c = int(match.group(1)), int(match.group(2))
        inst = grid.institution_ids[r] if r < len(grid.institution_ids) else "all institutions"
        dom = grid.domain_ids[c] if c < len(grid.domain_ids) else "all domains"
        return f"[{inst} × {dom}]"

    return re.sub(r"\((\d+), (\d+)\)", name, finding)
