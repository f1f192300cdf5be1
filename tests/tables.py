"""Hand-made item tables for the disclosure and audit tests."""

from __future__ import annotations

import numpy as np


def with_margins(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Table of n with institution totals (last column), domain totals (last row), national."""
    rows, cols = cells.shape
    n = np.zeros((rows + 1, cols + 1), dtype="int64")
    n[:-1, :-1] = cells
    n[:-1, -1] = cells.sum(axis=1)
    n[-1, :-1] = cells.sum(axis=0)
    n[-1, -1] = cells.sum()
    return n, n > 0
