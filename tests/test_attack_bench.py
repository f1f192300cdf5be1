"""The attacker benches (bench/attack_linked.py, bench/attack_pooled.py) on hand-made files:
each pins a hidden count where the facts force it, and stays wide where they do not."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import attack_linked  # noqa: E402
import attack_pooled  # noqa: E402

COLUMNS = ["edition", "level", "institution_id", "institution", "domain_id", "domain", "item_id", "kind", "n", "status"]
NAMES = {"I1": "School Een", "I2": "School Twee", "D1": "Domein Een", "D2": "Domein Twee"}


def _row(level, inst, dom, var, n, kind="item", edition=2026):
    return [edition, level, inst, NAMES.get(inst, ""), dom, NAMES.get(dom, ""), var, kind,
            "" if n is None else n, "suppressed" if n is None else "published"]


def write_site(root: Path, rows: list[list], respondents: dict[str, str], themes: dict[str, str] | None = None) -> Path:
    """A site with just what the attacks read: results CSV, questionnaire, response table."""
    (root / "downloads").mkdir(parents=True)
    (root / "verantwoording").mkdir()
    pd.DataFrame(rows, columns=COLUMNS).to_csv(root / "downloads" / "resultaten.csv", index=False)
    vars_ = sorted({(r[0], r[6], r[7]) for r in rows})
    pd.DataFrame([{"edition": e, "item_id": v, "kind": k, "theme_id": "", "score_items": (themes or {}).get(v, "")}
                  for e, v, k in vars_]).to_csv(root / "downloads" / "vragenlijst.csv", index=False)
    body = "".join(f"<tr><th scope=\"row\">{NAMES[i]}</th><td>100</td><td>{count}</td><td>x</td><td>1</td><td>1</td></tr>"
                   for i, count in respondents.items())
    (root / "verantwoording" / "index.html").write_text(
        "<html><body><table id=\"tabel-respons\"><thead><tr><th>Instelling</th><th>Studenten (populatie)</th>"
        "<th>Respondenten</th><th>Respons</th><th>Benodigd (netto)</th><th>Benodigd (bruto)</th></tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>", encoding="utf-8")
    return root


def _ranges(results, edition=2026):
    return {(h["unit"], h["var"]): h["range"] for h in results[edition]["hidden"]}


def _quiet(*_args):
    pass


def _respondent_site(root: Path, printed: str) -> Path:
    # One institution, two domains. W is published everywhere (12 + 8 = 20); V is published for
    # the institution (20) and hidden in both domains and both cells.
    rows = []
    for var, cells in (("W", (12, 8)), ("V", (None, None))):
        rows.append(_row("national", "", "", var, 20))
        rows.append(_row("institution", "I1", "", var, 20))
        for dom, n in zip(("D1", "D2"), cells):
            rows.append(_row("domain", "", dom, var, n))
            rows.append(_row("institution_domain", "I1", dom, var, n))
    return write_site(root, rows, {"I1": printed})


def test_linked_pins_a_count_bounded_by_the_printed_respondents(tmp_path):
    # 20 respondents printed: R(I1×D1) ≥ 12 and R(I1×D2) ≥ 8 (W) must be 12 and 8, so V's 20
    # answers split 12 + 8.
    site = _respondent_site(tmp_path / "site", "20")
    ranges = _ranges(attack_linked.run(site, min_n=10, out=_quiet))
    assert ranges[(("institution_domain", "I1", "D1"), "V")] == (12, 12)
    assert ranges[(("institution_domain", "I1", "D2"), "V")] == (8, 8)


def test_linked_cannot_pin_without_the_respondent_count(tmp_path):
    # The response table hides the count: R(I1) only ≥ 20, so V splits any way (D2 ∈ 0–20).
    site = _respondent_site(tmp_path / "site", "—")
    result = attack_linked.run(site, min_n=10, prune=False, out=_quiet)
    ranges = _ranges(result)
    assert ranges[(("institution_domain", "I1", "D1"), "V")] == (0, 20)
    assert ranges[(("institution_domain", "I1", "D2"), "V")] == (0, 20)
    assert result[2026]["respondents"]["I1"][0] == 20 and result[2026]["respondents"]["I1"][1] == float("inf")


def _theme_site(root: Path, with_theme_items: bool) -> Path:
    # Two institutions × two domains; item A hidden in all four cells (every margin published),
    # so A's own table has a free 2 × 2 cycle. Theme T scores item A alone (k = 1): n_T = n_A.
    # No respondent counts printed (with them, T's cells would fix R and pin A through n ≤ R).
    rows = []
    a = {("I1", "D1"): 7, ("I1", "D2"): 13, ("I2", "D1"): 11, ("I2", "D2"): 19}
    for var, kind, hidden in (("A", "item", True), ("T", "theme", False)):
        rows.append(_row("national", "", "", var, 50, kind))
        for inst in ("I1", "I2"):
            rows.append(_row("institution", inst, "", var, a[(inst, "D1")] + a[(inst, "D2")], kind))
        for dom in ("D1", "D2"):
            rows.append(_row("domain", "", dom, var, a[("I1", dom)] + a[("I2", dom)], kind))
            for inst in ("I1", "I2"):
                rows.append(_row("institution_domain", inst, dom, var, None if hidden else a[(inst, dom)], kind))
    return write_site(root, rows, {"I1": "—", "I2": "—"}, {"T": "A"} if with_theme_items else None)


def test_linked_pins_an_item_through_its_theme(tmp_path):
    ranges = _ranges(attack_linked.run(_theme_site(tmp_path / "site", True), min_n=10, out=_quiet))
    assert ranges[(("institution_domain", "I1", "D1"), "A")] == (7, 7)


def test_linked_without_theme_items_keeps_the_cycle_free(tmp_path):
    # Not printed which items T scores: A's own table leaves A(I1×D1) anywhere in 0–18.
    result = attack_linked.run(_theme_site(tmp_path / "site", False), min_n=10, prune=False, out=_quiet)
    assert _ranges(result)[(("institution_domain", "I1", "D1"), "A")] == (0, 18)


# --- report packs -------------------------------------------------------------------------------

STATUS = {1.0: "gepubliceerd", 3.0: "niet gepubliceerd (te weinig respondenten)"}


def _write_sav(path: Path, rows: list[tuple], tabel_labels: dict[float, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(rows, columns=["tabel", "groep", "vraag_id", "status", "n"])
    frame["n"] = frame["n"].astype(float)
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"tabel": tabel_labels, "status": STATUS})


def _pack(packs: Path, inst: str, grouping: str, groups: dict[str, dict[str, float | None]], totals: dict[str, float]):
    rows = []
    for var, cells in groups.items():
        for group, n in cells.items():
            rows.append((4.0, group, var, 3.0 if n is None else 1.0, n))
        rows.append((4.0, "Totaal instelling", var, 1.0, totals[var]))
    _write_sav(packs / inst / f"JOB-monitor_2026_{inst}_tabellen.sav", rows,
               {4.0: f"Uitsplitsing naar {grouping}: elke groep vergeleken met de rest van de instelling"})


def _benchmark(packs: Path, grouping: str, cells: dict[str, dict[str, float]]):
    rows = []
    for var, groups in cells.items():
        for group, n in groups.items():
            rows.append((2.0, group, var, 1.0, n))
        rows.append((2.0, "Landelijk totaal", var, 1.0, sum(groups.values())))
    _write_sav(packs / "landelijk" / "JOB-monitor_2026_landelijke_vergelijking.sav", rows,
               {2.0: f"Landelijke resultaten naar {grouping}"})


def _pack_site(root: Path, printed: str = "30") -> Path:
    rows = []
    for var in ("V", "W"):
        rows.append(_row("national", "", "", var, 60))
        for inst in ("I1", "I2"):
            rows.append(_row("institution", inst, "", var, 30))
            rows.append(_row("institution_domain", inst, "D1", var, 30))
        rows.append(_row("domain", "", "D1", var, 60))
    return write_site(root, rows, {"I1": printed, "I2": "30"})


def test_pooled_pins_a_hidden_group_by_the_national_figure(tmp_path):
    # National BBL 15; I2's pack shows BBL 10, so I1's hidden BBL is 5.
    packs = tmp_path / "packs"
    _benchmark(packs, "Leerweg", {"V": {"BBL": 15, "BOL": 45}})
    _pack(packs, "I1", "Leerweg", {"V": {"BBL": None, "BOL": None}}, {"V": 30})
    _pack(packs, "I2", "Leerweg", {"V": {"BBL": 10, "BOL": 20}}, {"V": 30})
    result = attack_pooled.run_pooled(packs, _pack_site(tmp_path / "site"), min_n=10, out=_quiet)
    found = {(t["inst"], t["group"]): t["range"] for t in result["Leerweg"]["targets"] if t["kind"] == "group"}
    assert found[("I1", "BBL")] == (5, 5)
    assert found[("I1", "BOL")] == (25, 25)


def test_pooled_cannot_pin_without_the_other_pack(tmp_path):
    # I2 keeps its pack: its split is unknown, so I1's BBL is anything in 0–15.
    packs = tmp_path / "packs"
    _benchmark(packs, "Leerweg", {"V": {"BBL": 15, "BOL": 45}})
    _pack(packs, "I1", "Leerweg", {"V": {"BBL": None, "BOL": None}}, {"V": 30})
    result = attack_pooled.run_pooled(packs, _pack_site(tmp_path / "site"), min_n=10, prune=False, out=_quiet)
    found = {(t["inst"], t["group"]): t["range"] for t in result["Leerweg"]["targets"] if t["kind"] == "group"}
    assert found[("I1", "BBL")] == (0, 15)


def test_pooled_overig_holds_the_values_not_shown(tmp_path):
    # I2 merged BBL into "Overig" (published 10): I2's BBL is 10, I1's hidden BBL 15 − 10 = 5.
    packs = tmp_path / "packs"
    _benchmark(packs, "Leerweg", {"V": {"BBL": 15, "BOL": 45}})
    _pack(packs, "I1", "Leerweg", {"V": {"BBL": None, "BOL": None}}, {"V": 30})
    _pack(packs, "I2", "Leerweg", {"V": {"BOL": 20, "Overig (samengevoegd)": 10}}, {"V": 30})
    result = attack_pooled.run_pooled(packs, _pack_site(tmp_path / "site"), min_n=10, out=_quiet)
    found = {(t["inst"], t["group"], t["kind"]): t["range"] for t in result["Leerweg"]["targets"]}
    assert found[("I1", "BBL", "group")] == (5, 5)
    assert found[("I2", "BBL", "inside")] == (10, 10)


def _own_pack(packs: Path) -> None:
    # W published: Niveau 2 has 18, Niveau 3 12 (all 30); V hidden in both groups, total 30.
    _pack(packs, "I1", "Niveau", {"W": {"Niveau 2": 18, "Niveau 3": 12}, "V": {"Niveau 2": None, "Niveau 3": None}},
          {"W": 30, "V": 30})


@pytest.mark.parametrize("printed, expected", [("30", (18, 18)), ("—", (0, 30))])
def test_own_pack_links_its_questions_through_group_respondents(tmp_path, printed, expected):
    # With 30 respondents printed, R(Niveau 2) ≥ 18 and R(Niveau 3) ≥ 12 are exact, so V splits
    # 18 + 12; without the count nothing bounds the groups.
    packs = tmp_path / "packs"
    _own_pack(packs)
    site = _pack_site(tmp_path / "site", printed)
    pack = attack_pooled.read_pack(packs / "I1" / "JOB-monitor_2026_I1_tabellen.sav")
    result = attack_pooled.own_pack(pack, attack_pooled.read_site(site, 2026), {}, min_n=10, prune=False)
    found = {(t["group"], t["var"]): t["range"] for t in result["Niveau"]["targets"]}
    assert found[("Niveau 2", "V")] == expected
