"""The national data file at programme level (agreement art. 1.10), end to end on the tiny edition
with its opleiding column: the files exist and read back in pandas, polars, DuckDB and SPSS; a
hidden row holds no figure; the figures are the site's statistics, recomputed here with plain
pandas; the joint audit with the site passes on the real output and pins a planted leak; no
opleiding below min_n is published; the file never lands inside a site, and a failed run leaves
the previous file as it was."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import warnings
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import polars as pl
import pyreadstat
import pytest
from scipy import stats

from jobmonitor.cli import EXIT_INPUT, EXIT_REFUSED, main
from jobmonitor.compute.network import lp_narrow, narrow_by_flow
from jobmonitor.compute.pipeline import compute
from jobmonitor.config import load_config
from jobmonitor.errors import AuditFailed, ReleaseRefused
from jobmonitor.reports import databestand as databestand_module
from jobmonitor.reports.databestand import build_databestand
from jobmonitor.reports.private import DATA_MARKER, SITE_MARKER, refuse_packs_inside
from jobmonitor.reports.programme_protection import FILE_CELL, FLOOR, Arcs, audit_programmes, network
from jobmonitor.reports.programmes import FILE_COLUMNS, programme_file
from jobmonitor.site.scan_tables import scan_downloads
from download_checks import audit_errors, numbers_stored_as_text
from tiny import responses, write_tiny

MIN_N = 10
VALUES = [c for c in FILE_COLUMNS if c not in ("edition", "level", "institution_id", "institution", "domain_id", "domain",
                                               "opleiding", "opleiding_name", "item_id", "kind", "measure", "direction",
                                               "status")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The tiny edition with opleidingen, its data file built through the command line."""
    root = tmp_path_factory.mktemp("databestand")
    config_path = write_tiny(root, opleiding=True)
    # Names for two of the five codes; the others keep their code.
    (root / "data" / "2026" / "opleidingen.csv").write_text("opleiding,name\n25180,Timmeren\n22000,Entree\n",
                                                             encoding="utf-8")
    out = root / "databestand"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
        code = main(["databestand", "--config", str(config_path), "--out", str(out), "--quiet"])
    assert code == 0
    folder = out / "2026"
    return load_config(config_path), out, folder, printed.getvalue()


def data_csv(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "JOB-monitor_2026_databestand.csv", dtype={"opleiding": "string"})


def test_one_folder_per_edition_with_opleidingen_and_the_others_named_as_skipped(built):
    config, out, folder, printed = built
    assert sorted(p.name for p in out.iterdir()) == [DATA_MARKER, "2026"]
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["JOB-monitor_2026_databestand-excel.csv", "JOB-monitor_2026_databestand.csv",
                     "JOB-monitor_2026_databestand.sav", "JOB-monitor_2026_databestand.xlsx",
                     "JOB-monitor_2026_datadictionary.csv", "SHA256SUMS", "gebruiksvoorwaarden.md",
                     "gebruiksvoorwaarden.txt", "manifest.json", "vragenlijst.csv"]
    assert "edition 2024 skipped: no `opleiding` column in responses" in printed
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["skipped_editions"] == {"2024": "no `opleiding` column in responses"}
    assert set(manifest["counts_per_status"]) == {"opleiding", "institution_opleiding"}
    assert "2026/responses.csv" in manifest["input_files_sha256"] and manifest["config_sha256"]
    assert manifest["embargo"] == config.embargo.isoformat() and manifest["code_version"] is not None
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


