"""A release that passes every gate, and reproducible (byte-identical) builds."""

from __future__ import annotations

import json

from jobmonitor.cli import main
from jobmonitor.config import load_config
from jobmonitor.publish import build
from jobmonitor.release import hashes_yaml


def release_config(path):
    path.write_text(path.read_text() + hashes_yaml(load_config(path)))
    return path


def test_release_after_embargo_with_definitive_data(tiny_config_path, capsys):
    config_path = release_config(tiny_config_path)
    assert main(["--config", str(config_path), "--release", "--quiet"]) == 0
    site = tiny_config_path.parent / "site"
    for page in ("index.html", "landelijk/index.html"):
        html = (site / page).read_text()
        assert "Voorlopige cijfers" not in html and "noindex" not in html and "(voorbeeld)" not in html
    assert "Disallow: /\n" not in (site / "robots.txt").read_text()
    manifest = json.loads((site / "manifest.json").read_text())
    assert manifest["build"] == "release" and manifest["data_status"] == "definitief"
    assert "Built release site" in capsys.readouterr().out


def test_a_release_without_linked_protection_is_refused_and_writes_nothing(tiny_config_path, capsys):
    config_path = release_config(tiny_config_path)
    config_path.write_text(config_path.read_text() + "thresholds:\n  protect_linked: false\n")
    assert main(["--config", str(config_path), "--release", "--quiet"]) != 0
    assert "protect_linked is off" in capsys.readouterr().err
    assert not (tiny_config_path.parent / "site").exists()


def snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_inputs_give_a_byte_identical_site(tiny_config_path):
    config = load_config(tiny_config_path)
    build(config)
    a = snapshot(config.out_dir)
    build(config)
    b = snapshot(config.out_dir)
    assert a.keys() == b.keys() and len(a) > 20
    different = [name for name in a if a[name] != b[name]]
    assert different == []


def test_data_hashes_cover_every_edition_and_never_the_private_label_files(tmp_path):
    """Every edition a trend line draws is input to the release; the institution reports' label
    files are not, so a site is the same with or without them."""
    import shutil
    from pathlib import Path

    from jobmonitor.release import data_files

    root = Path(__file__).resolve().parent.parent
    data = tmp_path / "data"
    shutil.copytree(root / "data", data)
    (data / "2026" / "labels.csv").write_text("respondent_id,label_1\n", encoding="utf-8")
    (data / "2026" / "labels.yml").write_text("{}\n", encoding="utf-8")
    config = load_config(root / "site_config.yml", data_dir=data, out_dir=tmp_path / "site")
    files = data_files(config)
    assert {key.split("/")[0] for key in files} == {str(y) for y in [config.edition, *config.previous_editions]}
    assert not [key for key in files if key.endswith(("labels.csv", "labels.yml"))]
