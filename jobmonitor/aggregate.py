"""Weighted sums per unit × item at all four levels, with one `bincount` per sum and item.

Only institution × domain cells are summed from respondents; institutions, domains and the
national total are sums of those cells, so every level adds up exactly (which the disclosure
audit relies on) and no Python loop runs over units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jobmonitor.score import Scores

SUM_COLUMNS = ["n", "sw", "sw2", "swx", "swx2"]


def cell_sums(scores: Scores) -> np.ndarray:
    """Array (5, vars, institutions, domains) of n, Σw, Σw², Σwx, Σwx² per cell."""
    n_inst, n_dom = len(scores.institution_ids), len(scores.domain_ids)
    cells = scores.institution_code.astype("int64") * n_dom + scores.domain_code
    n_cells = n_inst * n_dom
    w = scores.weights
    out = np.zeros((5, len(scores.var_ids), n_cells))
    for j in range(len(scores.var_ids)):
        x = scores.values[:, j].astype("float64")
        valid = ~np.isnan(x)
        key, wv, xv = cells[valid], w[valid], x[valid]
        wx = wv * xv
        out[0, j] = np.bincount(key, minlength=n_cells)
        out[1, j] = np.bincount(key, wv, minlength=n_cells)
        out[2, j] = np.bincount(key, wv * wv, minlength=n_cells)
        out[3, j] = np.bincount(key, wx, minlength=n_cells)
        out[4, j] = np.bincount(key, wx * xv, minlength=n_cells)
    return out.reshape(5, len(scores.var_ids), n_inst, n_dom)


def respondent_cells(scores: Scores) -> np.ndarray:
    """Boolean (institutions, domains): cells with at least one respondent (the units shown)."""
    n_inst, n_dom = len(scores.institution_ids), len(scores.domain_ids)
    counts = np.bincount(scores.institution_code.astype("int64") * n_dom + scores.domain_code, minlength=n_inst * n_dom)
    return counts.reshape(n_inst, n_dom) > 0


def aggregate(scores: Scores) -> pd.DataFrame:
    """Tidy sums: one row per level × unit × var, for every unit that has respondents."""
    sums = cell_sums(scores)
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
    frames = [_block_frame(scores, level, block, inst, dom) for level, block, inst, dom in blocks]
    table = pd.concat(frames, ignore_index=True)
    table["n"] = table["n"].round().astype("int64")
    return table


def _block_frame(scores: Scores, level: str, block: np.ndarray, inst, dom) -> pd.DataFrame:
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
        }
    )
    for k, column in enumerate(SUM_COLUMNS):
        frame[column] = block[k].T.reshape(-1)
    frame["institution_id"] = frame["institution_id"].astype("string")
    frame["domain_id"] = frame["domain_id"].astype("string")
    return frame
