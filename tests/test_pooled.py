"""Report packs pooled (issue 23): institutions may share their packs, and the benchmark file
gives national counts per leerweg, niveau and voltijd group. The groups of all institutions are
protected as one table per grouping and var; the independent attacker bench pooling every pack
of the demo then narrows no hidden group, and a pack built alone has the full run's pattern."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from jobmonitor.compute.recoverability import audit_table
from jobmonitor.compute.score import Scores
from jobmonitor.config import load_config
from jobmonitor.reports.packs import build_packs
from jobmonitor.reports.pooled import NATIONAL, pooled_counts, pooled_patterns

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import attack_pooled  # noqa: E402

MIN_N = 10


def scores_of(institutions: list[str], counts: list[int]) -> Scores:
    """One var everybody answered; respondents of each institution in order."""
    code = np.repeat(np.arange(len(institutions)), counts).astype("int32")
    total = int(sum(counts))
    return Scores(2026, ["Q1"], ["item"], ["pct_positive"], ["higher_better"], np.ones((total, 1), dtype="float32"),
                  np.ones(total), code, np.zeros(total, dtype="int32"), institutions, ["D1"], "provided")


def test_a_small_group_gets_a_complement_in_another_institution():
    """I1 has 4 BBL students: its own pack hides BBL and BOL (a one-column table), but the
    national BBL count minus the others' BBL gives I1's BBL back unless another institution's
    BBL is hidden too."""
    institutions = ["I1", "I2", "I3"]
    leerweg = ["BBL"] * 4 + ["BOL"] * 30 + ["BBL"] * 25 + ["BOL"] * 40 + ["BBL"] * 18 + ["BOL"] * 22
    scores = scores_of(institutions, [34, 65, 40])
    responses = pd.DataFrame({"leerweg": leerweg})
    names, counts, present = pooled_counts(scores, np.array(leerweg, dtype=object))
    patterns = pooled_patterns(scores, responses, {}, MIN_N)["leerweg"]
    hidden = np.zeros(present.shape, dtype=bool)
    for r, unit in enumerate([*institutions, NATIONAL]):
        for k, value in enumerate(names):
            hidden[r, k] = patterns[unit].get((value, "Q1"), False)
    assert hidden[0, names.index("BBL")] and hidden[:-1, names.index("BBL")].sum() >= 2
    assert audit_table(counts[0], present, hidden, MIN_N) == []
    # Each institution on its own (its row only) is not enough: the column gives I1's BBL back.
    own_rows_only = np.zeros(present.shape, dtype=bool)
    own_rows_only[0, :2] = True
    assert audit_table(counts[0], present, own_rows_only, MIN_N)


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    config = load_config(ROOT / "site_config.yml")
    root = tmp_path_factory.mktemp("pooled")
    build_packs(config, root / "all")
    return config, root


def test_pooling_every_pack_with_the_benchmark_file_narrows_no_group(packs):
    config, root = packs
    from jobmonitor.publish import build

    site_config = load_config(ROOT / "site_config.yml", out_dir=root / "site")
    build(site_config)
    results = attack_pooled.run_pooled(root / "all", root / "site", MIN_N, out=lambda *_: None)
    assert {"Leerweg", "Niveau", "Voltijd of deeltijd", "Opleidingsdomein"} <= set(results)
    for grouping, res in results.items():
        found = [t for t in res["targets"] if t["range"] is not None and attack_pooled.classify(*t["range"], MIN_N)["finding"]]
        assert found == [], (grouping, found[:3])


def test_a_pack_built_alone_has_the_pattern_of_the_full_run(packs, tmp_path):
    config, root = packs
    alone = build_packs(config, tmp_path / "alone", "I002", workers=1).out_dir
    name = "I002/JOB-monitor_2026_I002_tabellen.sav"
    full, _ = pyreadstat.read_sav(str(root / "all" / name))
    single, _ = pyreadstat.read_sav(str(alone / name))
    assert full["status"].fillna(-1).tolist() == single["status"].fillna(-1).tolist()
    assert full["n"].fillna(-1).tolist() == single["n"].fillna(-1).tolist()


@pytest.fixture(scope="module")
def linked_build(tmp_path_factory):
    """The demo built as for a release that protects against linked questions: the site and
    every pack (`thresholds.protect_linked`)."""
    from jobmonitor.publish import build

    root = tmp_path_factory.mktemp("linked")
    config = load_config(ROOT / "site_config.yml", out_dir=root / "site")
    config = config.model_copy(update={"thresholds": config.thresholds.model_copy(update={"protect_linked": True})})
    build(config)
    build_packs(config, root / "packs")
    return root


def _findings(results) -> dict:
    return {grouping: [t for t in res["targets"] if t["range"] is not None
                       and attack_pooled.classify(*t["range"], MIN_N)["finding"]]
            for grouping, res in results.items()}


def test_with_linked_protection_no_attack_narrows_anything(linked_build):
    """The site's questions linked, every pack pooled with its questions linked, and each pack
    alone with the site: the independent attackers narrow no hidden count."""
    import attack_linked

    site, packs_dir = linked_build / "site", linked_build / "packs"
    for edition, res in attack_linked.run(site, MIN_N, out=lambda *_: None).items():
        narrowed = [h for h in res["hidden"] if h["range"] is not None and attack_linked.classify(*h["range"], MIN_N)["finding"]]
        assert narrowed == [], (edition, narrowed[:3])
    pooled = _findings(attack_pooled.run_pooled(packs_dir, site, MIN_N, link=True, out=lambda *_: None))
    assert all(found == [] for found in pooled.values()), {g: f[:2] for g, f in pooled.items() if f}
    own = attack_pooled.run_own(packs_dir, site, ["all"], MIN_N, out=lambda *_: None)
    assert own and all(counts["hidden"] > 0 for g, counts in own.items() if g in ("Niveau", "Opleidingsdomein"))
    assert {g: counts["finding"] for g, counts in own.items() if counts["finding"]} == {}


def test_a_groups_count_may_be_zero_so_a_total_of_ten_split_in_two_hidden_groups_is_safe():
    """A site unit shown holds ≥ 1 respondent, but a group of a pack may have nobody who
    answered a question: with counts ≥ 0 (the packs' own audit) two hidden groups of a total of
    10 each range over 0–10; believing ≥ 1 would put them at ≤ 9, known to be small."""
    n = np.array([[3, 7, 10], [20, 30, 50], [40, 40, 80], [63, 77, 140]])
    present = np.ones(n.shape, dtype=bool)
    hidden = np.zeros(n.shape, dtype=bool)
    hidden[0, :2] = hidden[1, :2] = True
    assert audit_table(n, present, hidden, MIN_N, floor=0) == []
    assert any("at most 9" in text for _, text in audit_table(n, present, hidden, MIN_N, floor=1))
