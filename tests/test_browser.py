"""The built demo site in real headless Chromium (Debian's /usr/bin/chromium, via Playwright).

The demo edition is built once per test session (shared by the xdist workers, see
`browser_support.shared_demo_build`) and served from 127.0.0.1 at a free port. Then:

- axe-core finds no WCAG 2.1 A/AA violation on one page of every page type;
- no request leaves 127.0.0.1:<port> (no CDN, fonts, analytics), also while searching;
- a visitor finds an institution with the search box, opens one of its domains and reads the
  same figures as `jobmonitor.compute.pipeline.compute` produced; suppressed rows say so, without digits;
- pages are Dutch, set no cookies and keep search engines out of a preview;
- screenshots of every page type at 360×800 and 1280×900 land in test-artifacts/screenshots/;
- on a 360 px phone the results rows are cards: question, own result, benchmark and verdict in
  view, each figure behind its column header, hidden rows without any label; tables that still
  scroll show a shadow at the edge; the theme jump menu lands on its headings; axe at 360 px;
- the keyboard reaches the skip link and the search box, with a visible focus.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from browser_support import (
    ALL_PAGE_TYPES,
    CHROMIUM,
    MISSING_CHROMIUM,
    ROOT,
    SUPPRESSED,
    cell_with_suppressed_row,
    format_count,
    format_value,
    launch_chromium,
    names,
    page_types,
    serve,
    shared_demo_build,
    unit_key,
)
from jobmonitor.site.formatting import slugify
from jobmonitor.site.wording import load_wording

VERDICT_WORDS = load_wording()["verdict"]

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORTS = ((360, 800), (1280, 900))
TIMEOUT_MS = 20_000


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    return shared_demo_build(tmp_path_factory)


@pytest.fixture(scope="session")
def paths(demo) -> dict[str, str]:
    return page_types(demo)


@pytest.fixture(scope="session")
def base_url(demo):
    with serve(demo.site_dir) as url:
        yield url


# Module scope, not session: Playwright's sync API cannot run twice at once in one process, and
# other test modules on the same xdist worker start their own; pytest tears this down as soon as
# the worker moves on to a test of another module.
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        pytest.fail('Python package playwright is missing: pip install -e ".[test]"', pytrace=False)
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture()
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture()
def page(context):
    return context.new_page()


# The theme's JavaScript has run once it has mounted the search box and wrapped every plain
# content table in its scroll box.
THEME_READY_JS = """() => document.querySelector('.md-search-result__meta') !== null
    && document.querySelectorAll('article table:not([class])').length
       === document.querySelectorAll('article .md-typeset__table > table:not([class])').length"""


def open_page(page, url: str) -> None:
    """Load a page and wait until the theme's JavaScript has finished with it."""
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response.status if response else '?'}"
    page.wait_for_function(THEME_READY_JS)


def need(paths: dict[str, str], page_type: str) -> str:
    if page_type not in paths:
        # Only the action guides may be missing: they are written in parallel with this site.
        pytest.skip(f"{page_type}/index.html was not built (no action guides in this build yet)")
    return paths[page_type]


# --------------------------------------------------------------------------- accessibility


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"][:3]]
        lines.append(f"- {v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}\n"
                     f"    {v['helpUrl']}\n    first targets: {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("page_type", ALL_PAGE_TYPES)
def test_axe_finds_no_wcag21_aa_violations(page_type, paths, base_url, page):
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:  # pragma: no cover - the test extra installs it
        pytest.fail('Python package axe-playwright-python is missing: pip install -e ".[test]"', pytrace=False)

    url = f"{base_url}/{need(paths, page_type)}"
    open_page(page, url)
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                      "resultTypes": ["violations"]})
    violations = result.response["violations"]
    assert not violations, f"axe-core (WCAG 2.1 A/AA) on {page_type} page {url}:\n{describe_violations(violations)}"


# --------------------------------------------------------------------------- privacy


