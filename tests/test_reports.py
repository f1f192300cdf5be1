"""The institution report pack of a demo institution, end to end (issue 16): what the PDF, the
XLSX and the SAV say equals the computed results; hidden breakdown cells stay hidden in all
three; the embargo line is on every page; nothing of another institution is in it; the pack
never lands where the site is published from."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from jobmonitor.cli import EXIT_REFUSED, main
from jobmonitor.config import load_config
from jobmonitor.errors import ReleaseRefused
from jobmonitor.publish import build
from jobmonitor.reports.breakdown import TOTAL, group_sums, institution_rows
from jobmonitor.reports.joint_audit import audit_jointly
from jobmonitor.reports.packs import build_packs, institution_report, prepare
from jobmonitor.reports.private import MARKER
from jobmonitor.reports.sheets import grouping_sheet_name
from jobmonitor.reports.tables import unique_sheet_name
from jobmonitor.results import published_results
from jobmonitor.site.formatting import format_count, format_value
from jobmonitor.site.wording import load_words, load_wording
from download_checks import audit_errors, numbers_stored_as_text, sheet_names

ROOT = Path(__file__).resolve().parent.parent
INSTITUTION = "I001"


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    config = load_config(ROOT / "site_config.yml")
    out = tmp_path_factory.mktemp("packs") / "rapportages"
    report = build_packs(config, out, INSTITUTION, workers=1)
    folder = out / INSTITUTION
    files = {p.suffix: p for p in folder.iterdir() if "_tabellen" in p.name or p.suffix == ".pdf"}
    pdf = subprocess.run(["pdftotext", "-layout", str(files[".pdf"]), "-"], capture_output=True, text=True, check=True).stdout
    return config, report, folder, files, pdf


@pytest.fixture(scope="module")
def prepared():
    return prepare(load_config(ROOT / "site_config.yml"), lambda m: None)


def own_results(config) -> pd.DataFrame:
    from jobmonitor.compute.pipeline import compute

    results = published_results(compute(config).results)
    return results[(results["edition"] == config.edition) & (results["level"] == "institution")
                   & (results["institution_id"] == INSTITUTION)]


def test_the_pack_holds_a_pdf_xlsx_sav_the_benchmark_a_manifest_and_checksums(pack):
    config, report, folder, files, _ = pack
    names = sorted(p.name for p in folder.iterdir())
    assert any(n.endswith("_rapport.pdf") for n in names) and any(n.endswith("_tabellen.xlsx") for n in names)
    assert sum(n.endswith(".sav") for n in names) == 2 and "manifest.json" in names and "SHA256SUMS" in names
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    with zipfile.ZipFile(folder.parent / f"{INSTITUTION}.zip") as archive:
        assert sorted(Path(n).name for n in archive.namelist()) == sorted(n for n in names if n != MARKER)
    manifest = (folder / "manifest.json").read_text()
    assert '"2026/labels.csv"' in manifest and '"code_version"' in manifest and '"config_sha256"' in manifest


def test_the_packs_workbooks_pass_the_ooxml_validator(pack):
    """The institution's tables and the national benchmark file."""
    _, _, folder, _, _ = pack
    workbooks = sorted(p.name for p in folder.glob("*.xlsx"))
    assert len(workbooks) == 2 and any("landelijke_vergelijking" in n for n in workbooks)
    for name in workbooks:
        assert audit_errors(folder / name) == [], name


def test_the_packs_workbooks_store_numbers_as_numbers(pack):
    """Every sheet of both workbooks; only the question codes ("Vraag-id") and the group names
    ("Groep": an institution may call its groups "1", "2") are text by design."""
    _, _, folder, _, _ = pack
    for path in sorted(folder.glob("*.xlsx")):
        assert numbers_stored_as_text(path, {"Vraag-id", "Groep"}) == [], path.name
    rows = pd.read_excel(next(folder.glob("*_tabellen.xlsx")), sheet_name="Respons", engine="calamine")
    assert pd.api.types.is_numeric_dtype(rows["Respondenten"])


