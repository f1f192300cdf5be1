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
