"""Page weight of the built site, measured in headless Chromium with a cold, disabled cache.

    python bench/page_weight.py [--site DIR] [--budget-kb 150] [--no-lighthouse]

Builds the demo edition into a temporary folder (or takes an already built `--site DIR`),
serves it on 127.0.0.1 and loads an institution × domain page and the home page. Every response
the page causes until the network is idle counts, also those of the search web worker (the
search index). Per resource type it prints the bytes transferred by this local server (which
does not compress) and the gzip size of the same bodies (what a static host such as GitHub
Pages sends). The budget applies to the gzip size of the institution × domain page (what a
visitor transfers from GitHub Pages; issue 14: at most 150 KB a page); the
script exits 1 when that page is over it.

Then it tries Lighthouse through `npx` against the local Chromium (CHROME_PATH; npx fetches only
the npm package, never a browser) and prints its four category scores, or why it could not run.
On a preview build the SEO score is low by design: preview pages carry `noindex`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import (  # noqa: E402
    CHROMIUM,
    build_demo,
    cell_with_suppressed_row,
    launch_chromium,
    names,
    serve,
)
from jobmonitor.site.formatting import slugify  # noqa: E402

KB = 1000


def find_cell_page(site: Path, demo=None) -> str:
    """URL path of an institution × domain page: the one the browser tests use when the demo
    was built here, else the largest such page of the given site (the worst case)."""
    if demo is not None:
        institution_id, domain_id = cell_with_suppressed_row(demo)
        institution, domain = names(demo, institution_id, domain_id)
        return f"instellingen/{slugify(institution)}/{slugify(domain)}/"
    pages = sorted(site.glob("instellingen/*/*/index.html"), key=lambda p: p.stat().st_size, reverse=True)
    if not pages:
        raise SystemExit(f"{site} has no institution × domain page (instellingen/<slug>/<domein>/index.html)")
    return pages[0].parent.relative_to(site).as_posix() + "/"


def measure(browser, url: str) -> list[dict]:
    """Every response the page load causes (cold, cache disabled): type, URL, transferred and
    gzip bytes. Web-worker requests (the search index) are included."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # let the last worker fetch report
    rows = []
    for request in finished:
        response = request.response()
        if response is None:
            continue
        sizes = request.sizes()
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - a body the browser no longer holds: count headers only
            body = b""
        # The local server never compresses, so the body as received is what went over the wire;
        # Chromium reports no body size for a worker's script, hence the max().
        transferred = sizes["responseHeadersSize"] + max(sizes["responseBodySize"], len(body))
        rows.append({
            "type": request.resource_type,
            "path": urlsplit(request.url).path,
            "status": response.status,
            "transferred": transferred,
            "body": len(body),
            "gzip": len(gzip.compress(body, 9)) + sizes["responseHeadersSize"] if body else transferred,
        })
    context.close()
    return rows


def report(title: str, rows: list[dict], budget_kb: float) -> bool:
    by_type = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        entry = by_type[row["type"]]
        entry[0] += 1
        entry[1] += row["transferred"]
        entry[2] += row["gzip"]
    total = sum(row["transferred"] for row in rows)
    total_gzip = sum(row["gzip"] for row in rows)
    print(f"\n{title}")
    print(f"  {'resource type':<14} {'requests':>8} {'transferred':>12} {'gzip':>10}")
    for kind, (count, size, packed) in sorted(by_type.items(), key=lambda kv: -kv[1][1]):
        print(f"  {kind:<14} {count:>8} {size / KB:>9.1f} KB {packed / KB:>7.1f} KB")
    print(f"  {'total':<14} {len(rows):>8} {total / KB:>9.1f} KB {total_gzip / KB:>7.1f} KB")
    print("  largest responses:")
    for row in sorted(rows, key=lambda r: -r["transferred"])[:6]:
        print(f"    {row['transferred'] / KB:>8.1f} KB  {row['type']:<10} {row['path']}")
    search_index = [r for r in rows if r["path"].endswith("search_index.json")]
    if search_index:
        print(f"  search index fetched on load: yes ({search_index[0]['transferred'] / KB:.1f} KB, "
              "by mkdocs-material's search worker, on every page load)")
    else:
        print("  search index fetched on load: no")
    within = total_gzip <= budget_kb * KB
    verdict = "within" if within else "OVER"
    print(f"  budget {budget_kb:.0f} KB (transferred as GitHub Pages serves it, gzip): {verdict} "
          f"({total_gzip / KB:.1f} KB gzip; {total / KB:.1f} KB uncompressed)")
    return within


def lighthouse(url: str) -> None:
    """Lighthouse via npx with the local Chromium; prints the four scores or why it did not run."""
    npx = shutil.which("npx")
    if npx is None:
        print("\nLighthouse: not run (no npx on this machine)")
        return
    env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
    command = [npx, "--yes", "lighthouse", url, "--output=json", "--quiet",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
               "--only-categories=performance,accessibility,best-practices,seo"]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        print("\nLighthouse: not run (timed out after 300 s)")
        return
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()[-3:]
        print(f"\nLighthouse: failed (exit {done.returncode}): " + " / ".join(reason))
        return
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError:
        print("\nLighthouse: ran, but its output was not JSON")
        return
    print(f"\nLighthouse {result.get('lighthouseVersion', '?')} on {url} (local server, no compression):")
    for key, category in result["categories"].items():
        score = category.get("score")
        print(f"  {category['title']:<16} {'n/a' if score is None else round(score * 100)}")
    audits = result.get("audits", {})
    for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                "cumulative-layout-shift", "total-byte-weight"):
        if key in audits:
            print(f"  {audits[key]['title']:<26} {audits[key].get('displayValue', '')}")
    failing = [a["title"] for a in audits.values()
               if a.get("score") is not None and a.get("score") < 0.9 and a.get("scoreDisplayMode") == "binary"]
    if failing:
        print("  failing audits: " + "; ".join(failing[:12]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build the demo edition)")
    parser.add_argument("--budget-kb", type=float, default=150)
    parser.add_argument("--no-lighthouse", dest="lighthouse", action="store_false",
                        help="skip Lighthouse (otherwise tried via npx with the local Chromium)")
    args = parser.parse_args(argv)

    if not CHROMIUM.is_file():
        raise SystemExit(f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    work = None
    demo = None
    if args.site:
        site = args.site.resolve()
        if not (site / "index.html").is_file():
            raise SystemExit(f"{site} is not a built site (no index.html)")
    else:
        work = Path(tempfile.mkdtemp(prefix="page-weight-"))
        print(f"building the demo edition into {work / 'site'} …", flush=True)
        demo = build_demo(work)
        site = demo.site_dir
    try:
        cell = find_cell_page(site, demo)
        with serve(site) as base, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            cell_rows = measure(browser, f"{base}/{cell}")
            home_rows = measure(browser, f"{base}/")
            browser.close()
            cell_ok = report(f"institution × domain page /{cell}", cell_rows, args.budget_kb)
            report("home page /", home_rows, args.budget_kb)
            if args.lighthouse:
                lighthouse(f"{base}/{cell}")
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if cell_ok else 1


if __name__ == "__main__":
    sys.exit(main())
