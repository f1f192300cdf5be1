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
    hidden, units, _ = protect_linked(COUNTS, PRESENT, MIN_N, RESPONDENTS, (),
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


def test_a_count_left_open_in_a_unit_hidden_whole_hides_its_question_across_row_and_column(monkeypatch):
    """Hiding a unit whole cannot widen a count inside a unit that is already whole; then its
    question is hidden across the unit's institution and domain too, and protection goes on
    until the witnesses clear everything."""
    from jobmonitor.compute import witness
    from jobmonitor.compute.disclosure import hidden_units

    units = hidden_units(RESPONDENTS, PRESENT, MIN_N)
    r, c = (int(i) for i in np.argwhere(units[:-1, :-1])[0])
    real, calls = witness.certify, []

    def first_leaves_one_open(edition, min_n, *args):
        calls.append(edition.hidden.copy())
        found = real(edition, min_n, *args)
        return witness.Certificate(found.certified, [(1, r, c)], found.witnesses) if len(calls) == 1 else found

    monkeypatch.setattr(witness, "certify", first_leaves_one_open)
    hidden, whole, witnesses = protect_linked(COUNTS, PRESENT, MIN_N, RESPONDENTS, (),
                                              lambda initial: protect_tables(COUNTS, PRESENT, MIN_N, initial=initial))
    assert len(calls) == 2 and whole[r, c] and witnesses
    assert hidden[1, r, :][PRESENT[r, :]].all() and hidden[1, :, c][PRESENT[:, c]].all()
    assert not calls[0][1, r, :][PRESENT[r, :]].all() or not calls[0][1, :, c][PRESENT[:, c]].all()


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


def integer_range(edition: LinkedEdition, v: int, r: int, c: int) -> tuple[int, int]:
    """The exact integer range of one hidden count, by scipy's MILP (an independent route to
    the same facts: the model's matrix, solved to proven optimality)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    from jobmonitor.compute.linked import build_model

    model = build_model(edition)
    k = model.a.shape[1]
    cost = np.zeros(k)
    cost[model.count_col[v, r, c]] = 1.0
    bounds = []
    for sense in (1.0, -1.0):
        result = milp(sense * cost, constraints=[LinearConstraint(model.a, model.row_lo, model.row_hi)],
                      bounds=Bounds(model.col_lo, model.col_hi), integrality=np.ones(k))
        assert result.status == 0
        bounds.append(int(round(sense * result.fun)))
    return bounds[0], bounds[1]


def test_the_integer_certificate_agrees_with_exact_integer_ranges():
    """Per-question protection: every count the witnesses leave open has an integer range
    that breaks the rule (exact MILPs), every narrow LP range is left open, and every count
    they clear has an integer range ≥ min_n wide. Under whole-unit protection nothing is left
    open, and the witnesses pass `verify`."""
    from jobmonitor.compute.witness import certify, verify

    hidden, institution_hidden = per_question()
    edition = LinkedEdition(COUNTS, hidden, PRESENT, RESPONDENTS, public_respondents(RESPONDENTS, institution_hidden), ())
    certificate = certify(edition, MIN_N)
    lp = {(v, r, c) for v, r, c, _, _ in narrow_counts(edition, MIN_N)}
    assert lp and lp <= set(certificate.open)
    for v, r, c in np.argwhere(hidden & (COUNTS > 0) & PRESENT[None]):
        lo, hi = integer_range(edition, v, r, c)
        assert lo <= COUNTS[v, r, c] <= hi
        wide = hi - lo >= MIN_N and hi >= MIN_N
        assert wide == ((v, r, c) not in certificate.open), (v, r, c, lo, hi)
    assert verify(edition, certificate.witnesses, MIN_N) == certificate.open
    hidden, institution_hidden = linked()
    edition = LinkedEdition(COUNTS, hidden, PRESENT, RESPONDENTS, public_respondents(RESPONDENTS, institution_hidden), ())
    certificate = certify(edition, MIN_N)
    assert certificate.open == []
    assert certificate.certified == int((hidden & (COUNTS > 0) & PRESENT[None]).sum())
    assert verify(edition, certificate.witnesses, MIN_N) == []


def test_verify_refuses_witnesses_that_break_a_fact_or_show_another_figure():
    """A witness counts only when it is consistent with every fact and with what is shown:
    one that moves a published count, lets a count exceed its unit's respondents, or is not
    an integer table clears nothing."""
    from jobmonitor.compute.witness import certify, verify

    hidden, institution_hidden = linked()
    edition = LinkedEdition(COUNTS, hidden, PRESENT, RESPONDENTS, public_respondents(RESPONDENTS, institution_hidden), ())
    witnesses = certify(edition, MIN_N).witnesses
    assert verify(edition, witnesses, MIN_N) == []
    v, r, c = (int(i) for i in np.argwhere(~hidden & PRESENT[None])[0])
    shown_moved = [(n.copy(), resp) for n, resp in witnesses]
    for n, _ in shown_moved:
        n[v, r, c] += 1
    over = [(n, np.minimum(resp, n.max(axis=0) - 1)) for n, resp in witnesses]
    halves = [(n + 0.5 * hidden, resp) for n, resp in witnesses]
    for bad in (shown_moved, over, halves):
        assert len(verify(edition, bad, MIN_N)) == int((hidden & (COUNTS > 0) & PRESENT[None]).sum())


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
