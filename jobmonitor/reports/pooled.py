"""The pooled attacker of the report packs: institutions may share their packs, and the national
benchmark file gives the national count of every leerweg, niveau and voltijd group. The national
BBL n of a question minus the other institutions' BBL n is the last institution's hidden BBL
group, however well its own pack protects it.

So per grouping and var the groups of every institution form one table — institutions ×
values, the institution totals and the national counts as its margins — protected like the
site's institution × domain table (`compute.disclosure.protect_tables`: primary, complementary,
the interval audit). Every pack and the benchmark file then show exactly that table's pattern:
their own joint protection keeps it fixed, as it keeps the site's domain pattern. It is computed
over every institution before any pack is written, so a pack built alone (`--institution`) has
the pattern of the full run.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from jobmonitor.compute.disclosure import protect_tables
from jobmonitor.compute.recoverability import audit_table
from jobmonitor.compute.score import Scores
from jobmonitor.reports.breakdown import TOTAL
from jobmonitor.reports.groupings import POOLED_GROUPINGS, UNKNOWN
NATIONAL = None  # the benchmark file's key in the patterns

# grouping → institution (NATIONAL for the benchmark) → (group value, var) → hidden
Patterns = dict[str, dict[str | None, dict[tuple[str, str], bool]]]


def group_values(responses: pd.DataFrame, column: str) -> np.ndarray:
    """Each respondent's group value as the packs name it (no value: UNKNOWN)."""
    values = responses[column].astype("string").to_numpy(object, na_value=None)
    return np.array([UNKNOWN if v is None else str(v) for v in values], dtype=object)


