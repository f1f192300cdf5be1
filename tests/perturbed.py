"""Perturbed copies of the demo editions: the demo is one draw, and a rule, check or gate must
hold on other draws of the same shape too (tests/test_scan.py, bench/perturbed_builds.py).

Two kinds, each applied to every edition with its own random stream:
- `shuffle`: answer rows (with their weight) permuted among the respondents of the same domain;
  every cell keeps its size and background columns, its answers are another draw of its domain.
- `resample`: respondents drawn with replacement within each population cell (institution ×
  domain × leerweg × gender; new ids): every count against the population stays, the answers
  and the mix within a cell (niveau, voltijd, opleiding) change.
The institution reports' label files are left out (they name the original respondents).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from jobmonitor.release import PRIVATE_INPUTS

KINDS = ("shuffle", "resample")
BACKGROUND = ("respondent_id", "institution_id", "domain_id", "leerweg", "niveau", "gender", "voltijd", "opleiding")


def _shuffled(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    answers = [c for c in frame.columns if c not in BACKGROUND]
    domain = frame["domain_id"].astype(str).to_numpy()
    grouped = np.argsort(domain, kind="stable")
    drawn = np.lexsort((rng.random(len(domain)), domain))
    source = np.empty_like(grouped)
    source[grouped] = drawn
    out = frame.copy()
    for column in answers:
        out[column] = frame[column].to_numpy()[source]
    return out


def _resampled(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    cells = frame.groupby(["institution_id", "domain_id", "leerweg", "gender"], sort=True, observed=True,
                          dropna=False).indices
    rows = np.concatenate([rng.choice(idx, size=len(idx), replace=True) for idx in cells.values()])
    out = frame.iloc[np.sort(rows)].reset_index(drop=True)
    out["respondent_id"] = [f"R{k:07d}" for k in range(len(out))]
    return out


def perturb_data(source: Path, target: Path, kind: str, seed: int) -> Path:
    """A copy of the data folder `source` (one sub-folder per edition) with every edition's
    responses perturbed; returns `target`."""
    if kind not in KINDS:
        raise ValueError(f"unknown perturbation {kind!r}; one of {KINDS}")
    for k, edition in enumerate(sorted(p for p in Path(source).iterdir() if p.is_dir())):
        out = Path(target) / edition.name
        out.mkdir(parents=True, exist_ok=True)
        for path in edition.iterdir():
            if path.is_file() and path.name not in PRIVATE_INPUTS and path.name != "responses.parquet":
                shutil.copy2(path, out / path.name)
        frame = pd.read_parquet(edition / "responses.parquet")
        rng = np.random.default_rng([seed, k])
        frame = _shuffled(frame, rng) if kind == "shuffle" else _resampled(frame, rng)
        frame.to_parquet(out / "responses.parquet", index=False)
    return Path(target)


def perturbed_config(root: Path, data: Path, config: Path, out: Path, protect_linked: bool = True) -> Path:
    """A copy of `config` that reads `data` and builds into `out` (`protect_linked=False`:
    per-question protection only, for a test of something else that needs many draws)."""
    text = yaml.safe_load(Path(config).read_text(encoding="utf-8"))
    text.update(data_dir=str(data), out_dir=str(out))
    if not protect_linked:
        text.setdefault("thresholds", {})["protect_linked"] = False
    path = Path(root) / "site_config.yml"
    path.write_text(yaml.safe_dump(text, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
