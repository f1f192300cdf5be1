"""The built site: no hidden value anywhere, preview vs release, atomic swap, determinism."""

from __future__ import annotations

import gzip
import inspect
import io
import json
import re
import zipfile
from pathlib import Path

import material
import openpyxl
import pytest

from jobmonitor import publish
from jobmonitor.site import mkdocs_site as site_module
from jobmonitor.site.mkdocs_site import build_site, mkdocs_config
from site_fixtures import HIDDEN_STRINGS, parse_tables, site_inputs, table_with

BANNER = "Voorlopige cijfers – niet openbaar"
NOINDEX = '<meta name="robots" content="noindex,nofollow">'
MATERIAL_ASSETS = Path(material.__file__).parent / "templates" / "assets"
DOWNLOADS = ("resultaten.csv", "resultaten-excel.csv", "resultaten-2025.xlsx", "vragenlijst.csv", "datadictionary.csv")


def fake_downloads(site_dir: Path) -> None:
    """Stands in for the downloads `publish` adds, so every link on the site can be checked."""
    (site_dir / "downloads").mkdir(exist_ok=True)
    for name in DOWNLOADS:
        if name.endswith(".xlsx"):
            # A real workbook (the release scan reads it), with fixed member times like the site's.
            book, raw = openpyxl.Workbook(), io.BytesIO()
            book.active.append(["edition"])
            book.active.append([2025])
            book.save(raw)
            with zipfile.ZipFile(raw) as source, zipfile.ZipFile(site_dir / "downloads" / name, "w") as archive:
                for member in sorted(source.namelist()):
                    text = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*<", rb"<dcterms:\1>2025-01-01T00:00:00Z<",
                                  source.read(member))
                    archive.writestr(zipfile.ZipInfo(member, (2025, 1, 1, 0, 0, 0)), text)
        else:
            (site_dir / "downloads" / name).write_text("edition\n2025\n", encoding="utf-8")


def build_with_downloads(inputs, work: Path, *, preview: bool) -> dict:
    info = build_site(inputs, work, preview=preview)
    fake_downloads(info["site"])
    return info


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("built")
    inputs = site_inputs()
    info = {
        "preview": build_with_downloads(inputs, root / "preview", preview=True),
        "release": build_with_downloads(inputs, root / "release", preview=False),
    }
    return {"root": root, "info": info, "preview": info["preview"]["site"], "release": info["release"]["site"]}


def site_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())


def html_pages(site: Path) -> list[Path]:
    return [p for p in site_files(site) if p.suffix == ".html"]


def file_text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def test_build_reports_pages_and_time(built):
    info = built["info"]["release"]
    assert info["pages"] == 25  # 18 results and content pages + compare + start, reading guide, 1 guide, 3 cards
    assert info["seconds"] < 30
    assert info["warnings"] == []


@pytest.mark.parametrize("kind", ["preview", "release"])
def test_no_hidden_value_in_any_file(built, kind):
    site = built[kind]
    for path in site_files(site):
        relative = path.relative_to(site)
        if relative.parts[0] == "assets":
            # Theme assets are copied verbatim from mkdocs-material, so they cannot hold data.
            assert path.read_bytes() == (MATERIAL_ASSETS / Path(*relative.parts[1:])).read_bytes(), relative
            continue
        text = file_text(path)
        for hidden in HIDDEN_STRINGS:
            assert not re.search(rf"(?<![\d.,]){re.escape(hidden)}(?!\d)", text), (relative, hidden)


def test_suppressed_cell_shows_only_the_words(built):
    page = built["release"] / "instellingen/abel-vakcollege/zorg-welzijn-en-sport/index.html"
    table = table_with(parse_tables(page.read_text(encoding="utf-8")), "Lessen en leren")
    hidden = [row for attrs, row in zip(table.row_attrs[1:], table.rows[1:]) if attrs.get("data-item") == "Q2"]
    for row in hidden:
        assert [cell["text"] for cell in row][1:] == ["te weinig respondenten"] + [""] * 7
        assert all(not any(ch.isdigit() for ch in "".join(cell["attrs"].values())) for cell in row[1:])


