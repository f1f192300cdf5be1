"""The site audit finds planted leaks, and a build whose audit fails writes nothing."""

from __future__ import annotations

import dataclasses
import json
import shutil

import numpy as np
import pandas as pd
import pytest

from jobmonitor.compute import disclosure
from jobmonitor.site.scan import scan_site
from jobmonitor.cli import EXIT_AUDIT, main
from jobmonitor.config import load_config
from jobmonitor.compute.pipeline import compute
from jobmonitor.publish import build
from jobmonitor.results import SUPPRESSED


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from tiny import write_tiny

    root = tmp_path_factory.mktemp("tiny-site")
    config = load_config(write_tiny(root))
    build(config)
    return config, compute(config)


@pytest.fixture()
def site_copy(tiny_site, tmp_path):
    config, computed = tiny_site
    copy = tmp_path / "site"
    shutil.copytree(config.out_dir, copy)
    hidden = computed.results[(computed.results["status"].isin(SUPPRESSED)) & (computed.results["edition"] == 2026)]
    # A hidden value with many decimals (a round 40.0 cannot be told apart from other numbers).
    precise = hidden[(hidden["estimate"] * 1000 % 1).abs() > 1e-6]
    return copy, computed, precise.iloc[0]


def test_built_site_is_clean(tiny_site):
    config, computed = tiny_site
    assert scan_site(config.out_dir, computed.results, config.edition) == []


def test_full_precision_value_in_the_search_index_is_found(site_copy):
    site, computed, row = site_copy
    index_path = site / "search" / "search_index.json"
    index = json.loads(index_path.read_text())
    index["docs"].append({"location": "x/", "title": "x", "text": f"waarde {float(row['estimate'])!r}"})
    index_path.write_text(json.dumps(index))
    findings = scan_site(site, computed.results, 2026)
    # An entry for no page shows nothing a page shows: its number is a finding, whatever it equals.
    assert any("search_index.json" in f and "'x/'" in f and repr(float(row["estimate"])) in f for f in findings)


def plant(site, html: str) -> None:
    """Put a fragment into a built page, as a bug in a template would."""
    page = site / "landelijk" / "index.html"
    page.write_text(page.read_text().replace("</article>", html + "</article>", 1))


def test_number_in_a_hidden_table_row_is_found(site_copy):
    """A hidden cell's row in any results table must show no digit. (In the tiny edition every
    unit with a hidden cell is hidden whole and gets a short page, so the row is planted.)"""
    from jobmonitor.site.scan import unit_key

    site, computed, row = site_copy
    unit = unit_key(row["level"], row["institution_id"], row["domain_id"])
    plant(site, f'<table class="job-table" data-unit="{unit}"><tbody><tr data-item="{row["item_id"]}"><th scope="row">'
                f'Vraag</th><td>te weinig respondenten (n = 9)</td></tr></tbody></table>')
    assert any("shows a number" in f and row["item_id"] in f for f in scan_site(site, computed.results, 2026))


def test_value_in_a_hidden_download_row_is_found(site_copy):
    site, computed, _ = site_copy
    path = site / "downloads" / "resultaten.csv"
    frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    k = frame.index[frame["status"].isin(SUPPRESSED)][0]
    frame.loc[k, "n"] = "9"
    frame.to_csv(path, index=False)
    assert any("resultaten.csv" in f and "has n" in f for f in scan_site(site, computed.results, 2026))


def test_build_with_broken_suppression_is_refused_and_writes_nothing(tiny_config_path, monkeypatch, capsys):
    site = tiny_config_path.parent / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site")
    from jobmonitor.release import hashes_yaml

    # A release that passes every gate but the audit: definitive data, hashes named, after embargo.
    tiny_config_path.write_text(tiny_config_path.read_text() + hashes_yaml(load_config(tiny_config_path)))
    # Break complementary suppression: only primary cells hidden, so the audit must fail.
    monkeypatch.setattr(disclosure, "protect_tables", lambda n, present, min_n, *_, **__: present[None] & (n < min_n))
    code = main(["--config", str(tiny_config_path), "--release", "--now", "2026-06-01T12:00:00+02:00"])
    assert code == EXIT_AUDIT
    assert "Disclosure audit failed" in capsys.readouterr().err
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text() == "previous site"


def test_audit_failure_blocks_a_preview_build_too(tiny_config_path, monkeypatch, capsys):
    # Per-question protection alone (linked protection would hide everything once
    # complementary suppression is broken), so the per-question audit's finding shows.
    tiny_config_path.write_text(tiny_config_path.read_text() + "thresholds:\n  protect_linked: false\n")
    monkeypatch.setattr(disclosure, "protect_tables", lambda n, present, min_n, *_, **__: present[None] & (n < min_n))
    assert main(["--config", str(tiny_config_path)]) == EXIT_AUDIT
    err = capsys.readouterr().err
    assert "Disclosure audit failed" in err and "item Q1" in err and "derivable" in err
    assert not (tiny_config_path.parent / "site").exists()


def test_a_linked_witness_that_no_longer_fits_blocks_the_build(tiny_config_path, monkeypatch, capsys):
    """The linked audit checks the protection's integer witnesses against the table as
    published: witnesses that do not fit (here: none at all) leave the hidden counts with
    respondents uncleared, and the build is refused."""
    from jobmonitor.compute import pipeline

    real = pipeline.audit_linked
    monkeypatch.setattr(pipeline, "audit_linked", lambda *args: real(*args[:5], dataclasses.replace(args[5], witnesses=()), args[6]))
    assert main(["--config", str(tiny_config_path)]) == EXIT_AUDIT
    err = capsys.readouterr().err
    assert "Disclosure audit failed" in err and "not cleared by two integer tables" in err
    assert not (tiny_config_path.parent / "site").exists()


def test_audit_command_passes_on_a_clean_build(tiny_site, capsys):
    config, _ = tiny_site
    config_path = config.data_dir.parent / "site_config.yml"
    assert main(["audit", "--config", str(config_path)]) == 0
    assert "Audit passed" in capsys.readouterr().out


def test_hidden_institution_counts_in_the_response_table():
    from jobmonitor.compute.disclosure import hidden_institutions

    hidden = hidden_institutions(np.array([500, 400, 6, 120, 90]), 10)
    assert hidden.tolist() == [False, False, True, False, True]  # 6 plus the next smallest


def test_number_in_a_hidden_matrix_cell_is_found(site_copy):
    """The domain page's institutions × themes matrix names unit and theme per cell: a hidden
    one showing a figure is a finding, like a hidden row of a results table."""
    from jobmonitor.site.scan import unit_key

    site, computed, row = site_copy
    unit = unit_key(row["level"], row["institution_id"], row["domain_id"])
    plant(site, f'<table class="job-table job-matrix"><tbody><tr><th scope="row">X</th>'
                f'<td data-unit="{unit}" data-item="{row["item_id"]}">3,4</td></tr></tbody></table>')
    assert any("hidden cell" in f and row["item_id"] in f for f in scan_site(site, computed.results, 2026))