def pooled_counts(scores: Scores, values: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(group values, n per var × institution × value with margins last, which positions
    exist: a group with respondents, and every total)."""
    codes, names = pd.factorize(values, sort=True)
    n_inst, n_values = len(scores.institution_ids), len(names)
    key = scores.institution_code.astype("int64") * n_values + codes
    size = n_inst * n_values
    counts = np.zeros((len(scores.var_ids), n_inst + 1, n_values + 1), dtype="int64")
    for j in range(len(scores.var_ids)):
        answered = ~np.isnan(scores.values[:, j])
        counts[j, :-1, :-1] = np.bincount(key[answered], minlength=size).reshape(n_inst, n_values)
    counts[:, -1, :-1] = counts[:, :-1, :-1].sum(axis=1)
    counts[:, :-1, -1] = counts[:, :-1, :-1].sum(axis=2)
    counts[:, -1, -1] = counts[:, :-1, :-1].sum(axis=(1, 2))
    present = np.zeros((n_inst + 1, n_values + 1), dtype=bool)
    present[:-1, :-1] = np.bincount(key, minlength=size).reshape(n_inst, n_values) > 0
    present[:-1, -1] = present[:-1, :-1].any(axis=1)
    present[-1, :] = True
    return [str(v) for v in names], counts, present


def pooled_patterns(scores: Scores, responses: pd.DataFrame, total_hidden: dict[str, dict[str, bool]],
                    min_n: int, also_hidden: Patterns | None = None, known: Patterns | None = None) -> Patterns:
    """The hidden pattern of every pooled grouping, per institution and nationally.
    `total_hidden`: institution → var → its own figure hidden on the site (the pack then
    hides the whole var: the institution's row is hidden from the start); `also_hidden`:
    groups a pack's own joint protection hid; `known`: groups a pack shows because they follow
    from its other published groups anyway (niveau 1 = the domain Entree): never a complement."""
    patterns: Patterns = {}
    institutions = list(scores.institution_ids)
    for column in (c for c in POOLED_GROUPINGS if c in responses.columns):
        names, counts, present = pooled_counts(scores, group_values(responses, column))
        initial = np.zeros(counts.shape, dtype=bool)
        for i, institution in enumerate(institutions):
            hidden_vars = total_hidden.get(institution, {})
            rows = [v for v, var in enumerate(scores.var_ids) if hidden_vars.get(var, False)]
            initial[rows, i, :] = True
        eligible = np.ones(counts.shape, dtype=bool)
        var_pos = {var: v for v, var in enumerate(scores.var_ids)}
        value_pos = {value: k for k, value in enumerate(names)}
        units = {institution: i for i, institution in enumerate([*institutions, NATIONAL])}
        for flags, target, mark in ((also_hidden, initial, True), (known, eligible, False)):
            for unit, cells in (flags or {}).get(column, {}).items():
                for (value, var), flag in cells.items():
                    if flag and value in value_pos and var in var_pos:
                        target[var_pos[var], units[unit], value_pos[value]] = mark
        initial &= present[None] & eligible
        # Counts ≥ 0, as the packs' own joint audit takes them: a group with students may have
        # none who answered a given question.
        hidden = protect_tables(counts, present, min_n, labels=[f"{column} · {v}" for v in scores.var_ids],
                                initial=initial, eligible=eligible, floor=0)
        per_unit: dict[str | None, dict[tuple[str, str], bool]] = {}
        for i, institution in enumerate([*institutions, NATIONAL]):
            per_unit[institution] = {(value, var): bool(hidden[v, i, k]) for k, value in enumerate(names)
                                     for v, var in enumerate(scores.var_ids) if present[i, k]}
        patterns[column] = per_unit
    return patterns


def total_hidden_by_institution(results: pd.DataFrame, edition: int) -> dict[str, dict[str, bool]]:
    """From the site's results: institution → var → its own figure hidden."""
    rows = results[(results["edition"] == edition) & (results["level"] == "institution")]
    hidden = rows["status"].astype(str).str.startswith("suppressed")
    out: dict[str, dict[str, bool]] = {}
    for institution, var, flag in zip(rows["institution_id"].astype(str), rows["item_id"], hidden):
        out.setdefault(institution, {})[var] = bool(flag)
    return out


SETTLE_ROUNDS = 8


def settle(patterns_for: Callable[[Patterns | None, Patterns | None], Patterns],
           breakdowns_of: Callable[[str | None, dict], list], units: list[str | None],
           map_units: Callable[[Callable, list], list] | None = None) -> tuple[Patterns, dict]:
    """The pooled patterns and every unit's breakdowns, settled together: each unit protects
    its own tables on top of the pooled pattern; a group it hides more becomes hidden in the
    pooled table too, a group it shows because it is known anyway becomes a published fact
    there (and stays one); the pooled tables are protected again, and units whose share
    changed again, until nothing new is learnt or the rounds run out. What the packs then show
    is audited as a whole (`pooled_findings`): settling is protection, the audit the proof.
    `map_units(breakdowns_of, [(unit, share), …])`: the units' breakdowns in order (default:
    one after another; the packs spread them over the cores). Returns the patterns and unit →
    breakdowns."""
    also_hidden: Patterns = {}
    known: Patterns = {}
    patterns = patterns_for(None, None)
    done: dict = {}
    shares: dict = {}
    for _ in range(SETTLE_ROUNDS):
        learnt = False
        todo = []
        for unit in units:
            share = {g: per_unit.get(unit, {}) for g, per_unit in patterns.items()}
            if shares.get(unit) != share:
                shares[unit] = share
                todo.append((unit, share))
        results = (map_units or _one_by_one)(breakdowns_of, todo)
        done.update({unit: result for (unit, _), result in zip(todo, results)})
        for unit in units:
            share = shares[unit]
            for grouping, group, var, hidden in _pooled_statuses(done[unit], patterns):
                planned = share[grouping].get((group, var))
                if planned is None or planned == hidden:
                    continue
                is_known = known.get(grouping, {}).get(unit, {}).get((group, var), False)
                target = known if not hidden else (None if is_known else also_hidden)
                if target is None or target.get(grouping, {}).get(unit, {}).get((group, var)):
                    continue
                target.setdefault(grouping, {}).setdefault(unit, {})[(group, var)] = True
                learnt = True
        if not learnt:
            break
        patterns = patterns_for(also_hidden, known)
    return patterns, done


def _one_by_one(breakdowns_of: Callable, todo: list) -> list:
    return [breakdowns_of(unit, share) for unit, share in todo]


def _pooled_statuses(breakdowns: list, groupings) -> list[tuple[str, str, str, bool]]:
    """(grouping, group, var, hidden) of every group of the pooled groupings in a unit's tables."""
    out = []
    for breakdown in breakdowns:
        grouping = breakdown.grouping.id
        if grouping not in groupings:
            continue
        table = breakdown.table
        shown = table["group"].to_numpy() != TOTAL
        out += [(grouping, g, v, s != "published") for g, v, s in
                zip(table["group"][shown], table["item_id"][shown], table["status"][shown])]
    return out


def pooled_findings(scores: Scores, responses: pd.DataFrame, breakdowns: dict, min_n: int) -> list[str]:
    """The pooled attacker's view of what the packs and the benchmark file show: per pooled
    grouping and var, institutions × values with the institution totals and the national
    counts as margins, every hidden figure checked by the site's audit (rank test, interval
    rule). Empty when no hidden group can be narrowed by pooling every pack."""
    findings = []
    institutions = list(scores.institution_ids)
    for column in (c for c in POOLED_GROUPINGS if c in responses.columns):
        names, counts, present = pooled_counts(scores, group_values(responses, column))
        hidden = np.zeros(counts.shape, dtype=bool)
        var_pos = {var: v for v, var in enumerate(scores.var_ids)}
        value_pos = {value: k for k, value in enumerate(names)}
        for i, unit in enumerate([*institutions, NATIONAL]):
            for breakdown in breakdowns.get(unit, []):
                if breakdown.grouping.id != column:
                    continue
                table = breakdown.table
                for group, var, status in zip(table["group"], table["item_id"], table["status"]):
                    k = hidden.shape[2] - 1 if group == TOTAL else value_pos.get(group)
                    if k is not None and var in var_pos:
                        hidden[var_pos[var], i, k] = status != "published"
        hidden &= present[None]
        for v, var in enumerate(scores.var_ids):
            for _, text in audit_table(counts[v], present, hidden[v], min_n, floor=0):
                findings.append(f"{column} · {var}: {_name(text, institutions, names)}")
    return findings


def _name(text: str, institutions: list[str], values: list[str]) -> str:
    """Positions (row, col) in an audit finding as institution × group value."""
    import re  # noqa: PLC0415

    def name(match):
        r, c = int(match.group(1)), int(match.group(2))
        unit = institutions[r] if r < len(institutions) else "national"
        value = values[c] if c < len(values) else "total"
        return f"[{unit} × {value}]"

    return re.sub(r"\((\d+), (\d+)\)", name, text)