def test_no_request_leaves_the_site_host_and_pages_are_dutch_and_not_indexed(paths, base_url, context):
    host = urlsplit(base_url).netloc
    requests: list[str] = []
    failures: list[str] = []
    page_problems: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page = context.new_page()
    for name, path in paths.items():
        open_page(page, f"{base_url}/{path}")
        lang, robots = page.evaluate("""() => [document.documentElement.lang,
            Array.from(document.querySelectorAll('meta[name="robots"]')).map(m => m.content)]""")
        if lang != "nl":
            page_problems.append(f"{name}: <html lang={lang!r}>")
        if len(robots) != 1 or "noindex" not in robots[0]:
            page_problems.append(f"{name}: a preview page needs one meta robots noindex, found {robots}")
    # Searching loads the index in a web worker: its requests count too.
    open_page(page, f"{base_url}/")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("stage", delay=20)
    page.locator(".md-search-result__item").first.wait_for()

    assert len(requests) > len(paths)
    # The search worker's own fetch is recorded too, so nothing a worker loads goes unseen.
    assert any(urlsplit(url).path.endswith("/search/search_index.json") for url in requests), requests
    foreign = sorted({url for url in requests
                      if urlsplit(url).scheme not in ("data", "blob")
                      and (urlsplit(url).scheme != "http" or urlsplit(url).netloc != host)})
    assert foreign == [], f"requests to hosts other than {host}:\n" + "\n".join(foreign)
    assert failures == [], "failed requests:\n" + "\n".join(failures)
    assert page_problems == [], "\n".join(page_problems)
    assert context.cookies() == []


# --------------------------------------------------------------------------- a visitor's walk

ROWS_JS = """key => Array.from(document.querySelectorAll('table[data-unit]:not(.job-trend-table)'))
    .filter(table => table.dataset.unit === key)
    .flatMap(table => Array.from(table.querySelectorAll('tr[data-item]'))
        .map(tr => [tr.dataset.item, Array.from(tr.cells).map(cell => cell.innerText.trim())]))"""


def test_a_visitor_searches_an_institution_and_reads_the_computed_figures(demo, base_url, context):
    institution_id, domain_id = cell_with_suppressed_row(demo)
    institution, domain = names(demo, institution_id, domain_id)
    page = context.new_page()
    open_page(page, f"{base_url}/")
    assert page.evaluate("document.documentElement.lang") == "nl"

    # 1. Type the institution's name in the search box and click its result.
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(institution, delay=30)
    result = page.locator(".md-search-result a.md-search-result__link").filter(
        has=page.locator("h1", has_text=re.compile(rf"^\s*{re.escape(institution)}\s*$")))
    result.first.wait_for()
    result.first.click()
    page.wait_for_url(re.compile(rf"/instellingen/{re.escape(slugify(institution))}/(\?[^#]*)?(#.*)?$"))
    assert institution in page.locator("h1").first.inner_text()

    # 2. On the institution page, follow the link to the institution × domain page.
    cell_path = f"/instellingen/{slugify(institution)}/{slugify(domain)}/"
    links = page.locator("article a[href]")
    index = links.evaluate_all(f"(links, path) => links.findIndex(a => new URL(a.href).pathname === path)", cell_path)
    assert index >= 0, f"the page of {institution} has no link to {cell_path}"
    links.nth(index).click()
    page.wait_for_url(re.compile(rf"{re.escape(cell_path)}(#.*)?$"))
    page.wait_for_load_state("load")
    assert institution in page.locator("h1").first.inner_text() and domain in page.locator("h1").first.inner_text()

    # 3. Every row of the results tables shows what the pipeline computed.
    rows = page.evaluate(ROWS_JS, unit_key("institution_domain", institution_id, domain_id))
    shown = dict(rows)
    assert len(shown) == len(rows), "an item appears twice in the tables of this unit"
    r = demo.results
    # Trend scores (`<theme>__trend`) are drawn in the table over the editions, not in these.
    expected = r[(r["level"] == "institution_domain") & (r["institution_id"] == institution_id)
                 & (r["domain_id"] == domain_id) & ~r["item_id"].str.endswith("__trend")]
    assert set(shown) == set(expected["item_id"]), "the rows on the page are not the computed rows"
    problems = []
    suppressed_rows = 0
    for row in expected.itertuples():
        cells = shown[row.item_id]
        values = " | ".join(cells[1:])
        if row.status in SUPPRESSED:
            suppressed_rows += 1
            if "te weinig respondenten" not in values or re.search(r"\d", values):
                problems.append(f"{row.item_id} ({row.status}): {values!r}")
            continue
        estimate = format_value(row.estimate, row.measure)
        if estimate not in cells[1]:
            problems.append(f"{row.item_id}: estimate {estimate!r} not in the result cell {cells[1]!r}")
        wanted = {"n": format_count(row.n), "benchmark": format_value(row.benchmark, row.measure)}
        if row.previous_estimate == row.previous_estimate:  # not NaN
            wanted["previous edition"] = format_value(row.previous_estimate, row.measure)
        for what, text in wanted.items():
            if not any(text in cell for cell in cells[1:]):
                problems.append(f"{row.item_id}: {what} {text!r} not in {values!r}")
        verdict = values.lower()
        said = {key for key, word in VERDICT_WORDS.items() if re.search(rf"(?<!\w){word}(?!\w)", verdict)}
        if row.marker in ("+", "-") and row.verdict not in said:  # after the question's direction
            problems.append(f"{row.item_id}: marker {row.marker!r} ({row.verdict}) not shown in {values!r}")
        if row.marker not in ("+", "-") and said - {"no_difference"}:
            problems.append(f"{row.item_id}: no significant difference, yet {values!r}")
        if row.change_marker in ("▲", "▼") and row.change_marker not in values:
            problems.append(f"{row.item_id}: change {row.change_marker} not shown in {values!r}")
        if row.change_marker not in ("▲", "▼") and ("▲" in values or "▼" in values):
            problems.append(f"{row.item_id}: no significant change, yet {values!r}")
    assert suppressed_rows > 0 and suppressed_rows < len(expected)
    assert problems == [], f"{institution} × {domain}:\n" + "\n".join(problems)

    # 4. Nothing of the walk left a cookie behind.
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert context.cookies() == []


