"""The linked attacker (issue 23): per question every hidden count is wide, but a unit's
questions share its respondents. On a tiny hand-made edition the independent attacker bench
(bench/attack_linked.py) narrows counts that per-question protection leaves, and narrows none
once whole units are protected (`protect_linked`); the package's own LP agrees."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jobmonitor.compute.disclosure import hidden_institutions, protect_linked, protect_tables
from jobmonitor.compute.linked import LinkedEdition, narrow_counts, public_respondents

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import attack_linked  # noqa: E402

MIN_N = 10
# Respondents per institution × domain, institution totals last column, domain totals last row.
RESPONDENTS = np.array([[45, 20, 20, 85], [45, 15, 30, 90], [30, 4, 0, 34], [8, 8, 30, 46], [128, 47, 80, 255]])
# Three questions: the first answered by nearly everyone, the others by about two in three.
COUNTS = np.array([
    [[43, 20, 19, 82], [43, 15, 28, 86], [30, 3, 0, 33], [8, 7, 30, 45], [124, 45, 77, 246]],
    [[34, 14, 14, 62], [31, 6, 19, 56], [20, 1, 0, 21], [7, 7, 20, 34], [92, 28, 53, 173]],
    [[37, 17, 14, 68], [32, 8, 20, 60], [21, 3, 0, 24], [7, 8, 23, 38], [97, 36, 57, 190]],
])
PRESENT = RESPONDENTS > 0
INSTITUTIONS = ["I1", "I2", "I3", "I4"]
DOMAINS = ["D1", "D2", "D3"]


def per_question() -> tuple[np.ndarray, np.ndarray]:
    return protect_tables(COUNTS, PRESENT, MIN_N), hidden_institutions(RESPONDENTS[:-1, -1], MIN_N)


def linked() -> tuple[np.ndarray, np.ndarray]:
    hidden, units = protect_linked(COUNTS, PRESENT, MIN_N, RESPONDENTS, (),
                                   lambda initial: protect_tables(COUNTS, PRESENT, MIN_N, initial=initial))
    return hidden, units[:-1, -1]


def write_site(root: Path, hidden: np.ndarray, institution_hidden: np.ndarray) -> Path:
    """What the attacker reads: the results CSV, the questionnaire and the response table."""
    rows = []
    for v in range(len(COUNTS)):
        for r in range(RESPONDENTS.shape[0]):
            for c in range(RESPONDENTS.shape[1]):
                if not PRESENT[r, c]:
                    continue
                inst = INSTITUTIONS[r] if r < len(INSTITUTIONS) else ""
                dom = DOMAINS[c] if c < len(DOMAINS) else ""
                level = {(True, True): "institution_domain", (True, False): "institution",
                         (False, True): "domain", (False, False): "national"}[(bool(inst), bool(dom))]
                shown = not hidden[v, r, c]
                rows.append([2026, level, inst, f"School {inst}" if inst else "", dom, dom, f"Q{v + 1}", "item",
                             int(COUNTS[v, r, c]) if shown else "", "published" if shown else "suppressed"])
    (root / "downloads").mkdir(parents=True)
    (root / "verantwoording").mkdir()
    pd.DataFrame(rows, columns=["edition", "level", "institution_id", "institution", "domain_id", "domain",
                                "item_id", "kind", "n", "status"]).to_csv(root / "downloads" / "resultaten.csv", index=False)
    pd.DataFrame({"edition": 2026, "item_id": [f"Q{v + 1}" for v in range(len(COUNTS))], "kind": "item",
                  "theme_id": "", "score_items": ""}).to_csv(root / "downloads" / "vragenlijst.csv", index=False)
    body = "".join(f"<tr><th scope=\"row\">School {i}</th><td>100</td><td>{'' if h else RESPONDENTS[k, -1]}</td>"
                   "<td>x</td><td>1</td><td>1</td></tr>" for k, (i, h) in enumerate(zip(INSTITUTIONS, institution_hidden)))
    (root / "verantwoording" / "index.html").write_text(
        "<table id=\"tabel-respons\"><tr><th>Instelling</th><th>Populatie</th><th>Respondenten</th><th>Respons</th>"
        f"<th>Netto</th><th>Bruto</th></tr>{body}</table>", encoding="utf-8")
    return root


def findings_of_the_bench(site: Path) -> list[tuple]:
    results = attack_linked.run(site, MIN_N, out=lambda *_: None)
    return [(h["var"], h["unit"], h["range"]) for h in results[2026]["hidden"]
            if h["range"] is not None and attack_linked.classify(*h["range"], MIN_N)["finding"]]


def test_per_question_protection_leaves_counts_the_linked_attack_narrows(tmp_path):
    hidden, institution_hidden = per_question()
    found = findings_of_the_bench(write_site(tmp_path, hidden, institution_hidden))
    assert found, "the hand-made edition no longer shows the leak it was made for"
    public = public_respondents(RESPONDENTS, institution_hidden)
    own = narrow_counts(LinkedEdition(COUNTS, hidden, PRESENT, RESPONDENTS, public, ()), MIN_N)
    assert len(own) == len(found)


def test_protecting_whole_units_leaves_the_linked_attack_nothing(tmp_path):
    hidden, institution_hidden = linked()
    assert findings_of_the_bench(write_site(tmp_path, hidden, institution_hidden)) == []
    public = public_respondents(RESPONDENTS, institution_hidden)
    assert narrow_counts(LinkedEdition(COUNTS, hidden, PRESENT, RESPONDENTS, public, ()), MIN_N) == []
    # Whole units: a unit hidden in one question is hidden in every question.
    units = hidden[:, :-1, :-1].any(axis=0) & hidden[:, :-1, :-1].all(axis=0)
    assert units.any()


@pytest.mark.parametrize("seed", range(3))
def test_the_packages_lp_and_the_bench_agree_on_random_patterns(tmp_path, seed):
    """Not one draw: random hidden patterns (on top of the primary cells) give the same
    findings in both implementations."""
    rng = np.random.default_rng(seed)
    hidden = protect_tables(COUNTS, PRESENT, MIN_N) | (rng.random(COUNTS.shape) < 0.15)
    hidden &= PRESENT[None]
    institution_hidden = np.zeros(len(INSTITUTIONS), dtype=bool)
    public = public_respondents(RESPONDENTS, institution_hidden)
    own = narrow_counts(LinkedEdition(COUNTS, hidden, PRESENT, RESPONDENTS, public, ()), MIN_N)
    bench = findings_of_the_bench(write_site(tmp_path, hidden, institution_hidden))
    assert len(own) == len(bench)


def test_the_integer_certificate_decides_every_count_and_agrees_with_the_lp():
    """Integer witnesses (the truth, random-objective and targeted MILPs): every narrow LP
    range is an integer finding too, and under whole-unit protection every hidden count is
    certified by two integer tables min_n apart."""
    from jobmonitor.compute.linked import certify_counts

    hidden, institution_hidden = per_question()
    edition = LinkedEdition(COUNTS, hidden, PRESENT, RESPONDENTS, public_respondents(RESPONDENTS, institution_hidden), ())
    lp = {(v, r, c) for v, r, c, _, _ in narrow_counts(edition, MIN_N)}
    certificate = certify_counts(edition, MIN_N)
    assert certificate.undecided == []
    assert lp <= {(v, r, c) for v, r, c, _, _ in certificate.findings}
    for v, r, c, lo, hi in certificate.findings:
        assert lo <= COUNTS[v, r, c] <= hi
    hidden, institution_hidden = linked()
    edition = LinkedEdition(COUNTS, hidden, PRESENT, RESPONDENTS, public_respondents(RESPONDENTS, institution_hidden), ())
    certificate = certify_counts(edition, MIN_N)
    assert certificate.findings == [] and certificate.undecided == []
    assert certificate.certified == int((hidden & (COUNTS > 0) & PRESENT[None]).sum())


def test_the_demo_with_linked_protection_leaves_the_lp_nothing_in_any_edition():
    """The package's own model of every edition as published (its response table as shown,
    hidden counts included), over every hidden count, whole units too."""
    from jobmonitor.compute.linked import linked_edition
    from jobmonitor.compute.pipeline import compute, extra_scores
    from jobmonitor.config import load_config

    config = load_config(ROOT / "site_config.yml")
    config = config.model_copy(update={"thresholds": config.thresholds.model_copy(update={"protect_linked": True})})
    computed = compute(config)
    extra = extra_scores([part.edition.questionnaire for part in computed.parts])
    for part in computed.parts:
        edition = linked_edition(part.table, part.grid, part.edition.responses, part.edition.questionnaire,
                                 extra[part.edition.year], MIN_N, part.units_hidden[:-1, -1])
        assert narrow_counts(edition, MIN_N) == [], part.edition.year
        assert int(part.units_hidden[:-1, :-1].sum()) > 0
