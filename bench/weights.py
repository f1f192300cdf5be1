"""Post-stratification weights at national scale: seconds per call and what the weighting did.

    python build.py demo --scale national --out /tmp/natdemo   # once
    python bench/weights.py [--demo /tmp/natdemo/2026] [--cells 10000] [--respondents 250000]

Times `respondent_weights` on the demo edition (weight column dropped, institution and domain
as categoricals, as the loader gives them) and on a synthetic frame with about `--cells` cells.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobmonitor.compute.weights import respondent_weights  # noqa: E402

CELLS = ["institution_id", "domain_id", "leerweg", "gender"]


def demo_frames(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    responses = pd.read_parquet(folder / "responses.parquet").drop(columns="weight")
    for column in ("institution_id", "domain_id"):
        responses[column] = responses[column].astype("category")
    return responses, pd.read_csv(folder / "population.csv")


def synthetic_frames(cells: int, respondents: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """About `cells` cells of institution × domain × leerweg × gender with skewed sizes."""
    rng = np.random.default_rng(seed)
    shape = (max(cells // 60, 1), 10, 2, 3)
    grid = pd.MultiIndex.from_product([[f"I{i:03d}" for i in range(shape[0])], [f"D{d:02d}" for d in range(10)],
                                       ["BOL", "BBL"], ["man", "vrouw", "anders"]], names=CELLS).to_frame(index=False)
    size = rng.lognormal(3, 1.5, len(grid))
    grid["population"] = np.maximum(np.rint(size * 3), 1).astype(int)
    cell = rng.choice(len(grid), size=respondents, p=size / size.sum())
    return grid.iloc[cell].drop(columns="population").reset_index(drop=True), grid


def timed(label: str, responses: pd.DataFrame, population: pd.DataFrame, repeat: int = 5) -> None:
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        weights, _, report = respondent_weights(responses, population, CELLS)
        best = min(best, time.perf_counter() - start)
    print(f"{label}: {len(responses)} respondents, {len(population)} population cells: best of {repeat} "
          f"{best:.3f} s; Σw = {weights.sum():.3f}; {report}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, default=Path("/tmp/natdemo/2026"))
    parser.add_argument("--cells", type=int, default=10_000)
    parser.add_argument("--respondents", type=int, default=250_000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    if (args.demo / "responses.parquet").exists():
        timed("demo", *demo_frames(args.demo))
    timed("synthetic", *synthetic_frames(args.cells, args.respondents))


if __name__ == "__main__":
    main()