# --------------------------------------------------------------------------- screenshots


# Words in a table's row headers that the browser split over two lines without a hyphen (a
# word holding a soft or hard hyphen may only break at one, and then shows it).
MID_WORD_BREAKS_JS = r"""() => { const bad = [];
  for (const th of document.querySelectorAll('table tbody th')) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const words = /\S+/g; let m;
      while ((m = words.exec(node.data))) {
        if (/[\u00ad-]/.test(m[0])) continue;
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) bad.push(m[0]);
      }
    }
  }
  return bad; }"""


@pytest.mark.parametrize("page_type", ALL_PAGE_TYPES)
def test_screenshots_and_no_sideways_scrolling(page_type, paths, base_url, browser):
    path = need(paths, page_type)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide = []
    for width, height in VIEWPORTS:
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL")
        try:
            ctx.set_default_timeout(TIMEOUT_MS)
            page = ctx.new_page()
            open_page(page, f"{base_url}/{path}")
            shot = SCREENSHOTS / f"{page_type}-{width}x{height}.png"
            # The top of the page (up to three screens): header, introduction and the first table.
            full_height = page.evaluate("document.documentElement.scrollHeight")
            clip = {"x": 0, "y": 0, "width": width, "height": min(full_height, 3 * height)}
            page.screenshot(path=shot, full_page=True, clip=clip, animations="disabled")
            assert shot.stat().st_size > 1000
            # Reflow (WCAG 1.4.10): wide tables scroll inside their own box, never the page.
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide.append(f"{width}×{height}: page is {scroll_width}px wide")
            broken = page.evaluate(MID_WORD_BREAKS_JS)
            if broken:
                too_wide.append(f"{width}×{height}: words broken mid-word in table rows: {sorted(set(broken))[:5]}")
        finally:
            ctx.close()
    assert too_wide == [], f"{page_type} does not fit: {too_wide}"


# --------------------------------------------------------------------------- tables on a phone

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
CARD_PAGES = ("instelling", "instelling-domein")

