"""The one render path: one environment, links relative to each page, one loop that refuses
two specs for one file, and readable snapshots of rendered fragments.

Snapshots live in tests/snapshots/; after a deliberate change, rewrite them with
`UPDATE_SNAPSHOTS=1 python -m pytest tests/test_render.py` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jobmonitor.site.render import page_url, relative_md, relative_url, render_page, template_environment, write_pages
from jobmonitor.site.specs import Page, Row, Table
from jobmonitor.site.wording import load_wording

SNAPSHOTS = Path(__file__).parent / "snapshots"
W = load_wording()


def assert_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; review and update the snapshot"


def render_fragment(template: str, page_path: str = "instellingen/x/index.md", **values) -> str:
    """A partial template rendered as a page at `page_path` would render it."""
    return render_page(Page(page_path, template, ""), {"w": W, "confidence": "95", **values})


def test_one_environment_escapes_everything():
    env = template_environment()
    assert env is template_environment() and env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"


@pytest.mark.parametrize("from_path, to_path, expected", [
    ("index.md", "landelijk.md", "landelijk/"),
    ("instellingen/x/index.md", "verantwoording.md", "../../verantwoording/"),
    ("instellingen/x/y.md", "instellingen/x/index.md", "../"),
    ("themas/a.md", "downloads/resultaten.csv", "../../downloads/resultaten.csv"),
    ("landelijk.md", "landelijk.md", "./"),
])
def test_links_are_relative_to_the_page_url(from_path, to_path, expected):
    assert relative_url(from_path, to_path) == expected


def test_markdown_links_and_page_urls():
    assert relative_md("instellingen/x/index.md", "themas/a.md") == "../../themas/a.md"
    assert page_url("index.md") == "" and page_url("a/index.md") == "a/" and page_url("a/b.md") == "a/b/"


def test_the_loop_refuses_two_specs_for_one_file(tmp_path):
    page = Page("robots.txt", "robots.txt.j2", "", data={"preview": True, "sitemap_url": "x"})
    with pytest.raises(ValueError, match="robots.txt"):
        write_pages([page, page], {}, tmp_path)


def test_snapshot_of_a_results_table_with_a_hidden_and_an_indicative_row():
    columns = (("value", "Uitkomst"), ("interval", "95%-interval"), ("marker", "Oordeel"))
    table = Table("Voorbeeld – Lessen", "Vraag", columns, (
        Row("De lessen <beginnen> op tijd.", False, False, ("62,4 %", "58,1–66,5", "geen verschil"), item="Q1"),
        Row("Krijg je feedback?", False, True, ("55,3 % (indicatief*)", "50,4–60,1", "hoger (+)"), item="Q2"),
        Row("Themascore (schaal 1–5)", True, item="lessen"),
    ), unit="institution|I01|", id="tabel-lessen")
    assert_snapshot("results_table.html", render_fragment("_results_table.md.j2", table=table))


def test_snapshot_of_the_reading_legend():
    assert_snapshot("legend.html", render_fragment("_legend.md.j2"))


def test_the_loop_in_two_processes_writes_the_same_files(tmp_path, monkeypatch):
    """A national site renders every other page in a forked worker; the files must not differ,
    and the last page (the downloads page, which waits on the main process) stays in the main one."""
    import jobmonitor.site.render as render

    pages = [Page(f"p{k}.md", "_data.json.j2", "", data={"text": f"page {k}"}) for k in range(7)]
    plain = write_pages(pages, {}, tmp_path / "plain")
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    parent = os.getpid()
    seen = []
    original = render.render_page
    monkeypatch.setattr(render, "render_page", lambda page, common: seen.append((page.path, os.getpid())) or original(page, common))
    forked = write_pages(pages, {}, tmp_path / "forked", parallel=True)
    assert sorted(p.relative_to(tmp_path / "forked") for p in forked) == sorted(p.relative_to(tmp_path / "plain") for p in plain)
    for path in plain:
        assert (tmp_path / "forked" / path.relative_to(tmp_path / "plain")).read_text() == path.read_text()
    # Pages rendered here (the worker's own calls are not seen by this process): the even ones and the last.
    assert [path for path, pid in seen] == ["p0.md", "p2.md", "p4.md", "p6.md"] and {pid for _, pid in seen} == {parent}
