"""Hand-made item tables for the disclosure and audit tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st


def with_margins(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Table of n with institution totals (last column), domain totals (last row), national."""
    rows, cols = cells.shape
    n = np.zeros((rows + 1, cols + 1), dtype="int64")
    n[:-1, :-1] = cells
    n[:-1, -1] = cells.sum(axis=1)
    n[-1, :-1] = cells.sum(axis=0)
    n[-1, -1] = cells.sum()
    return n, n > 0


# Random institution × domain tables of n: small cells (some below min_n) and larger ones.
random_tables = st.integers(2, 7).flatmap(
    lambda rows: st.integers(2, 6).flatmap(
        lambda cols: st.lists(
            st.one_of(st.integers(0, 12), st.integers(10, 80)), min_size=rows * cols, max_size=rows * cols
        ).map(lambda values: np.array(values).reshape(rows, cols))
    )
)
