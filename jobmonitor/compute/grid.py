"""The table of one item: institutions × domains with institution totals as the last column,
domain totals as the last row and the national total in the corner, where disclosure control
and its audit work (every published figure is a sum over interior cells)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class UnitGrid:
    """Positions of the units of one edition in the (I+1) × (D+1) table."""

    institution_ids: list[str]
    domain_ids: list[str]
    present: np.ndarray  # bool (I+1, D+1): unit exists (has respondents)

    @classmethod
    def from_sums(cls, sums: pd.DataFrame, institution_ids, domain_ids) -> "UnitGrid":
        present = np.zeros((len(institution_ids) + 1, len(domain_ids) + 1), dtype=bool)
        rows, cols = cls._positions(sums, institution_ids, domain_ids)
        present[rows, cols] = True
        return cls(list(institution_ids), list(domain_ids), present)

    @staticmethod
    def _positions(frame: pd.DataFrame, institution_ids, domain_ids) -> tuple[np.ndarray, np.ndarray]:
        """Row and column per table row; totals (no institution / no domain) at the margins."""
        def position(column, ids):
            codes = pd.Categorical(frame[column], categories=list(ids)).codes.astype("int64")
            return np.where(codes < 0, len(ids), codes)

        return position("institution_id", institution_ids), position("domain_id", domain_ids)

    def positions(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        return self._positions(frame, self.institution_ids, self.domain_ids)

    def lines(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Every row and column of the table with its margin, as index arrays."""
        n_rows, n_cols = self.present.shape
        out = [(np.full(n_cols, r), np.arange(n_cols)) for r in range(n_rows)]
        out += [(np.arange(n_rows), np.full(n_rows, c)) for c in range(n_cols)]
        return out


def to_grids(table: pd.DataFrame, grid: UnitGrid, column: str, fill) -> tuple[list[str], np.ndarray]:
    """Pivot one column into an array (vars, I+1, D+1); vars in first-appearance order."""
    var_codes, var_ids = pd.factorize(table["item_id"])
    out = np.full((len(var_ids),) + grid.present.shape, fill, dtype=np.asarray(table[column]).dtype)
    rows, cols = grid.positions(table)
    out[var_codes, rows, cols] = table[column].to_numpy()
    return list(var_ids), out



def population_grid(population: pd.DataFrame, grid: UnitGrid) -> np.ndarray:
    """Population per unit position, with institution, domain and national totals."""
    per_cell = population.groupby(["institution_id", "domain_id"], observed=True)["population"].sum().reset_index()
    out = np.zeros(grid.present.shape, dtype="int64")
    rows, cols = grid.positions(per_cell)
    np.add.at(out, (rows, cols), per_cell["population"].to_numpy())
    return with_margins(out)


def with_margins(out: np.ndarray) -> np.ndarray:
    """The institution, domain and national totals of a unit grid filled in from its cells."""
    out[-1, :-1] = out[:-1, :-1].sum(axis=0)
    out[:-1, -1] = out[:-1, :-1].sum(axis=1)
    out[-1, -1] = out[:-1, :-1].sum()
    return out