def test_sheet_names_fit_excel_by_wording_not_cut_mid_word(pack):
    """31 characters at most, every word whole: the wording shortens ("Voltijd-deeltijd"), the
    writer never cuts. The "Lees mij" sheet lists each sheet with its title."""
    _, _, folder, _, _ = pack
    words = load_words("rapport")
    allowed = set(" ".join([*words["sheets"].values(), *words["sheet_groupings"].values(), words["readme_sheet"]]).split())
    for path in sorted(folder.glob("*.xlsx")):
        names = sheet_names(path)
        readme = pd.read_excel(path, sheet_name=names[0], engine="calamine").iloc[:, 0].dropna().astype(str)
        titles = {line.split(": ", 1)[0]: line.split(": ", 1)[1] for line in readme if ": " in line}
        for name in names:
            assert len(name) <= 31, name
            whole = allowed | set(re.split(r"[\s:,]+", titles.get(name, "")))
            assert all(word in whole for word in name.split()), name
    assert "Landelijk naar Voltijd-deeltijd" in sheet_names(next(folder.glob("*landelijke_vergelijking.xlsx")))


def test_a_long_own_label_name_is_shortened_by_whole_words():
    taken: set[str] = set()
    assert unique_sheet_name("Naar Opleidingsteam en locatie van inschrijving", taken) == "Naar Opleidingsteam en locatie"
    assert unique_sheet_name("Naar Opleidingsteam en locatie van uitvoering", taken) == "Naar Opleidingsteam en 2"
    assert unique_sheet_name("Naar [team]: *", taken) == "Naar team"


def test_the_packs_workbooks_say_who_made_them_and_when(pack):
    """The project as the application, the embargo as the moment: the same inputs give the
    same workbook. The "Lees mij" sheet is prose: no autofilter."""
    config, _, folder, _, _ = pack
    embargo = config.embargo.astimezone(dt.timezone.utc).replace(tzinfo=None)
    for path in sorted(folder.glob("*.xlsx")):
        book = openpyxl.load_workbook(path, read_only=True)
        assert book.properties.created == book.properties.modified == embargo, path.name
        with zipfile.ZipFile(path) as archive:
            app = archive.read("docProps/app.xml").decode()
            first = archive.read("xl/worksheets/sheet1.xml").decode()
            second = archive.read("xl/worksheets/sheet2.xml").decode()
        assert "<Application>JOB-monitor publicatie " in app and "Microsoft" not in app
        assert "<autoFilter" not in first and "<autoFilter" in second


def test_every_page_carries_the_embargo_line_and_the_concept_line(pack):
    config, _, _, _, pdf = pack
    pages = [p for p in pdf.split("\f") if p.strip()]
    assert len(pages) > 5
    for number, page in enumerate(pages, start=1):
        assert "Vertrouwelijk — onder embargo tot 27 mei 2026" in page, number
        assert "CONCEPT — voorlopige cijfers" in page, number  # the demo data are voorlopig


def test_the_pdf_shows_the_institutions_figures_as_the_site_does(pack):
    config, _, _, _, pdf = pack
    w = load_wording()
    text = " ".join(pdf.replace("\u00ad\n", "").split())
    rows = own_results(config)
    shown = rows[rows["status"].isin(["published", "indicative"]) & (rows["kind"] == "item")]
    missing = [(r.item_id, format_value(r.estimate, r.measure, w)) for r in shown.itertuples()
               if format_value(r.estimate, r.measure, w) not in text]
    assert len(shown) > 30 and missing == []
    counts = [format_count(n) for n in shown["n"]]
    assert all(c in text for c in counts)


def test_the_pdf_hyphenates_running_text_only_and_its_columns_fit(pack, prepared):
    """On the demo institution's real tables (long domain and opleiding names, every verdict):
    its document without the running paragraphs typesets without a single hyphenated word, the
    pack's own PDF hyphenates only words of those paragraphs, no word runs into the next column
    or past the margin, and a viewer shows the title (DisplayDocTitle)."""
    from jobmonitor.reports.document import report_document
    from jobmonitor.reports.pdf import render_pdf
    from pdf_support import catalog, colliding_words, hyphenated_words, without_running_text

    _, _, _, files, _ = pack
    words, w = load_words("rapport"), load_wording()
    themes = {t.id: (t.name, t.description) for t in prepared.computed.current.edition.questionnaire.themes}
    document = report_document(institution_report(prepared, INSTITUTION, words), prepared.config, words, w,
                               prepared.made, themes)
    assert hyphenated_words(render_pdf(without_running_text(document))) == []
    pdf = files[".pdf"].read_bytes()
    running = " ".join([t["description"] for t in document["themes"]] + [b["intro"] for b in document["breakdowns"]]
                       + document["methods"]["paragraphs"])
    split = hyphenated_words(pdf)
    assert all(word.replace("\u00ad", "") in running for word in split), split
    assert colliding_words(pdf) == []
    assert b"/DisplayDocTitle true" in catalog(pdf)


