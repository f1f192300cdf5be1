"""The build as a whole: only `publish` stages and swaps, so any failure after the compute
leaves the previous site exactly as it was, and a staging folder never outlives the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobmonitor.config import load_config
from jobmonitor.publish import build


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def previous_site(tiny_config_path) -> Path:
    site = tiny_config_path.parent / "site"
    (site / "oud").mkdir(parents=True)
    (site / "index.html").write_text("vorige site\n", encoding="utf-8")
    (site / "oud" / "pagina.html").write_bytes(b"\x00\x01 oud")
    return site


@pytest.mark.parametrize("target, error", [
    ("mkdocs.commands.build.build", RuntimeError("mkdocs exploded")),
    ("jobmonitor.site.mkdocs_site.write_pages", OSError("disk full")),
    ("jobmonitor.publish.write_downloads", OSError("disk full")),
])
def test_a_failure_at_any_step_leaves_previous_site_untouched(tiny_config_path, previous_site, monkeypatch,
                                                              target, error):
    before = snapshot(previous_site)

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(target, broken)
    with pytest.raises(type(error), match=str(error)):
        build(load_config(tiny_config_path))
    assert snapshot(previous_site) == before
    assert not [p for p in previous_site.parent.iterdir() if p.name.startswith(".site.staging")]


def test_successful_build_replaces_previous_site(tiny_config_path, previous_site):
    report = build(load_config(tiny_config_path))
    assert report.out_dir == previous_site.resolve()
    assert not (previous_site / "oud").exists()
    assert (previous_site / "manifest.json").is_file() and (previous_site / "downloads" / "resultaten.csv").is_file()
    assert not [p for p in previous_site.parent.iterdir() if p.name.startswith(".site.staging")]


def test_the_site_does_not_depend_on_the_output_folder(tiny_config_path, tmp_path):
    """Nothing on the site depends on the build machine: the same inputs built into two
    different folders give byte-identical files (the methods page once showed `out_dir`)."""
    first = build(load_config(tiny_config_path, out_dir=tmp_path / "een" / "site")).out_dir
    second = build(load_config(tiny_config_path, out_dir=tmp_path / "twee" / "andere-naam")).out_dir
    assert snapshot(first) == snapshot(second)
