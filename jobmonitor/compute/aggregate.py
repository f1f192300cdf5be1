"""Weighted sums per unit × item at all four levels, with one `bincount` per sum and item.

Only institution × domain cells are summed from respondents; institutions, domains and the
national total are sums of those cells, so every level adds up exactly (which the disclosure
audit relies on) and no Python loop runs over units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jobmonitor.compute.score import Scores
from jobmonitor.results import ANSWER_CODES

SUM_COLUMNS = ["n", "sw", "sw2", "swx", "swx2", "swx3", "swx4"]
# Answer codes whose distribution is published (5-point 1–5 and 9 = n.v.t.; yes/no 0 and 1):
# per code the respondent count (for the disclosure audit) and the weighted sum (for the %).
DISTRIBUTION_SCALES = ("scale5", "yesno")
ANSWER_COUNT_COLUMNS = [f"n_answer_{code}" for code in ANSWER_CODES]
ANSWER_WEIGHT_COLUMNS = [f"sw_answer_{code}" for code in ANSWER_CODES]


# Item answers are small whole numbers (0/1, 1–10): one bucket per value plus one for "empty".
VALUE_BUCKETS = 12
EMPTY_BUCKET = VALUE_BUCKETS - 1


def cell_sums(scores: Scores) -> np.ndarray:
    """Array (7, vars, institutions, domains) of n, Σw, Σw², Σwx, Σwx², Σwx³, Σwx⁴ per cell
    (the third and fourth moments correct the means' test for skewness at small n)."""
    n_inst, n_dom = len(scores.institution_ids), len(scores.domain_ids)
    cells = scores.institution_code.astype("int64") * n_dom + scores.domain_code
    w = scores.weights
    w2 = w * w
    out = np.zeros((len(SUM_COLUMNS), len(scores.var_ids), n_inst * n_dom))
    for j, kind in enumerate(scores.kinds):
        x = scores.values[:, j]
        out[:, j] = _discrete_sums(cells, w, w2, x, n_inst * n_dom) if kind == "item" else continuous_sums(cells, w, x, n_inst * n_dom)
    return out.reshape(len(SUM_COLUMNS), len(scores.var_ids), n_inst, n_dom)


def _discrete_sums(cells, w, w2, x, n_cells) -> np.ndarray:
    """Three bincounts over cell × answer value, no masking: the sums follow from the
    per-value totals (Σwx = Σ_v v·Σw_v)."""
    code = np.where(np.isnan(x), EMPTY_BUCKET, x).astype("int64")
    key = cells * VALUE_BUCKETS + code
    size = n_cells * VALUE_BUCKETS
    per_value = [np.bincount(key, minlength=size), np.bincount(key, w, minlength=size), np.bincount(key, w2, minlength=size)]
    count, sw, sw2 = (a.reshape(n_cells, VALUE_BUCKETS)[:, :EMPTY_BUCKET] for a in per_value)
    value = np.arange(EMPTY_BUCKET, dtype="float64")
    return np.stack([count.sum(1), sw.sum(1), sw2.sum(1), sw @ value, sw @ value ** 2, sw @ value ** 3, sw @ value ** 4])


def continuous_sums(cells, w, x, n_cells) -> np.ndarray:
    """The seven sums per cell of values `x` (NaN: not counted), cell codes in 0..n_cells − 1."""
    valid = ~np.isnan(x)
    key, wv, xv = cells[valid], w[valid], x[valid].astype("float64")
    wx = wv * xv
    return np.stack([np.bincount(key, minlength=n_cells), np.bincount(key, wv, minlength=n_cells),
                     np.bincount(key, wv * wv, minlength=n_cells), np.bincount(key, wx, minlength=n_cells),
                     np.bincount(key, wx * xv, minlength=n_cells), np.bincount(key, wx * xv * xv, minlength=n_cells),
                     np.bincount(key, wx * xv * xv * xv, minlength=n_cells)])


def cell_answer_sums(scores: Scores, answers: np.ndarray, scales: list[str]) -> np.ndarray:
    """Array (2·codes, vars, institutions, domains): respondents, then Σw, per answer code and
    cell, for the items with a published distribution (zeros elsewhere). One bincount per item
    and sum on key = cell · codes + code."""
    n_inst, n_dom = len(scores.institution_ids), len(scores.domain_ids)
    n_cells, n_codes = n_inst * n_dom, len(ANSWER_CODES)
    cells = scores.institution_code.astype("int64") * n_dom + scores.domain_code
    lookup = np.full(max(ANSWER_CODES) + 2, n_codes, dtype="int64")  # unknown/empty → dropped
    lookup[list(ANSWER_CODES)] = np.arange(n_codes)
    out = np.zeros((2 * n_codes, len(scores.var_ids), n_cells))
    for j, scale in enumerate(scales):
        if scale not in DISTRIBUTION_SCALES:
            continue
        x = answers[:, j]
        code = lookup[np.where(np.isnan(x), max(ANSWER_CODES) + 1, x).astype("int64")]
        key = cells * (n_codes + 1) + code
        size = n_cells * (n_codes + 1)
        count = np.bincount(key, minlength=size).reshape(n_cells, n_codes + 1)[:, :n_codes]
        weight = np.bincount(key, scores.weights, minlength=size).reshape(n_cells, n_codes + 1)[:, :n_codes]
        out[:n_codes, j] = count.T
        out[n_codes:, j] = weight.T
    return out.reshape(2 * n_codes, len(scores.var_ids), n_inst, n_dom)


def respondent_cells(scores: Scores) -> np.ndarray:
    """Boolean (institutions, domains): cells with at least one respondent (the units shown)."""
    n_inst, n_dom = len(scores.institution_ids), len(scores.domain_ids)
    counts = np.bincount(scores.institution_code.astype("int64") * n_dom + scores.domain_code, minlength=n_inst * n_dom)
    return counts.reshape(n_inst, n_dom) > 0


def aggregate(scores: Scores, answers: np.ndarray | None = None, scales: list[str] | None = None) -> pd.DataFrame:
    """Tidy sums: one row per level × unit × var, for every unit that has respondents; with
    `answers` (respondents × items, the raw codes) and the items' `scales`, also the sums per
    answer code that the published answer distribution rests on."""
    sums = cell_sums(scores)
    columns = list(SUM_COLUMNS)
    if answers is not None:
        sums = np.concatenate([sums, cell_answer_sums(scores, answers, list(scales) + [""] * (len(scores.var_ids) - len(scales)))])
        columns += ANSWER_COUNT_COLUMNS + ANSWER_WEIGHT_COLUMNS
    present = respondent_cells(scores)
    inst_present = present.any(axis=1)
    dom_present = present.any(axis=0)
    inst_ids = np.array(scores.institution_ids, dtype=object)
    dom_ids = np.array(scores.domain_ids, dtype=object)
    ii, dd = np.nonzero(present)
    blocks = [
        ("national", sums.sum(axis=(2, 3))[..., None], [None], [None]),
        ("institution", sums.sum(axis=3)[..., inst_present], inst_ids[inst_present], [None] * inst_present.sum()),
        ("domain", sums.sum(axis=2)[..., dom_present], [None] * dom_present.sum(), dom_ids[dom_present]),
        ("institution_domain", sums[:, :, ii, dd], inst_ids[ii], dom_ids[dd]),
    ]
    frames = [_block_frame(scores, level, block, inst, dom, columns) for level, block, inst, dom in blocks]
    table = pd.concat(frames, ignore_index=True)
    table["n"] = table["n"].round().astype("int64")
    if answers is not None:
        table[ANSWER_COUNT_COLUMNS] = table[ANSWER_COUNT_COLUMNS].round().astype("int64")
    return table


def _block_frame(scores: Scores, level: str, block: np.ndarray, inst, dom, columns: list[str]) -> pd.DataFrame:
    """Long rows for one level: units vary slowest, then vars."""
    n_vars, n_units = block.shape[1], block.shape[2]
    frame = pd.DataFrame(
        {
            "edition": scores.year,
            "level": level,
            "institution_id": np.repeat(np.asarray(inst, dtype=object), n_vars),
            "domain_id": np.repeat(np.asarray(dom, dtype=object), n_vars),
            "item_id": np.tile(scores.var_ids, n_units),
            "kind": np.tile(scores.kinds, n_units),
            "measure": np.tile(scores.measures, n_units),
            "direction": np.tile(scores.directions, n_units),
        }
    )
    values = {column: block[k].T.reshape(-1) for k, column in enumerate(columns)}
    frame = pd.concat([frame, pd.DataFrame(values)], axis=1)
    frame["institution_id"] = frame["institution_id"].astype("string")
    frame["domain_id"] = frame["domain_id"].astype("string")
    return frame