def test_no_other_institution_is_in_the_pack(pack):
    config, _, folder, files, pdf = pack
    institutions = pd.read_csv(ROOT / "data" / "2026" / "institutions.csv")
    others = institutions[institutions["institution_id"] != INSTITUTION]
    workbook = pd.read_excel(files[".xlsx"], sheet_name=None, engine="calamine")
    cells = " ".join(str(v) for frame in workbook.values() for v in frame.astype(str).to_numpy().ravel())
    sav, _ = pyreadstat.read_sav(str(files[".sav"]))
    sav_text = " ".join(map(str, sav.to_numpy().ravel()))
    for name in others["name"]:
        assert name not in pdf and name not in cells and name not in sav_text, name


def test_the_xlsx_and_sav_read_back_with_the_results_numbers(pack):
    config, _, _, files, _ = pack
    book = openpyxl.load_workbook(files[".xlsx"], read_only=True)
    assert book.sheetnames[:4] == ["Lees mij", "Respons", "Resultaten", "Antwoorden"]
    sheet = book["Resultaten"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:4] == ["Thema", "Vraag-id", "Soort", "Vraag"]
    rows = pd.DataFrame(list(sheet.iter_rows(min_row=2, values_only=True)), columns=header)
    expected = own_results(config).set_index("item_id")
    merged = rows.join(expected[["estimate", "n"]], on="Vraag-id", how="inner")
    assert len(merged) > 50
    assert np.allclose(merged["Uitkomst (% of gemiddelde)"].astype(float), merged["estimate"], equal_nan=True)
    assert all(isinstance(v, (int, float)) for v in rows["Aantal respondenten (n)"].dropna())
    sav, meta = pyreadstat.read_sav(str(files[".sav"]))
    results = sav[sav["tabel"] == 2].set_index("vraag_id")
    assert np.allclose(results.loc[expected.index.intersection(results.index), "uitkomst"],
                       expected.loc[expected.index.intersection(results.index), "estimate"], equal_nan=True)
    assert meta.column_names_to_labels["uitkomst"] == "Uitkomst (% of gemiddelde)"
    assert meta.variable_value_labels["oordeel"][1.0] == "gunstiger"
    assert "respondent_id" not in sav.columns and len(sav) < 10_000  # aggregates, never respondents


def sav_files(pack) -> list[Path]:
    _, _, folder, _, _ = pack
    return sorted(folder.glob("*.sav"))  # the institution's tables and the national benchmark file


def test_every_sav_variable_has_its_measure_level_format_and_a_fitting_width(pack):
    """Figures are scale with the decimals they need, codes nominal (status ordinal) with value
    labels, text nominal; each display width fits the longest value or label, at most 40."""
    for path in sav_files(pack):
        frame, meta = pyreadstat.read_sav(str(path))
        labels = meta.variable_value_labels
        for name in frame.columns:
            kind, fmt = meta.variable_measure[name], meta.original_variable_types[name]
            if fmt.startswith("A"):
                assert kind == "nominal", name
                longest = int(frame[name].str.len().max())
            elif name in labels:
                assert fmt in ("F2.0", "F3.0") and kind == ("ordinal" if name == "status" else "nominal"), name
                assert set(frame[name].dropna()) <= set(labels[name]), name
                longest = max(len(v) for v in labels[name].values())
            else:
                assert kind == "scale", name
                longest = int(fmt[1:].split(".")[0])
            assert meta.variable_display_width[name] == min(40, max(len(name), longest)), name
            assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_.@#$]{0,63}", name) and not name.endswith("."), name
        formats = meta.original_variable_types
        expected = {"n": "F8.0", "uitkomst": "F6.2", "ondergrens": "F6.2", "verschil_rest": "F7.2", "p_bh": "F8.4",
                    "oordeel": "F2.0", "tabel": "F2.0", "status": "F2.0"}
        if "respons" in formats:
            expected |= {"respons": "F5.1", "populatie": "F8.0", "antw_4": "F5.1", "uitkomst_2024": "F6.2"}
        assert {k: formats[k] for k in expected} == expected
        assert meta.variable_measure["status"] == "ordinal" and meta.variable_measure["vraag"] == "nominal"
        assert meta.column_names_to_labels["p_bh"] == "p-waarde (Benjamini-Hochberg)"
        assert meta.variable_value_labels["status"] == {1.0: "gepubliceerd", 2.0: "gepubliceerd, indicatief",
                                                        3.0: "niet gepubliceerd (te weinig respondenten)"}


