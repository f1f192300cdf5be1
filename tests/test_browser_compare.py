"""The compare page in real headless Chromium (issue 15): a visitor chooses three schools by
typing, the URL holds the choice and a reload restores it; the figures equal the results table;
every pair verdict equals the Python reference (`compute.pairs`) on the same units; a hidden
cell shows no number anywhere in the DOM; axe finds nothing; no request leaves the site; in
domain mode the same holds for institution × domain units."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from browser_support import SUPPRESSED, format_value, serve, shared_demo_build
from jobmonitor.compute.pairs import compare_pair
from test_browser import WCAG_TAGS, browser, context, describe_violations  # noqa: F401 (fixtures)
from test_compare import pair_rows

pytestmark = pytest.mark.browser

CELLS_JS = """() => Array.from(document.querySelectorAll('#job-vg-results td[data-unit]')).map(td => ({
    unit: td.dataset.unit, item: td.dataset.item, text: td.innerText.trim(), html: td.outerHTML,
    pair: td.hasAttribute('data-pair-verdict') ? td.dataset.pairVerdict : null,
    value: (td.querySelector('.job-vg-value') || {innerText: ''}).innerText.trim()}))"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return shared_demo_build(tmp_path_factory)


@pytest.fixture(scope="module")
def site(demo):
    with serve(demo.site_dir) as url:
        yield url


def index(demo) -> dict:
    return json.loads((demo.site_dir / "vergelijk" / "data" / "eenheden.json").read_text(encoding="utf-8"))


def unit_file(demo, name: str) -> dict:
    return json.loads((demo.site_dir / "vergelijk" / "data" / name).read_text(encoding="utf-8"))["units"]


def wait_for_tables(page):
    page.locator("#job-vg-results table").first.wait_for()


def check_cells(cells, units: dict, variables: dict, thresholds, results, order: list[str]):
    """Figures against the results table, pair verdicts against the reference, hidden cells bare."""
    from jobmonitor.config import Thresholds

    problems = []
    own = units[order[0]]
    reference = {key: compare_pair(pair_rows(own, variables), pair_rows(units[key], variables), Thresholds(**thresholds))
                 for key in order[1:]}
    def text(value) -> str:
        return value if isinstance(value, str) else ""

    by_key = {(r.level, text(r.institution_id), text(r.domain_id), r.item_id): r for r in results.itertuples()}
    pairs = 0
    for cell in cells:
        if cell["unit"] not in units:
            continue
        level, inst, dom = cell["unit"].split("|")
        truth = by_key.get((level, inst, dom, cell["item"]))
        if truth is None:
            continue
        if truth.status in SUPPRESSED:
            if cell["text"] != "te weinig respondenten" or re.search(r"\d", cell["html"].replace(cell["unit"], "").replace(cell["item"], "")):
                problems.append(f"hidden {cell['unit']} {cell['item']}: {cell['html'][:200]}")
            continue
        if cell["value"] != format_value(truth.estimate, truth.measure):
            problems.append(f"{cell['unit']} {cell['item']}: shows {cell['value']!r}, results {format_value(truth.estimate, truth.measure)!r}")
        if cell["unit"] in reference and cell["item"] in reference[cell["unit"]].index:
            pairs += 1
            expected = reference[cell["unit"]].loc[cell["item"], "verdict"]
            if (cell["pair"] or "") != expected:
                problems.append(f"{cell['unit']} {cell['item']}: pair verdict {cell['pair']!r}, reference {expected!r}")
    return problems, pairs


def test_a_visitor_compares_three_schools_chosen_by_typing(demo, site, context):
    data = index(demo)
    schools = data["institutions"][:3]
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(f"{site}/vergelijk/", wait_until="load")
    box = page.locator("#job-vg-input")
    for school in schools:
        box.fill("")
        box.press_sequentially(school["name"], delay=10)
        box.press("Enter")
    wait_for_tables(page)
    assert urlsplit(page.url).fragment == ",".join(s["id"] for s in schools)
    page.reload(wait_until="load")
    wait_for_tables(page)
    chosen = page.locator("#job-vg-chosen li").all_inner_texts()
    assert len(chosen) == 3 and all(s["name"] in text for s, text in zip(schools, chosen))
    cells = page.evaluate(CELLS_JS)
    units = {}
    for school in schools:
        units.update(unit_file(demo, school["file"]))
    order = [f"institution|{s['id']}|" for s in schools]
    problems, pairs = check_cells(cells, units, data["vars"], data["thresholds"], demo.results, order)
    assert problems == [], "\n".join(problems[:20])
    assert pairs > 50  # linked protection hides whole units of the small demo
    host = urlsplit(site).netloc
    assert all(urlsplit(url).netloc == host for url in requests if urlsplit(url).scheme in ("http", "https"))
    assert not [u for u in requests if urlsplit(u).scheme not in ("http", "https", "data", "blob")]


def test_institution_domain_units_and_axe(demo, site, context):
    from axe_playwright_python.sync_playwright import Axe

    data = index(demo)
    domains = {d["id"]: d for d in data["domains"]}
    # A domain with at least three institutions and a hidden cell among them.
    def published(units, key):
        return sum(r["status"] != "suppressed" for r in units[key]["rows"].values())

    # A domain where three institutions publish most of their figures and one of them hides some.
    best = None
    for dom in domains.values():
        units = {}
        for path in sorted((demo.site_dir / "vergelijk" / "data").glob(f"I*-{dom['id']}.json")):
            units.update(unit_file(demo, path.name))
        cells = sorted((k for k in units if k.startswith("institution_domain")), key=lambda k: -published(units, k))
        hidden = [k for k in cells[:3] if any(r["status"] == "suppressed" for r in units[k]["rows"].values())]
        if len(cells) >= 3 and hidden and (best is None or published(units, cells[2]) > best[0]):
            best = (published(units, cells[2]), dom, units, cells[:3])
    _, dom, units, order = best
    fragment = f"{dom['id']}:" + ",".join(k.split("|")[1] for k in order)
    page = context.new_page()
    page.goto(f"{site}/vergelijk/#{fragment}", wait_until="load")
    wait_for_tables(page)
    cells_shown = page.evaluate(CELLS_JS)
    problems, pairs = check_cells(cells_shown, units, data["vars"], data["thresholds"], demo.results, order)
    assert pairs > 20, (page.url, order, len(cells_shown), page.locator("#job-vg-status").inner_text())
    assert problems == [], "\n".join(problems[:20])
    assert pairs > 20
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
        violations = result.response["violations"]
        assert not violations, describe_violations(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