def test_the_table_reads_back_typed_right_in_pandas_polars_duckdb_and_spss(built):
    _, _, folder, _ = built
    path = folder / "JOB-monitor_2026_databestand.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = pd.read_csv(path)
    assert list(frame.columns) == FILE_COLUMNS + ["bron"]
    numeric = [c for c in VALUES if c not in ("marker", "verdict")]
    assert all(pd.api.types.is_numeric_dtype(frame[c]) for c in ["edition", *numeric])
    polars = pl.read_csv(path)
    assert all(polars.schema[c].is_numeric() for c in numeric)
    duck = duckdb.sql(f"select * from read_csv('{path}')").df()
    assert all(pd.api.types.is_numeric_dtype(duck[c]) for c in numeric)
    excel = pd.read_csv(folder / "JOB-monitor_2026_databestand-excel.csv", sep=";", decimal=",", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(excel, frame)
    sav, meta = pyreadstat.read_sav(str(folder / "JOB-monitor_2026_databestand.sav"))
    assert len(sav) == len(frame) and "tabel" not in sav.columns
    labels = dict(zip(meta.column_names, meta.column_labels))
    assert labels["opleiding"] == "Opleidingscode" and labels["estimate"] == "Uitkomst"
    assert meta.variable_measure["status"] == "ordinal" and meta.variable_measure["estimate"] == "scale"
    assert set(meta.variable_value_labels["level"].values()) == {"opleiding (landelijk)", "instelling × opleiding"}
    np.testing.assert_allclose(sav["estimate"].to_numpy(), frame["estimate"].to_numpy(), rtol=1e-5, equal_nan=True)  # CSV: 6 digits
    assert (sav["opleiding"].replace("", None).dropna() == data_csv(folder)["opleiding"].dropna()).all()


def test_the_workbook_is_valid_with_dutch_headers_and_numbers_stored_as_numbers(built):
    _, _, folder, _ = built
    path = folder / "JOB-monitor_2026_databestand.xlsx"
    assert audit_errors(path) == []
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["Lees mij", "databestand", "vragenlijst", "datadictionary"]
    header = [c.value for c in next(book["databestand"].iter_rows(max_row=1))]
    assert header[:8] == ["Editie", "Soort eenheid", "Instellingscode", "Instelling", "Domeincode", "Opleidingsdomein",
                          "Opleidingscode", "Opleiding"]
    assert numbers_stored_as_text(path, {"Instellingscode", "Domeincode", "Opleidingscode", "Vraagcode", "Opleiding",
                                         "Vraagcode vorige editie"}) == []


def test_no_hidden_row_holds_a_figure(built):
    _, _, folder, _ = built
    frame = data_csv(folder)
    hidden = frame[frame["status"] == "suppressed"]
    assert len(hidden) and set(frame["status"]) == {"published", "suppressed"}
    assert hidden[VALUES].isna().all().all()
    assert scan_downloads(folder) == []


def test_no_opleiding_below_min_n_is_published(built):
    _, _, folder, _ = built
    frame = data_csv(folder)
    assert (frame.loc[frame["status"] == "published", "n"] >= MIN_N).all()
    raw = responses(2026, opleiding=True)
    small = raw.groupby(["institution_id", "opleiding"]).size().loc[lambda s: s < MIN_N]
    rows = frame.set_index(["institution_id", "opleiding"]).loc[list(small.index)]
    assert len(small) and (rows["status"] == "suppressed").all()


def _share(part: pd.DataFrame, item: str) -> tuple[float, float, int]:
    """% positive (4–5) over valid answers, n_eff and n: the site's formula, by hand."""
    valid = part[part[item].notna() & (part[item] != 9)]
    w, x = valid["weight"], (valid[item] >= 4).astype(float)
    return 100 * (w * x).sum() / w.sum(), w.sum() ** 2 / (w ** 2).sum(), len(valid)


def close(expected):
    """The CSV holds six significant digits, as the site's downloads."""
    return pytest.approx(expected, rel=1e-5)


def _row(frame: pd.DataFrame, level: str, institution: str | None, opleiding: str, item: str) -> pd.Series:
    found = frame[(frame["level"] == level) & (frame["opleiding"] == opleiding) & (frame["item_id"] == item)
                  & (frame["institution_id"].isna() if institution is None else frame["institution_id"] == institution)]
    assert len(found) == 1
    return found.iloc[0]


def test_figures_equal_an_independent_recomputation_with_plain_pandas(built):
    _, _, folder, _ = built
    frame = data_csv(folder)
    raw = responses(2026, opleiding=True)
    national, _, _ = _share(raw, "Q1")
    # 22000 is the one opleiding the file shows nationally: the others are hidden in some
    # question, so in every question (whole units).
    estimate, n_eff, n = _share(raw[raw["opleiding"] == "22000"], "Q1")
    row = _row(frame, "opleiding", None, "22000", "Q1")
    assert row["status"] == "published" and row["n"] == n == 25
    assert row["estimate"] == close(estimate) and row["n_eff"] == close(n_eff)
    z, p = stats.norm.ppf(0.975), estimate / 100
    centre = (p + z * z / (2 * n_eff)) / (1 + z * z / n_eff)
    half = z * np.sqrt(p * (1 - p) / n_eff + z * z / (4 * n_eff ** 2)) / (1 + z * z / n_eff)
    assert (row["ci_low"], row["ci_high"]) == close((100 * (centre - half), 100 * (centre + half)))
    assert row["benchmark"] == close(national) and row["difference"] == close(estimate - national)
    assert row["p_value"] > 0 and row["verdict"] == "geen duidelijk verschil"
    # A mean: the report mark of I3 × 22000, benchmarked against its opleiding nationally.
    cell = raw[(raw["institution_id"] == "I3") & (raw["opleiding"] == "22000")]
    w, x = cell["weight"], cell["Q4"].astype(float)
    mean = (w * x).sum() / w.sum()
    n_eff = w.sum() ** 2 / (w ** 2).sum()
    sd = np.sqrt(((w * x * x).sum() / w.sum() - mean ** 2) * n_eff / (n_eff - 1))
    mark = _row(frame, "institution_opleiding", "I3", "22000", "Q4")
    assert mark["estimate"] == close(mean) and mark["sd"] == close(sd)
    half = stats.t.ppf(0.975, n_eff - 1) * sd / np.sqrt(n_eff)
    assert (mark["ci_low"], mark["ci_high"]) == close((mean - half, mean + half))
    whole = raw[raw["opleiding"] == "22000"]
    assert mark["benchmark"] == close((whole["weight"] * whole["Q4"]).sum() / whole["weight"].sum())
    # I3 is the whole of opleiding 22000: no rest to test against, so no test and no verdict.
    assert np.isnan(mark["p_value"]) and pd.isna(mark["verdict"])


@pytest.fixture(scope="module")
def protected(built):
    """The tiny edition's file as computed (not read back): tables and protection."""
    config = built[0]
    computed = compute(config)
    made = programme_file(config, computed.results, computed.current, computed.current.edition)
    from jobmonitor.compute.score import score_edition  # noqa: PLC0415
    from jobmonitor.reports import programmes  # noqa: PLC0415

    edition = computed.current.edition
    scores = score_edition(edition, config.weighting)
    units = programmes.programmes_of(edition)
    sums = programmes.programme_sums(scores, edition.answers, [i.scale for i in edition.questionnaire.items], units)
    tables = programmes.protection_tables(sums, scores, units, computed.results, computed.current)
    return tables, made.protection, units


def test_the_joint_audit_passes_on_the_real_output_by_lp_alone(protected):
    tables, protection, _ = protected
    assert audit_programmes(tables, protection, MIN_N, prune_by_flow=False) == []


def test_the_joint_audit_pins_a_planted_leak_under_a_site_hidden_cell(protected):
    """I1 × D01 (30) is hidden on the site, so its opleidingen are hidden in the file. Publish
    the national figure of 25180 (20) and I1 × 25180 (15, above min_n and harmless on its own):
    the LP pins I2 × 25180 to exactly 5."""
    tables, protection, units = protected
    v = tables.var_ids.index("Q1")
    i1, i2 = 0, 1
    p = units.code.index("25180")
    assert tables.site_hidden[v, i1, 0] and protection.cell_hidden[v, i1, p]
    leaky = type(protection)(protection.cell_hidden.copy(), protection.programme_hidden.copy(), {})
    leaky.programme_hidden[v, p] = False
    leaky.cell_hidden[v, i1, p] = False
    findings = audit_programmes(tables, leaky, MIN_N, labels=None, prune_by_flow=False)
    assert f"var {v}, file cell {i2} × {p} with n=5 lies in 5–5" in findings, findings
    arcs = Arcs.of(tables)
    net = network(arcs, tables, v, leaky.cell_hidden[v], leaky.programme_hidden[v])
    target = np.flatnonzero((arcs.kind == FILE_CELL) & (arcs.institution == i2) & (arcs.programme == p))[0]
    pinned = {a: (lo, hi) for a, lo, hi in lp_narrow(net, MIN_N, floor=FLOOR, prune_by_flow=False)}
    assert pinned[target] == (5, 5)
    assert sorted(pinned) == sorted(narrow_by_flow(net, MIN_N, floor=FLOOR).tolist())  # flow and LP agree


def test_refused_inside_a_built_site_and_nothing_written(built, tmp_path):
    config = built[0]
    site = tmp_path / "somewhere" / "public"
    site.mkdir(parents=True)
    (site / SITE_MARKER).write_text("site\n")
    with pytest.raises(ReleaseRefused, match="built public site"):
        build_databestand(config, site / "databestand")
    assert not (site / "databestand").exists()
    with contextlib.redirect_stderr(io.StringIO()) as err:
        assert main(["databestand", "--config", str(tmp_path / "none.yml"), "--out", str(site / "x")]) == EXIT_INPUT
    config_path = Path(config.data_dir).parent / "site_config.yml"
    with contextlib.redirect_stderr(io.StringIO()) as err:
        assert main(["databestand", "--config", str(config_path), "--out", str(site / "x")]) == EXIT_REFUSED
    assert "Traceback" not in err.getvalue() and "the previous data file is untouched" in err.getvalue()


def test_a_site_build_refuses_with_the_data_file_inside(built, tmp_path):
    config = built[0].model_copy(update={"out_dir": tmp_path / "site"})
    (tmp_path / "site" / "databestand").mkdir(parents=True)
    (tmp_path / "site" / "databestand" / DATA_MARKER).write_text("x\n")
    with pytest.raises(ReleaseRefused, match="national data file"):
        refuse_packs_inside(config)


def test_a_failed_run_leaves_the_previous_file_untouched(built, monkeypatch):
    config, out, folder, _ = built
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(databestand_module, "scan_downloads", lambda folder: ["planted: a hidden row holds a figure"])
    with pytest.raises(AuditFailed, match="planted"):
        build_databestand(config, out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in out.parent.iterdir() if ".staging-" in p.name]


def test_without_an_opleiding_column_nothing_is_written(tmp_path):
    config_path = write_tiny(tmp_path)
    with contextlib.redirect_stderr(io.StringIO()) as err:
        assert main(["databestand", "--config", str(config_path), "--out", str(tmp_path / "out"), "--quiet"]) == EXIT_INPUT
    assert "opleiding" in err.getvalue() and not (tmp_path / "out").exists()


def _joint_step(tables, cell_hidden, programme_hidden, v):
    """Step 2 of the protection alone, for one var, from the given hidden flags."""
    from jobmonitor.reports import programme_protection as protection  # noqa: PLC0415

    domains = {int(d): protection.DomainTable.of(tables, d) for d in np.unique(tables.programme_domain)}
    edition = protection._Edition(tables, domains, Arcs.of(tables), MIN_N, None)
    stats = {"rounds": 0, "shown_known_anyway": 0, "hidden_by_joint_audit": 0}
    cell, programme = protection._joint(edition, v, cell_hidden[v].copy(), programme_hidden[v].copy(), stats)
    return cell, programme, stats


def test_the_joint_step_closes_a_planted_leak_by_hiding_a_file_figure(protected):
    tables, protection, units = protected
    v, p = tables.var_ids.index("Q1"), units.code.index("25180")
    cell_hidden, programme_hidden = protection.cell_hidden.copy(), protection.programme_hidden.copy()
    cell_hidden[v, 0, p] = programme_hidden[v, p] = False  # 25180 and I1 × 25180 published: I2 × 25180 = 20 − 15
    cell, programme, stats = _joint_step(tables, cell_hidden, programme_hidden, v)
    assert stats["hidden_by_joint_audit"] >= 1 and (cell[0, p] or programme[p])
    net = network(Arcs.of(tables), tables, v, cell, programme)
    assert lp_narrow(net, MIN_N, floor=FLOOR, prune_by_flow=False) == []


def test_the_joint_step_shows_a_hidden_figure_the_site_gives_away_anyway(protected):
    """I3 × 22000 is the whole of I3 × D03, which the site publishes: hiding it protects
    nothing, so the joint step shows it again."""
    tables, protection, units = protected
    v, p = tables.var_ids.index("Q1"), units.code.index("22000")
    cell_hidden = protection.cell_hidden.copy()
    assert not cell_hidden[v, 2, p] and not tables.site_hidden[v, 2, 2]
    cell_hidden[v, 2, p] = True
    cell, _, stats = _joint_step(tables, cell_hidden, protection.programme_hidden, v)
    assert not cell[2, p] and stats["shown_known_anyway"] == 1


def test_opleiding_names_come_from_the_name_list_and_else_the_code(built):
    _, _, folder, _ = built
    frame = data_csv(folder)
    names = frame.drop_duplicates("opleiding").set_index(frame.drop_duplicates("opleiding")["opleiding"].fillna(""))
    assert names.loc["25180", "opleiding_name"] == "Timmeren" and names.loc["25181", "opleiding_name"] == "25181"
    assert names.loc["", "opleiding_name"] == "opleiding onbekend"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "2026/opleidingen.csv" in manifest["input_files_sha256"]