def test_the_sav_holds_the_results_values(pack):
    config, _, _, files, _ = pack
    sav, meta = pyreadstat.read_sav(str(files[".sav"]))
    results = sav[sav["tabel"] == 2].set_index("vraag_id")
    expected = own_results(config).set_index("item_id")
    common = expected.index.intersection(results.index)
    assert len(common) > 50
    for column, key in (("uitkomst", "estimate"), ("n", "n"), ("ondergrens", "ci_low"), ("landelijk", "benchmark"),
                        ("p_bh", "p_adjusted"), ("verschil", "difference")):
        assert np.allclose(results.loc[common, column].astype(float), expected.loc[common, key].astype(float),
                           equal_nan=True, rtol=0, atol=1e-12), column
    status = results.loc[common, "status"].map(meta.variable_value_labels["status"])
    assert (status == expected.loc[common, "status"].map(load_wording()["status"])).all()


def test_the_sav_is_bytecode_compressed_and_well_under_the_uncompressed_size(pack, tmp_path):
    """Compressed as SPSS itself compresses (every version reads it), not zlib (.zsav, SPSS 21+):
    the header says layout $FL2 with compression 1 (bytecode)."""
    for path in sav_files(pack):
        head = path.read_bytes()[:76]
        assert head[:4] == b"$FL2" and int.from_bytes(head[72:76], "little") == 1, path.name  # 1 = bytecode
        frame, meta = pyreadstat.read_sav(str(path))
        plain = tmp_path / path.name
        pyreadstat.write_sav(frame, str(plain), column_labels=meta.column_names_to_labels,
                             variable_value_labels=meta.variable_value_labels)
        # The stacked tables are mostly empty cells and padding (about 37 % left); every row of the
        # benchmark file is a full breakdown row of non-integer figures, which compress least (about 59 %).
        most = 0.7 if "landelijke" in path.name else 0.5
        assert path.stat().st_size < most * plain.stat().st_size, (path.name, path.stat().st_size, plain.stat().st_size)


def test_spss_names_are_valid_and_a_clash_is_refused():
    from jobmonitor.reports.tables import spss_name

    taken: set[str] = set()
    names = [spss_name(n, taken) for n in ("uitkomst_2024", "2024", "vraag-id", "with", "by.", "é" * 70, "a" * 70)]
    assert names[:5] == ["uitkomst_2024", "v2024", "vraag_id", "with_", "by_"]
    for name in names:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_.@#$]{0,63}", name) and not name.endswith("."), name
    with pytest.raises(ValueError, match="Vraag_id"):
        spss_name("Vraag_id", taken)


@pytest.mark.skipif(shutil.which("pspp") is None,
                    reason="PSPP not installed (apt-get install pspp): the SAV files are only read back with pyreadstat")
