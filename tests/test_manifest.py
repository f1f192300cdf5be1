"""The build manifest: every figure traceable to its inputs (file hashes, config, code and
package versions, counts per status), and the same page and file on every machine."""

from __future__ import annotations

import json
from pathlib import Path

from jobmonitor.config import load_config
from jobmonitor.site import manifest
from jobmonitor.site.manifest import build_manifest, config_hash, manifest_json, manifest_page
from jobmonitor.site.wording import load_wording
from jobmonitor.site.render import render_page
from site_fixtures import site_config

W = load_wording()
COUNTS = {"2026": {"published": 1234, "indicative": 5, "suppressed": 13}}


def a_manifest(**overrides) -> dict:
    config = site_config().model_copy(update=overrides)
    return build_manifest(config, release=False, input_hashes={"2026/b.csv": "b" * 64, "2026/a.csv": "a" * 64},
                          counts=COUNTS, weighting={})


def test_manifest_names_inputs_config_code_and_counts():
    m = a_manifest()
    assert list(m["input_files_sha256"]) == ["2026/a.csv", "2026/b.csv"]
    assert m["counts_per_status"] == COUNTS and m["build"] == "preview"
    assert len(m["config_sha256"]) == 64 and "jobmonitor" in m["package_versions"]
    assert "data_hashes" not in m["config"] and "out_dir" not in m["config"]


def test_config_hash_does_not_depend_on_the_build_machine(tiny_config_path, tmp_path):
    """Building the same inputs into another folder must not change the manifest."""
    here = load_config(tiny_config_path)
    elsewhere = load_config(tiny_config_path, data_dir=tmp_path / "data", out_dir=tmp_path / "ergens" / "site")
    assert config_hash(here) == config_hash(elsewhere)
    assert a_manifest(out_dir=Path("/a"))["config"] == a_manifest(out_dir=Path("/b"))["config"]


def test_manifest_json_is_stable_text():
    m = a_manifest()
    assert manifest_json(m) == manifest_json(json.loads(manifest_json(m)))
    assert manifest_json(m).endswith("}\n")


def test_unknown_versions_are_worded_on_the_page():
    m = {**a_manifest(), "code_version": None, "package_versions": {"pandas": None}}
    page = manifest_page(m, W)
    assert page.path == "over-deze-cijfers.md" and not page.search_exclude  # findable
    text = render_page(page, {"w": W})
    assert f"| Programmaversie (git-commit) | {W['manifest']['unknown_version']} |" in text
    assert f"| pandas | {W['manifest']['not_installed']} |" in text
    assert "| gepubliceerd | 1.234 |" in text
    assert '<a href="../manifest.json">manifest.json</a>' in text


def test_code_version_outside_a_checkout_is_none(tmp_path):
    assert manifest.code_version(tmp_path) is None