# Per results table of the page: the verdict cells ("Oordeel…" column) and the cells of the
# question, own result and benchmark, each with its box; the scroll box's widths; the label
# each figure shows on a phone; and what a hidden row shows.
TABLE_LAYOUT_JS = """() => Array.from(document.querySelectorAll('table[data-unit]:not(.job-trend-table)')).map(table => {
    const headers = Array.from(table.tHead.rows[0].cells).map(th => th.innerText.trim());
    const verdict = headers.findIndex(h => h.startsWith('Oordeel'));
    const box = cell => { const r = cell.getBoundingClientRect();
        return {left: r.left, right: r.right, width: r.width, shown: r.width > 0 && r.height > 0}; };
    const rows = Array.from(table.tBodies[0].rows).map(tr => {
        const cells = Array.from(tr.cells);
        const hidden = cells[1].innerText.trim() === 'te weinig respondenten';
        return {item: tr.dataset.item, hidden, verdict: box(cells[verdict]), text: cells[verdict].innerText.trim(),
                question: box(cells[0]), value: box(cells[1]), benchmark: box(cells[headers.findIndex(h => h.startsWith('Landelijk'))]),
                labels: cells.slice(1).map(c => [c.getAttribute('data-label'),
                                                  getComputedStyle(c, '::before').content])};
    });
    const scroller = table.closest('.job-table-scroll'), view = scroller.getBoundingClientRect();
    return {id: table.id, headers, verdict, rows, scrollWidth: scroller.scrollWidth, clientWidth: scroller.clientWidth,
            view: {left: Math.max(view.left, 0), right: Math.min(view.right, innerWidth)}};
})"""


def _open_at(browser, viewport, url):
    ctx = browser.new_context(viewport=viewport, locale="nl-NL")
    ctx.set_default_timeout(TIMEOUT_MS)
    page = ctx.new_page()
    open_page(page, url)
    return ctx, page


@pytest.mark.parametrize("page_type", CARD_PAGES)
def test_a_phone_shows_every_verdict_without_sideways_scrolling(page_type, paths, base_url, browser):
    """At 360 px each results row is a card: the table does not scroll, question, own result,
    benchmark and verdict are all inside the viewport, every figure behind its column header. At
    1280 px they are in view without scrolling the table (the columns after them may scroll)."""
    url = f"{base_url}/{need(paths, page_type)}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for viewport in (PHONE, DESKTOP):
        width = viewport["width"]
        ctx, page = _open_at(browser, viewport, url)
        try:
            tables = page.evaluate(TABLE_LAYOUT_JS)
            assert tables, f"{page_type}: no results tables"
            problems = []
            verdicts = 0
            for table in tables:
                where = f"{width}px #{table['id']}"
                if table["verdict"] < 0:
                    problems.append(f"{where}: no column 'Oordeel' in {table['headers']}")
                    continue
                if width == PHONE["width"] and table["scrollWidth"] > table["clientWidth"] + 1:
                    problems.append(f"{where}: the table scrolls ({table['scrollWidth']} > {table['clientWidth']} px)")
                for row in table["rows"]:
                    if row["hidden"]:
                        # A hidden row: no label anywhere (a header may hold digits), no generated text.
                        if any(label is not None or content not in ("none", "normal") for label, content in row["labels"]):
                            problems.append(f"{where} {row['item']}: a hidden row carries labels {row['labels']}")
                        continue
                    verdicts += 1
                    for what in ("question", "value", "benchmark", "verdict"):
                        cell = row[what]
                        view = table["view"]
                        if not cell["shown"] or cell["left"] < view["left"] - 1 or cell["right"] > view["right"] + 1:
                            problems.append(f"{where} {row['item']}: {what} cell {cell} outside the view {view}")
                    if width == PHONE["width"]:
                        # Each figure shows its own column header as its label.
                        for (label, content), header in zip(row["labels"], table["headers"][1:]):
                            if label != header or header not in content:
                                problems.append(f"{where} {row['item']}: label {label!r} / {content!r}, header {header!r}")
            assert verdicts > 0, f"{page_type}: no verdict cells found"
            assert problems == [], f"{page_type} at {width}px:\n" + "\n".join(problems[:20])
            # The first results table, its caption just below the sticky header.
            page.evaluate("""() => { const table = document.querySelector('table[data-unit]');
                window.scrollTo(0, table.getBoundingClientRect().top + scrollY - 60); }""")
            shot = SCREENSHOTS / f"{page_type}-tabel-{width}x{viewport['height']}.png"
            page.screenshot(path=shot, animations="disabled")
            assert shot.stat().st_size > 1000
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        finally:
            ctx.close()