def test_pspp_reads_the_sav_files_and_shows_each_figure_with_its_decimals(pack, tmp_path):
    """PSPP (the free SPSS) opens both files without a warning, with the same dictionary, and
    lists the figures as SPSS would show them: counts whole, p-values with four decimals (below
    .005 no longer ".00"), codes as one digit."""
    for path in sav_files(pack):
        syntax = tmp_path / "read.sps"
        syntax.write_text(f"GET FILE='{path}'.\nDISPLAY DICTIONARY.\nLIST VARIABLES=n uitkomst p_bh oordeel.\n",
                          encoding="utf-8")
        run = subprocess.run(["pspp", "-O", "format=csv", str(syntax)], capture_output=True, text=True, check=True)
        assert "error" not in run.stdout.lower() and "warning" not in run.stdout.lower(), run.stdout[:2000]

        def table(title: str) -> list[dict]:
            return list(csv.DictReader(io.StringIO(run.stdout.split(f"Table: {title}\n", 1)[1].split("\n\n", 1)[0])))

        variables = {row["Name"]: row for row in table("Variables")}
        frame, meta = pyreadstat.read_sav(str(path))
        assert list(variables) == list(frame.columns)
        for name, row in variables.items():
            assert row["Label"] == meta.column_names_to_labels[name]
            assert row["Print Format"] == meta.original_variable_types[name]
            assert row["Measurement Level"] == meta.variable_measure[name].capitalize()
            assert int(row["Width"]) == meta.variable_display_width[name]
        listed = pd.DataFrame(table("Data List")).apply(lambda c: c.str.strip().replace(".", ""))
        assert len(listed) == len(frame)
        shown = listed["n"] != ""
        assert listed.loc[shown, "n"].str.fullmatch(r"\d+").all()
        assert (listed.loc[shown, "n"].astype(float) == frame.loc[shown.to_numpy(), "n"]).all()
        p_values = listed["p_bh"][listed["p_bh"] != ""]
        assert p_values.str.fullmatch(r"(1|)\.\d{4}").all() and (p_values.astype(float) < 0.005).any()
        assert np.allclose(p_values.astype(float), frame.loc[p_values.index, "p_bh"], atol=0.00005)
        estimates = listed["uitkomst"][listed["uitkomst"] != ""]
        assert estimates.str.fullmatch(r"\d+\.\d\d").all()
        assert listed["oordeel"][listed["oordeel"] != ""].str.fullmatch(r"\d").all()


def test_a_small_breakdown_group_and_its_complement_are_hidden_in_all_three_files(pack, prepared):
    config, report, _, files, pdf = pack
    words = load_words("rapport")
    built = institution_report(prepared, INSTITUTION, words)
    rows = institution_rows(prepared.scores, INSTITUTION)
    min_n = config.thresholds.min_n
    found = None
    # The institution's own groupings first (the domain table keeps the site's pattern).
    for breakdown in sorted(built.breakdowns, key=lambda b: b.grouping.public):
        grouping, table = breakdown.grouping, breakdown.table
        true = group_sums(prepared.scores, rows, grouping.values, grouping.order)
        small = (true["n"] > 0) & (true["n"] < min_n) & (true["group"] != TOTAL)
        for index in np.flatnonzero(small.to_numpy()):
            var = true["item_id"].iloc[index]
            hidden = table[(table["item_id"] == var) & (table["status"] == "suppressed") & (table["group"] != TOTAL)]
            if len(hidden) >= 2:
                found = (grouping, var, hidden["group"].tolist(), true["group"].iloc[index])
                break
        if found:
            break
    assert found, "the demo should have a small group in some breakdown"
    grouping, var, hidden_groups, small_group = found
    assert small_group in hidden_groups
    names = [grouping.names[g] for g in hidden_groups]
    sheet = pd.read_excel(files[".xlsx"], sheet_name=grouping_sheet_name("breakdown", grouping, words),
                          engine="calamine")
    for name in names:
        row = sheet[(sheet["Vraag-id"] == var) & (sheet["Groep"] == name)].iloc[0]
        assert pd.isna(row["Uitkomst (% of gemiddelde)"]) and pd.isna(row["Aantal respondenten (n)"])
        assert row["Status"] == load_wording()["status"]["suppressed"]
    sav, meta = pyreadstat.read_sav(str(files[".sav"]))
    table = next(code for code, title in meta.variable_value_labels["tabel"].items()
                 if title.startswith(f"Uitsplitsing naar {grouping.name}:"))
    part = sav[(sav["tabel"] == table) & (sav["vraag_id"] == var) & sav["groep"].isin(names)]
    assert part["uitkomst"].isna().all() and part["n"].isna().all() and len(part) >= 2
    assert pdf.count("te weinig") >= len(names)  # "te weinig respondenten", wrapped in narrow cells


def test_the_joint_audit_is_clean_on_every_table_of_the_pack(prepared):
    from jobmonitor.reports.groupings import institution_groupings

    words = load_words("rapport")
    built = institution_report(prepared, INSTITUTION, words)
    scores = prepared.scores
    rows = institution_rows(scores, INSTITUTION)
    groupings = [b.grouping for b in built.breakdowns]
    assert [g.id for g in groupings] == [g.id for g in institution_groupings(
        prepared.computed.current.edition, rows, INSTITUTION, prepared.labels, 10, 12, words)]
    codes = np.stack([pd.Categorical(g.values, categories=list(g.order)).codes for g in groupings], axis=1)
    combos, cell = np.unique(codes, axis=0, return_inverse=True)
    membership = np.concatenate([combos[:, k][None, :] == np.arange(len(g.order))[:, None]
                                 for k, g in enumerate(groupings)] + [np.ones((1, len(combos)), dtype=bool)])
    answered = ~np.isnan(scores.values[rows])
    n = np.stack([np.bincount(cell.ravel(), weights=answered[:, j], minlength=len(combos))
                  for j in range(answered.shape[1])]).round().astype("int64")
    hidden = np.concatenate(
        [(b.table["status"] == "suppressed").to_numpy().reshape(len(scores.var_ids), -1)[:, :-1] for b in built.breakdowns]
        + [np.zeros((len(scores.var_ids), 1), dtype=bool)], axis=1)
    assert hidden.any()
    assert audit_jointly(membership, n, hidden, 10) == []


