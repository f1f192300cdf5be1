"""The breakdown tables of an institution report: the institution's respondents split by each of
its groupings (`groupings`), per item and theme.

The same protection as the public site, per table and across tables: a group below min_n is
hidden, complementary suppression against the table's margin (the institution total, published
in the same pack) plus the audit's interval and unanimity checks run on the groups × total table
(`compute.disclosure.protect_tables`, as for the response table). The domain table keeps the
public site's hidden pattern (the site already published it). Linked tables leak together, so
`joint_audit` then checks every table of the institution at once, over the cross-classification
of all its groupings, and hides more until nothing is derivable; a pack it cannot protect is
refused. Each shown group is tested against the rest of the institution with the site's tests
and relevance rule, one Benjamini–Hochberg family per table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jobmonitor.codebook import PCT_MEASURES
from jobmonitor.compute.aggregate import SUM_COLUMNS, continuous_sums
from jobmonitor.compute.disclosure import protect_tables
from jobmonitor.compute.estimate import effective_n, point_estimates, weighted_mean_variance
from jobmonitor.compute.score import Scores
from jobmonitor.compute.significance import VERDICTS, adjust_pvalues, markers, relevant, two_group_test, verdicts
from jobmonitor.config import Thresholds
from jobmonitor.errors import AuditFailed
from jobmonitor.reports.groupings import Grouping
from jobmonitor.reports.joint_audit import protect_jointly

MAX_ROUNDS = 5  # joint protection, then showing complements that are known anyway, and again
TOTAL = "__totaal__"  # the institution total's group value in a table
TABLE_COLUMNS = ["group", "item_id", "kind", "measure", "direction", "status", "n", "n_eff", "estimate", "ci_low",
                 "ci_high", "difference_rest", "effect_size", "p_value", "p_adjusted", "marker", "verdict"]


@dataclass(frozen=True)
class Breakdown:
    grouping: Grouping
    table: pd.DataFrame  # TABLE_COLUMNS; one row per group (then TOTAL) × var, var-major


def institution_rows(scores: Scores, institution_id: str) -> np.ndarray:
    return np.flatnonzero(np.asarray(scores.institution_ids, dtype=object)[scores.institution_code] == institution_id)


def group_sums(scores: Scores, rows: np.ndarray, groups: pd.Series | np.ndarray, order=None) -> pd.DataFrame:
    """n, Σw, Σw², Σwx … per group (in `order`, else first seen; then the total of all `rows`)
    and var, for one grouping on its own (`breakdown`); respondents in no group count in the
    total only. `groups`: one value per respondent of the edition, or per row of `rows`."""
    values = np.asarray(groups, dtype=object)
    values = values[rows] if len(values) != len(rows) else values
    if order is None:
        codes, names = pd.factorize(values, use_na_sentinel=True)
        names = [str(n) for n in names]
    else:
        names = list(order)
        codes = pd.Categorical(values, categories=names).codes.astype("int64")
    size = len(names)
    keys = np.where(codes >= 0, codes, size)  # no group: a last slot, dropped
    w, matrix = scores.weights[rows], scores.values[rows]
    sums = np.empty((len(SUM_COLUMNS), matrix.shape[1], size + 1))
    for j in range(matrix.shape[1]):
        x = matrix[:, j]
        sums[:, j, :-1] = continuous_sums(keys, w, x, size + 1)[:, :-1]
        sums[:, j, -1] = continuous_sums(np.zeros(len(x), dtype="int64"), w, x, 1)[:, 0]
    return sums_table(scores, names, sums)


def sums_table(scores: Scores, names: list[str], part: np.ndarray) -> pd.DataFrame:
    """One table of sums (SUM_COLUMNS × vars × groups, the total last) as rows: var-major,
    every group then the total."""
    names = list(names) + [TOTAL]
    size = len(names)
    table = pd.DataFrame({
        "group": np.tile(np.array(names, dtype=object), len(scores.var_ids)),
        "item_id": np.repeat(np.array(scores.var_ids, dtype=object), size),
        "kind": np.repeat(np.array(scores.kinds, dtype=object), size),
        "measure": np.repeat(np.array(scores.measures, dtype=object), size),
        "direction": np.repeat(np.array(scores.directions, dtype=object), size),
        **{c: part[m].reshape(-1) for m, c in enumerate(SUM_COLUMNS)},
    })
    table["n"] = table["n"].round().astype("int64")
    return table


def breakdown(scores: Scores, institution_id: str, groups: pd.Series, thresholds: Thresholds) -> pd.DataFrame:
    """One grouping's protected, tested table on its own (no joint audit). `groups`: one
    value per respondent of the edition (NA: not in any group)."""
    rows = institution_rows(scores, institution_id)
    table = point_estimates(group_sums(scores, rows, groups), thresholds.confidence)
    hidden = _table_hidden(table["n"].to_numpy(), table["item_id"], thresholds.min_n)
    return _tested(table.assign(status=np.where(hidden, "suppressed", "published")), thresholds)


def institution_breakdowns(scores: Scores, rows: np.ndarray, groupings: list[Grouping], thresholds: Thresholds,
                           public_hidden: dict[tuple[str, str], bool], total_hidden: dict[str, bool],
                           pooled: dict[str, dict[tuple[str, str], bool]] | None = None,
                           whole_groups: bool = False) -> list[Breakdown]:
    """Every breakdown table of one institution, protected per table and jointly, then tested.
    `public_hidden`: (domain_id, var) → hidden on the public site; `total_hidden`: var → the
    institution's own figure hidden on the site (then the whole var is hidden); `pooled`:
    grouping → (group value, var) → hidden across every institution (`pooled`), where joint
    protection starts (the site's domain pattern stays fixed; `pooled.settle` takes back what
    joint protection changes in the pooled groupings). `whole_groups` (the linked attacker,
    `thresholds.protect_linked`): a group hidden in any question is hidden in every question.
    Why: a group's respondents bound every question's n in it, and a group shown in one
    question gives its respondents away, so a question hidden in a shown group is pinned."""
    min_n = thresholds.min_n
    fixed_maps = {g.id: public_hidden for g in groupings if g.public} | dict(pooled or {})
    cross = CrossClassification.of(groupings)
    sums, positives = cross.sums(scores, rows)
    tables, hidden = [], []
    for grouping, table in zip(groupings, cross.tables(scores, sums)):
        table = point_estimates(table, thresholds.confidence)
        var_ids = table["item_id"].to_numpy()
        if grouping.id in fixed_maps:
            keys = pd.Series(list(zip(table["group"], var_ids)))
            mask = keys.map(fixed_maps[grouping.id]).fillna(True).to_numpy(bool)
            mask[table["group"].to_numpy() == TOTAL] = False
        else:
            mask = _table_hidden(table["n"].to_numpy(), var_ids, min_n)
        mask |= pd.Series(var_ids).map(total_hidden).fillna(False).to_numpy(bool)
        tables.append(table)
        hidden.append(mask.reshape(len(scores.var_ids), len(grouping.order) + 1))
    hidden = _jointly_protected(scores, groupings, cross, sums[0], positives, hidden, min_n)
    if whole_groups:
        hidden = _whole_groups_protected(scores, groupings, cross, sums[0], positives, hidden, min_n,
                                         [t["n"].to_numpy().reshape(h.shape) for t, h in zip(tables, hidden)],
                                         pd.Series(scores.var_ids).map(total_hidden).fillna(False).to_numpy(bool))
    return [Breakdown(g, _tested(t.assign(status=np.where(h.reshape(-1), "suppressed", "published")), thresholds))
            for g, t, h in zip(groupings, tables, hidden)]


@dataclass(frozen=True)
class CrossClassification:
    """The cells of all groupings crossed (the combinations present), each respondent's cell,
    and which cells each group holds: the joint audit's unknowns, and the one pass of sums
    from which every table's groups follow by adding cells."""

    groupings: tuple[Grouping, ...]
    cell: np.ndarray  # per respondent (of `rows`), its cell
    membership: np.ndarray  # groups of every grouping, then the total × cells

    @classmethod
    def of(cls, groupings: list[Grouping]) -> "CrossClassification":
        codes = np.stack([pd.Categorical(g.values, categories=list(g.order)).codes for g in groupings], axis=1)
        combos, cell = np.unique(codes, axis=0, return_inverse=True)
        membership = np.concatenate([combos[:, k][None, :] == np.arange(len(g.order))[:, None]
                                     for k, g in enumerate(groupings)] + [np.ones((1, len(combos)), dtype=bool)])
        return cls(tuple(groupings), cell.reshape(-1), membership)

    def sums(self, scores: Scores, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The seven sums (SUM_COLUMNS × vars × cells), and per var and cell the respondents
        who answered positive (1) — the unanimity audit's counts."""
        everyone = len(rows) == len(scores.weights)  # the national benchmark: no copy of every answer
        w, matrix = (scores.weights, scores.values) if everyone else (scores.weights[rows], scores.values[rows])
        size = self.membership.shape[1]
        sums = np.empty((len(SUM_COLUMNS), matrix.shape[1], size))
        positives = np.empty((matrix.shape[1], size), dtype="int64")
        for j in range(matrix.shape[1]):
            x = matrix[:, j]
            sums[:, j, :] = continuous_sums(self.cell, w, x, size)
            positives[j] = np.bincount(self.cell, weights=x == 1, minlength=size).round()
        return sums, positives

    def tables(self, scores: Scores, sums: np.ndarray) -> list[pd.DataFrame]:
        """Each grouping's groups, then the total, × var: its cells added up."""
        total = sums.sum(axis=2, keepdims=True)
        out, start = [], 0
        for grouping in self.groupings:
            members = self.membership[start:start + len(grouping.order)].astype("float64")
            start += len(grouping.order)
            out.append(sums_table(scores, list(grouping.order), np.concatenate([sums @ members.T, total], axis=2)))
        return out


WHOLE_ROUNDS = 20


def _whole_groups_protected(scores, groupings, cross, n, positives, hidden, min_n, counts, var_hidden) -> list[np.ndarray]:
    """Groups hidden in any question hidden in every question, then the joint protection
    again on top of that (hiding a group in one more question can make it follow from that
    question's other figures), until it holds. A group the joint protection shows because
    the question's own published figures give it away anyway stays shown there: showing it
    tells nothing."""
    known = [np.zeros_like(h) for h in hidden]
    for _ in range(WHOLE_ROUNDS):
        widened = [h if g.public else h | (_whole_groups(h, c, var_hidden) & ~k)
                   for g, h, c, k in zip(groupings, hidden, counts, known)]
        if all(np.array_equal(w, h) for w, h in zip(widened, hidden)):
            return hidden
        protected = _jointly_protected(scores, groupings, cross, n, positives, widened, min_n)
        known = [k | (w & ~p) for k, w, p in zip(known, widened, protected)]
        hidden = protected
    raise AuditFailed(["report pack: groups hidden in every question did not settle in "
                       f"{WHOLE_ROUNDS} rounds of joint protection"])


def _whole_groups(hidden: np.ndarray, n: np.ndarray, var_hidden: np.ndarray) -> np.ndarray:
    """Groups (columns; the total last) hidden in any question with respondents, hidden in
    every question; questions the site hides for the whole institution do not count."""
    groups = hidden[:, :-1] & (n[:, :-1] > 0) & ~var_hidden[:, None]
    out = hidden.copy()
    out[:, :-1] |= groups.any(axis=0)[None, :]
    return out


def _table_hidden(n: np.ndarray, var_ids, min_n: int) -> np.ndarray:
    """Per var a one-column table (groups, then the institution total) protected like the
    response table: primary, complementary, interval audit."""
    var_ids = list(dict.fromkeys(var_ids))
    size = len(n) // len(var_ids)
    n = n.reshape(len(var_ids), size)
    hidden = n == 0
    # Only a table with a small group needs protecting: without one nothing is hidden but
    # empty groups, which an attacker knows are empty anyway.
    small = ((n > 0) & (n < min_n)).any(axis=1)
    if small.any():
        grid = np.zeros((int(small.sum()), size, 2), dtype="int64")
        grid[:, :, 0] = grid[:, :, 1] = n[small]
        hidden[small] |= protect_tables(grid, grid[0] >= 0, min_n)[:, :, 0]
    return hidden.reshape(-1)


def _jointly_protected(scores: Scores, groupings: list[Grouping], cross: "CrossClassification", n: np.ndarray,
                       positives: np.ndarray, hidden: list[np.ndarray], min_n: int) -> list[np.ndarray]:
    """The joint audit over the cross-classification of every grouping: one membership row
    per group of every table (each table's total is the same institution total, kept once)."""
    membership = cross.membership
    is_pct = np.isin(np.asarray(scores.measures), list(PCT_MEASURES))
    groups_hidden = np.concatenate([h[:, :-1] for h in hidden] + [hidden[0][:, -1:]], axis=1)
    fixed = np.concatenate([np.full(len(g.order), g.public) for g in groupings] + [np.ones(1, dtype=bool)])
    table_of = np.concatenate([np.full(len(g.order), k) for k, g in enumerate(groupings)] + [np.full(1, len(groupings))])
    counts = n.round().astype("int64")
    protected, left = groups_hidden, []
    for _ in range(MAX_ROUNDS):
        protected, left = protect_jointly(membership, counts, protected, min_n, fixed, positives=positives,
                                          is_pct=is_pct, grouping=table_of)
        known = _known_anyway(left, counts @ membership.T.astype("int64"), fixed, min_n)
        if not known:
            break
        protected = protected.copy()
        protected[tuple(np.array(known).T)] = False
    if left:
        names = [f"{g.name}: {g.names[v]}" for g in groupings for v in g.order] + ["total"]
        raise AuditFailed([f"{scores.var_ids[v]} · {names[g]}: {message}" for v, g, message in left])
    out, start = [], 0
    for g, h in zip(groupings, hidden):
        size = len(g.order)
        out.append(np.concatenate([protected[:, start:start + size], h[:, -1:]], axis=1))
        start += size
    return out


def _known_anyway(findings: list, group_n: np.ndarray, fixed: np.ndarray, min_n: int) -> list[tuple[int, int]]:
    """Hidden groups of at least min_n whose figure follows exactly from published ones (a
    complement that mirrors a group the public site shows, say niveau 1 = domain Entree):
    showing them adds nothing an attacker lacks, so they are shown and the audit runs again;
    their table's small groups then need another complement, which protection finds. Never a
    group the site hid (fixed): deriving that one would undo the site's own protection."""
    return [(v, g) for v, g, message in findings
            if "derivable" in message and group_n[v, g] >= min_n and not fixed[g]]


def _tested(table: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """Each shown group against the rest of the institution; one BH family for the table."""
    total = table[table["group"] == TOTAL].set_index("item_id")
    rest = {c: total.loc[table["item_id"], c].to_numpy("float64") - table[c].to_numpy("float64")
            for c in ("sw", "sw2", "swx", "swx2")}
    rest_n_eff = effective_n(rest["sw"], rest["sw2"])
    rest_mean, rest_var = weighted_mean_variance(rest["sw"], rest["swx"], rest["swx2"], rest_n_eff)
    testable = (table["group"] != TOTAL).to_numpy() & (table["status"] == "published").to_numpy() & (rest_n_eff > 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p, effect, difference = two_group_test(table, rest_mean, rest_var, rest_n_eff)
    p = np.where(testable, p, np.nan)
    adjusted = adjust_pvalues(pd.Series(p, index=table.index), [pd.Series("table", index=table.index)],
                              thresholds.multiple_testing).to_numpy()
    is_pct = table["measure"].isin(PCT_MEASURES).to_numpy()
    keep = relevant(difference, difference, effect, is_pct, thresholds)
    marker = markers(difference, adjusted, keep, thresholds.alpha)
    shown = table["status"].to_numpy() == "published"
    values = ("estimate", "ci_low", "ci_high", "n_eff")
    return table.assign(
        **{c: np.where(shown, table[c], np.nan) for c in values},
        n=table["n"].where(shown),
        difference_rest=np.where(testable, difference, np.nan), effect_size=np.where(testable, effect, np.nan),
        p_value=p, p_adjusted=adjusted, marker=marker,
        verdict=verdicts(marker, table["direction"].to_numpy(), ~np.isnan(adjusted), VERDICTS),
    )[TABLE_COLUMNS]