def test_search_index_has_names_but_no_tables_or_unit_domain_pages(built):
    index = json.loads((built["release"] / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    text = json.dumps(index, ensure_ascii=False)
    assert index["config"]["lang"] == ["nl"]
    for name in ("Zuiderlicht College", "Ábel Vakcollege", "Zorg, welzijn en sport", "Lessen en leren"):
        assert name in text, name
    assert "instellingen/zuiderlicht-college/" in locations
    cells = [doc for doc in index["docs"] if doc["location"].count("/") > 2 and doc["location"].startswith("instellingen/")]
    assert cells and all("#" not in doc["location"] for doc in cells)  # found by title, no sections
    assert "62,4" not in text  # institution tables stay out of the index
    assert "Zo lees je de tabellen" not in text  # nor the legend repeated on every unit page


def test_preview_marks_every_page(built):
    site = built["preview"]
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        assert BANNER in html, page
        assert NOINDEX in html, page
        title = re.search(r"<title>(.*?)</title>", html).group(1)
        assert title.endswith("(voorbeeld)"), (page, title)
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Disallow: /" in robots


def test_release_has_no_preview_marks(built):
    site = built["release"]
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        assert BANNER not in html and "noindex" not in html and "voorbeeld)" not in html, page
        assert 'class="md-banner"' not in html, page
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Allow: /" in robots and "Disallow" not in robots
    assert "Sitemap: https://example.org/jobmonitor/sitemap.xml" in robots


@pytest.mark.parametrize("kind", ["preview", "release"])
def test_every_page_has_copyright_lang_and_no_generator(built, kind):
    for page in html_pages(built[kind]):
        html = page.read_text(encoding="utf-8")
        assert "© JOB – Jongeren Organisatie Beroepsonderwijs" in html, page
        assert '<html lang="nl"' in html, page
        assert 'name="generator"' not in html, page
        assert "Made with" not in html, page


def test_no_third_party_requests(built):
    for page in html_pages(built["release"]):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'<(?:script|img|iframe)[^>]+src="(?:https?:)?//', html), page
        assert not re.search(r'<link[^>]+href="(?:https?:)?//(?!example\.org)', html), page
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_every_page_has_a_content_security_policy_covering_its_inline_scripts(built):
    for page in html_pages(built["release"]) + html_pages(built["preview"]):
        html = page.read_text(encoding="utf-8")
        head = html[:html.index("</head>")]
        policies = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert len(policies) == 1, page
        assert head.index("Content-Security-Policy") < head.index("<script"), "the policy precedes every script"
        policy = dict(part.strip().split(" ", 1) for part in policies[0].split(";"))
        assert policy["default-src"] == "'self'" and policy["img-src"] == "'self' data:"
        assert policy["style-src"] == "'self' 'unsafe-inline'" and policy["object-src"] == "'none'"
        allowed = set(policy["script-src"].split())
        assert "'unsafe-inline'" not in allowed and "'unsafe-eval'" not in allowed
        inline = site_module.INLINE_SCRIPT.findall(html)
        assert inline, page  # mkdocs-material has a few; all must be allowed by their hash
        assert allowed == {"'self'"} | {site_module.script_hash(script) for script in inline}, page


def test_unit_pages_carry_inline_svg_charts(built):
    html = (built["release"] / "instellingen/zuiderlicht-college/index.html").read_text(encoding="utf-8")
    assert html.count('<figure class="job-figure"') == 1
    svg = re.search(r"<svg [^>]*class=\"job-chart\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and '<title id="grafiek-lessen-titel">' in svg
    assert set(re.findall(r"https?://[^\"'\s)]+", svg)) == {"http://www.w3.org/2000/svg"}


def test_extra_css_has_print_rules_and_scrollable_tables(built):
    css = (built["release"] / "stylesheets/extra.css").read_text(encoding="utf-8")
    screen, _, print_rules = css.partition("@media print")
    assert ".job-table-scroll" in screen and "overflow-x: auto" in screen
    for rule in (".md-header", ".md-sidebar", ".md-search", ".md-footer", ".job-table-scroll", ".job-figure"):
        assert rule in print_rules, rule
    assert "overflow: visible" in print_rules and "break-inside: avoid" in print_rules


def test_extra_css_fixes_copyright_contrast(built):
    css = (built["release"] / "stylesheets/extra.css").read_text(encoding="utf-8")
    assert ".md-copyright" in css
    assert 'href="stylesheets/extra.css"' in (built["release"] / "index.html").read_text(encoding="utf-8")


def test_every_internal_link_resolves(built):
    site = built["release"]
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'<a [^>]*href="([^"#?]+)', html):
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            # 404.html links from the site root (the path of site_url), all others relatively.
            base = site if href.startswith("/jobmonitor/") else page.parent
            target = (base / href.removeprefix("/jobmonitor/")).resolve()
            assert target.is_file() or (target / "index.html").is_file(), (page.relative_to(site), href)


def test_nav_lists_sections_only(tmp_path):
    docs = tmp_path / "docs"
    (docs / "instellingen").mkdir(parents=True)
    for path in ("index.md", "landelijk.md", "instellingen/index.md", "instellingen/x.md"):
        (docs / path).write_text("# x\n", encoding="utf-8")
    config = mkdocs_config(site_inputs(), docs, preview=False)
    assert config["nav"] == [{"Home": "index.md"}, {"Landelijk": "landelijk.md"}, {"Instellingen": "instellingen/index.md"}]
    assert config["theme"]["font"] is False and config["theme"]["language"] == "nl"
    assert config["use_directory_urls"] is True and config["site_url"] == "https://example.org/jobmonitor/"


def test_two_builds_are_byte_identical(built, tmp_path):
    again = build_with_downloads(site_inputs(), tmp_path / "again", preview=False)["site"]
    first, second = site_files(built["release"]), site_files(again)
    assert [p.relative_to(built["release"]) for p in first] == [p.relative_to(again) for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.relative_to(built["release"])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in site_files(folder)}


def _previous_site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    (out / "oud").mkdir(parents=True)
    (out / "index.html").write_text("vorige site\n", encoding="utf-8")
    (out / "oud" / "pagina.html").write_bytes(b"\x00\x01 oud")
    return out


def test_site_build_needs_a_fresh_work_folder_and_never_touches_another(tmp_path):
    """Only `publish` stages and swaps: build_site refuses to build into a folder that exists."""
    out = _previous_site(tmp_path)
    before = snapshot(out)
    with pytest.raises(FileExistsError):
        build_site(site_inputs(), out, preview=False)
    assert snapshot(out) == before


def test_a_failed_rename_restores_the_previous_site(tmp_path, monkeypatch):
    out = _previous_site(tmp_path)
    before = snapshot(out)
    new = tmp_path / "new"
    new.mkdir()
    (new / "index.html").write_text("nieuwe site\n", encoding="utf-8")
    trash = tmp_path / "trash"
    trash.mkdir()
    real_rename = publish.os.rename
    calls = []

    def rename_second_fails(src, dst):
        calls.append(src)
        if len(calls) == 2:
            raise OSError("rename failed")
        return real_rename(src, dst)

    monkeypatch.setattr(publish.os, "rename", rename_second_fails)
    with pytest.raises(OSError, match="rename failed"):
        publish.swap_into_place(new, out, trash)
    assert snapshot(out) == before


def test_a_successful_swap_replaces_the_previous_site(tmp_path):
    out = _previous_site(tmp_path)
    new = tmp_path / "new"
    new.mkdir()
    (new / "index.html").write_text("nieuwe site\n", encoding="utf-8")
    trash = tmp_path / "trash"
    trash.mkdir()
    publish.swap_into_place(new, out, trash)
    assert snapshot(out) == {"index.html": b"nieuwe site\n"}


def test_tables_name_unit_and_item_for_the_release_audit(built):
    """The audit checks rows of hidden cells via table[data-unit] and tr[data-item]."""
    page = built["release"] / "instellingen/abel-vakcollege/zorg-welzijn-en-sport/index.html"
    table = table_with(parse_tables(page.read_text(encoding="utf-8")), "Lessen en leren")
    assert table.attrs["data-unit"] == "institution_domain|I02|D1"
    assert [attrs.get("data-item") for attrs in table.row_attrs[1:]] == ["lessen", "Q1", "Q2"]


def test_release_audit_finds_nothing(built):
    audit = pytest.importorskip("jobmonitor.site.scan")
    from site_fixtures import EDITION, raw_results

    accepts_edition = "edition" in inspect.signature(audit.scan_site).parameters
    extra = {"edition": EDITION} if accepts_edition else {}
    assert audit.scan_site(built["release"], raw_results(), **extra) == []