def test_packs_are_refused_inside_the_site_and_a_site_with_a_pack_inside(tmp_path, capsys):
    site = tmp_path / "site"
    config_text = (ROOT / "site_config.yml").read_text().replace("out_dir: site", f"out_dir: {site}")
    config_path = tmp_path / "site_config.yml"
    config_path.write_text(config_text.replace("data_dir: data", f"data_dir: {ROOT / 'data'}"))
    code = main(["rapportages", "--config", str(config_path), "--out", str(site / "rapportages")])
    assert code == EXIT_REFUSED and "may not be written inside" in capsys.readouterr().err
    (site / "oud").mkdir(parents=True)
    (site / "oud" / MARKER).write_text("x")
    with pytest.raises(ReleaseRefused, match="report pack"):
        build(load_config(config_path))
    shutil.rmtree(site)


def test_one_institution_in_a_few_seconds_from_the_command_line(tmp_path, capsys):
    code = main(["rapportages", "--out", str(tmp_path / "packs"), "--institution", "I002", "--quiet"])
    assert code == 0
    assert "I002" in capsys.readouterr().out
    assert (tmp_path / "packs" / "I002.zip").is_file() and not (tmp_path / "packs" / "I001").exists()
    code = main(["rapportages", "--out", str(tmp_path / "packs"), "--institution", "I999"])
    assert code == 2


def test_packs_are_built_in_a_process_that_already_typeset(tmp_path):
    """Typst's threads do not survive a fork: a forked child of a process that typeset would
    wait forever. Such a process builds its packs itself."""
    import json

    from jobmonitor.reports.pdf import render_pdf, typst_started

    render_pdf(json.loads((ROOT / "tests" / "fixtures" / "rapport_document.json").read_text()))
    assert typst_started()
    report = build_packs(load_config(ROOT / "site_config.yml"), tmp_path / "packs", "I002")
    assert list(report.seconds) == ["I002"] and (tmp_path / "packs" / "I002.zip").is_file()


def test_the_response_table_hides_what_the_site_hides_and_nothing_follows_from_the_total(prepared):
    from jobmonitor.compute.recoverability import audit_table
    from jobmonitor.reports.content import public_hidden_maps, response_by_domain

    config = prepared.config
    per_domain, _ = public_hidden_maps(prepared.computed.results, config.edition, INSTITUTION)
    site_hidden = {domain for (domain, _), hidden in per_domain.items() if hidden}
    edition = prepared.computed.current.edition
    table, total = response_by_domain(edition, INSTITUTION, 10, site_hidden)
    hidden = table["respondents"].isna().to_numpy()
    assert site_hidden and hidden[table["domain_id"].isin(site_hidden).to_numpy()].all()
    counts = edition.responses[edition.responses["institution_id"].astype(str) == INSTITUTION]
    counts = counts.groupby(counts["domain_id"].astype(str)).size().reindex(table["domain_id"]).fillna(0).astype(int).to_numpy()
    grid = np.zeros((len(counts) + 1, 2), dtype="int64")
    grid[:-1, 0] = grid[:-1, 1] = counts
    grid[-1] = counts.sum()
    mask = np.zeros(grid.shape, dtype=bool)
    mask[:-1, 0] = mask[:-1, 1] = hidden & (counts > 0)
    assert total == counts.sum() and audit_table(grid, grid > 0, mask, 10) == []