# The jump menu: every link, its target, and whether the target is a section heading.
JUMP_MENU_JS = """() => {
    const menu = document.querySelector('nav.job-toc');
    if (!menu) return null;
    return {excluded: menu.closest('[data-search-exclude]') !== null,
            headings: Array.from(document.querySelectorAll('article h2[data-search-exclude][id^="thema-"]')).map(h => h.id),
            links: Array.from(menu.querySelectorAll('a')).map(a => {
                const id = decodeURIComponent(a.getAttribute('href').slice(1)), target = document.getElementById(id);
                return {id, text: a.innerText.trim(), tag: target ? target.tagName : null,
                        heading: target ? target.textContent.trim() : null};
            })};
}"""


@pytest.mark.parametrize("page_type", ("landelijk", "instelling", "instelling-domein", "domein"))
def test_jump_menu_links_to_every_theme_heading(page_type, paths, base_url, browser):
    ctx, page = _open_at(browser, PHONE, f"{base_url}/{need(paths, page_type)}")
    try:
        menu = page.evaluate(JUMP_MENU_JS)
        assert menu is not None, f"{page_type}: no jump menu (nav.job-toc)"
        assert menu["excluded"], "the jump menu is not kept out of the search index"
        links = menu["links"]
        assert len(links) > 1
        wrong = [link for link in links if link["tag"] != "H2" or link["heading"] != link["text"]]
        assert wrong == [], f"{page_type}: jump links that do not land on their heading: {wrong[:5]}"
        # One link for every theme section, in the page's order.
        assert [link["id"] for link in links] == menu["headings"]
        # Following a link puts its heading in view, below the sticky header.
        last = links[-1]
        page.locator(f"nav.job-toc a[href='#{last['id']}']").click()
        page.wait_for_url(re.compile(rf"#{re.escape(last['id'])}$"))
        page.wait_for_function("""id => { const r = document.getElementById(id).getBoundingClientRect();
            const header = document.querySelector('.md-header').getBoundingClientRect();
            return r.top >= header.bottom - 1 && r.bottom <= innerHeight; }""", arg=last["id"])
    finally:
        ctx.close()


def test_jump_menu_stays_out_of_the_search_index(demo, paths):
    import json

    index = json.loads((demo.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    location = paths["instelling"]
    docs = [d for d in index["docs"] if d["location"].split("#")[0] == location]
    assert docs, f"{location} is not in the search index"
    assert not any("Naar thema" in d["text"] or "Naar thema" in d["title"] for d in docs)


@pytest.mark.parametrize("page_type", CARD_PAGES + ("landelijk", "verantwoording"))
def test_axe_finds_no_violations_on_a_phone(page_type, paths, base_url, browser):
    from axe_playwright_python.sync_playwright import Axe

    url = f"{base_url}/{need(paths, page_type)}"
    ctx, page = _open_at(browser, PHONE, url)
    try:
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                          "resultTypes": ["violations"]})
        violations = result.response["violations"]
        assert not violations, f"axe-core at 360px on {page_type} page {url}:\n{describe_violations(violations)}"
    finally:
        ctx.close()


SCROLL_CUE_JS = """() => Array.from(document.querySelectorAll('.job-table-scroll'))
    .filter(box => box.scrollWidth > box.clientWidth + 1)
    .map(box => { const s = getComputedStyle(box);
        return {id: box.querySelector('table').id, shadows: (s.backgroundImage.match(/radial-gradient/g) || []).length,
                attachment: s.backgroundAttachment}; })"""


def test_a_table_that_still_scrolls_shows_a_shadow_at_its_edge(paths, base_url, browser):
    """The verantwoording's configuration table is wider than a phone: its box scrolls and shows
    a shadow at the edge it scrolls to (covers that scroll with the table hide it at the ends)."""
    ctx, page = _open_at(browser, PHONE, f"{base_url}/{paths['verantwoording']}")
    try:
        scrolling = page.evaluate(SCROLL_CUE_JS)
        assert scrolling, "no table scrolls at 360px on the verantwoording"
        for box in scrolling:
            assert box["shadows"] == 2 and box["attachment"] == "local, local, scroll, scroll", box
    finally:
        ctx.close()


# --------------------------------------------------------------------------- keyboard