def test_a_figure_planted_in_a_hidden_group_of_a_pack_is_found(pack, tmp_path):
    """Every pack is scanned like the site's downloads before it is sealed: a hidden breakdown
    group showing a figure, in the XLSX or the SAV, stops it."""
    import openpyxl

    from jobmonitor.site.scan_tables import scan_downloads

    config, report, folder, files, pdf = pack
    copy = tmp_path / "pack"
    shutil.copytree(folder, copy)
    assert scan_downloads(copy) == []
    hidden_word = load_wording()["status"]["suppressed"]
    book_path = copy / files[".xlsx"].name
    book = openpyxl.load_workbook(book_path)
    planted = None
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        if "Status" not in header:
            continue
        status, n = header.index("Status") + 1, header.index("Aantal respondenten (n)") + 1
        row = next((r for r in range(2, sheet.max_row + 1) if sheet.cell(r, status).value == hidden_word), None)
        if row is not None and sheet.title != book.worksheets[1].title:
            sheet.cell(row, n).value = 7
            planted = sheet.title
            break
    assert planted, "no hidden breakdown group in the pack"
    book.save(book_path)
    frame, meta = pyreadstat.read_sav(str(files[".sav"]))
    codes = [c for c, label in meta.variable_value_labels["status"].items() if label == hidden_word]
    k = frame.index[frame["status"].isin(codes)][0]
    frame.loc[k, "n"] = 7.0
    pyreadstat.write_sav(frame, str(copy / files[".sav"].name), column_labels=meta.column_labels,
                         variable_value_labels=meta.variable_value_labels)
    found = scan_downloads(copy)
    assert any(planted in f and "Aantal respondenten (n)" in f for f in found), found
    assert any(f.startswith(files[".sav"].name) and " n" in f for f in found), found


def test_the_same_inputs_give_the_same_pack_bytes(tmp_path):
    """SAV header and zip members carry the embargo as their moment, not the clock."""
    config = load_config(ROOT / "site_config.yml")
    first = build_packs(config, tmp_path / "a", "I002", workers=1).out_dir
    time.sleep(1.1)
    second = build_packs(config, tmp_path / "b", "I002", workers=1).out_dir
    for name in ("I002.zip", "I002/JOB-monitor_2026_I002_tabellen.sav", "I002/JOB-monitor_2026_I002_tabellen.xlsx"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    header = (first / "I002" / "JOB-monitor_2026_I002_tabellen.sav").read_bytes()[92:109]
    assert header == b"27 May 2614:00:00"
    frame, _ = pyreadstat.read_sav(str(first / "I002" / "JOB-monitor_2026_I002_tabellen.sav"))
    assert len(frame) > 10


def test_earlier_editions_figures_come_only_from_rows_published_then(prepared):
    """A row hidden now may show an earlier edition's figure (it was public then): the pack
    takes it from that edition's own published row, never from a hidden one."""
    from jobmonitor.reports.content import institution_results

    computed = prepared.computed
    questionnaires = [part.edition.questionnaire for part in computed.parts]
    results = computed.results[computed.results["level"] == "institution"]
    public = results[results["status"].isin(["published", "indicative"])]
    public_values = public.groupby(["edition", "institution_id"])["estimate"].agg(set).to_dict()
    hidden_now_with_earlier = 0
    for institution in sorted(results["institution_id"].unique()):
        rows = institution_results(prepared.published, institution, questionnaires)
        for year in (q.edition for q in questionnaires[:-1]):
            shown = rows[rows[f"estimate_{year}"].notna()]
            hidden_now_with_earlier += int((shown["status"] == "suppressed").sum())
            assert set(shown[f"estimate_{year}"]) <= public_values.get((year, institution), set())
    assert hidden_now_with_earlier > 0  # the demo has such rows (I003): the case is exercised


def test_a_pack_with_rows_hidden_now_and_public_before_is_written(tmp_path):
    """I003's own figures are hidden in 2026 for some questions it had published in 2022 and
    2024: its pack shows those earlier figures and passes the scan."""
    config = load_config(ROOT / "site_config.yml")
    report = build_packs(config, tmp_path / "packs", "I003", workers=1)
    book = openpyxl.load_workbook(next((report.out_dir / "I003").glob("*_tabellen.xlsx")), read_only=True)
    sheet = book["Resultaten"] if "Resultaten" in book.sheetnames else book.worksheets[1]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    status, earlier = header.index("Status"), header.index("Uitkomst 2024")
    hidden_word = load_wording()["status"]["suppressed"]
    assert any(r[status] == hidden_word and r[earlier] is not None for r in sheet.iter_rows(min_row=2, values_only=True))