FOCUS_JS = """() => {
    const e = document.activeElement, s = getComputedStyle(e), box = e.getBoundingClientRect();
    const search = document.querySelector('[data-md-toggle="search"]');
    return {tag: e.tagName.toLowerCase(), cls: e.className || '', href: e.getAttribute('href'),
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
            shadow: s.boxShadow !== 'none', searchOpen: !!(search && search.checked),
            visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight};
}"""


SEARCH_OPEN_JS = """() => { const toggle = document.querySelector('[data-md-toggle="search"]');
    return !!(toggle && toggle.checked); }"""


def test_keyboard_reaches_skip_link_and_search_with_visible_focus(base_url, page):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    open_page(page, f"{base_url}/")
    stops = []
    for _ in range(8):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_JS)
        if stop["tag"] == "input" and "md-search__input" in stop["cls"]:
            # Focusing the search box opens the search panel (the theme's focus indicator for
            # it); the theme's script does that just after the focus event.
            try:
                page.wait_for_function(SEARCH_OPEN_JS, timeout=3000)
            except PlaywrightTimeout:
                pass
            stops.append(page.evaluate(FOCUS_JS))
            break
        stops.append(stop)
    first = stops[0]
    assert first["tag"] == "a" and (first["href"] or "").startswith("#"), f"first Tab stop is not a skip link: {first}"
    target = first["href"][1:]
    assert page.locator(f"[id='{target}']").count() == 1, f"the skip link points to a missing #{target}"
    assert stops[-1]["tag"] == "input" and "md-search__input" in stops[-1]["cls"], \
        f"the search box is not reached within {len(stops)} Tab presses: {stops}"
    for stop in stops:
        shows_focus = stop["outline"] or stop["shadow"] or ("md-search__input" in stop["cls"] and stop["searchOpen"])
        assert stop["visible"] and shows_focus, f"focus not visible on {stop}"


# --------------------------------------------------------------------------- answer distributions


DISTRIBUTIONS_JS = """key => Array.from(document.querySelectorAll('table[data-unit]:not(.job-trend-table)'))
    .filter(table => table.dataset.unit === key)
    .flatMap(table => Array.from(table.querySelectorAll('tr[data-item]')))
    .filter(tr => tr.querySelector('.jd'))
    .map(tr => [tr.dataset.item,
                Array.from(tr.querySelectorAll('.jt .dn')).map(n => n.innerText.replace(/\\D/g, '')),
                (tr.querySelector('.dx') || {innerText: ''}).innerText.replace(/\\D/g, ''),
                tr.querySelector('.jb').getBoundingClientRect().width])"""


def test_the_distribution_bars_show_the_downloads_numbers(demo, paths, base_url, browser):
    """The download, read straight from the site with `pandas.read_csv(url)` and joined with
    the questionnaire file by item_id, holds the numbers every bar on an institution page shows."""
    import pandas as pd

    results = pd.read_csv(f"{base_url}/downloads/resultaten.csv")
    questions = pd.read_csv(f"{base_url}/downloads/vragenlijst.csv")
    joined = results.merge(questions.drop(columns="bron"), on=["edition", "item_id"], how="left", suffixes=("", "_vraag"))
    assert joined["text"].notna().all() and (results.columns[0], results.columns[-1]) == ("edition", "bron")
    institution_id, _ = cell_with_suppressed_row(demo)
    ctx, page = _open_at(browser, {"width": 360, "height": 740}, base_url + "/" + paths["instelling"])
    shown = page.evaluate(DISTRIBUTIONS_JS, unit_key("institution", str(institution_id), None))
    ctx.close()
    unit = joined[(joined["edition"] == demo.results["edition"].max()) & (joined["level"] == "institution")
                  & (joined["institution_id"] == institution_id)].set_index("item_id")
    assert len(shown) >= 20
    for item, numbers, apart, width in shown:
        row = unit.loc[item]
        codes = (1, 2, 3, 4, 5) if row["scale"] == "scale5" else (1, 0)
        expected = [str(int(round(row[f"pct_answer_{c}"]))) for c in codes]
        assert numbers == expected, (item, numbers, expected)
        if apart:
            assert apart == str(int(round(row["pct_answer_9"])))
        assert width > 250, f"{item}: the bar is {width}px wide on a 360px phone"
