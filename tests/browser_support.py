"""Helpers for driving the built demo site in real headless Chromium (tests and bench).

- `shared_demo_build`: build the shipped demo edition once per test session, shared by the
  pytest-xdist workers through a file lock, together with the results table computed by
  `jobmonitor.compute.pipeline.compute`.
- `serve`: a small threaded static file server on 127.0.0.1 (free port picked by the OS).
- `launch_chromium`: Debian's Chromium (never a downloaded Playwright browser).
- `page_types`: one URL path for every page type of the site.
- `format_value` / `format_count`: Dutch notation, written here independently of the site's
  own formatter, so a wrong figure on a page cannot hide behind the same bug in both.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pandas as pd

from jobmonitor.site.scan import unit_key  # noqa: F401 - the `data-unit` contract, re-exported for the tests
from jobmonitor.site.formatting import slugify  # the URL contract: instellingen/<slug>/<domein-slug>/

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = (
    f"Chromium is not installed at {CHROMIUM}. The browser tests drive Debian's Chromium "
    "(Playwright cannot download its own browser here): run `apt-get install -y chromium` "
    "(part of the README's test command)."
)
SUPPRESSED = ("suppressed_primary", "suppressed_secondary")


# --------------------------------------------------------------------------- Dutch notation


def format_value(value: float, measure: str) -> str:
    """'62,4 %' for a percentage, '6,7' for a mean: one decimal, decimal comma."""
    text = f"{value:.1f}".replace(".", ",")
    return text + " %" if measure.startswith("pct") else text


def format_count(n: int) -> str:
    """'1.234' : a count with Dutch thousands separators."""
    return f"{int(n):,}".replace(",", ".")


# --------------------------------------------------------------------------- building


@dataclass(frozen=True)
class DemoSite:
    site_dir: Path
    edition: int
    results: pd.DataFrame  # all rows of the current edition, from pipeline.compute (incl. hidden values)
    institutions: pd.DataFrame  # institution_id, name
    domains: pd.DataFrame  # domain_id, name
    themes: list[dict]  # id, name
    all_results: pd.DataFrame | None = None  # every edition's rows, incl. hidden values (the release scan's input)


def build_demo(work_dir: Path) -> DemoSite:
    """Build the shipped demo edition into work_dir/site and keep what the tests compare against."""
    from jobmonitor.config import load_config
    from jobmonitor.compute.pipeline import compute
    from jobmonitor.publish import build

    work_dir.mkdir(parents=True, exist_ok=True)
    config = load_config(ROOT / "site_config.yml", out_dir=work_dir / "site")
    report = build(config)
    computed = compute(config)
    results = computed.results[computed.results["edition"] == config.edition].reset_index(drop=True)
    edition = computed.current.edition
    results.to_pickle(work_dir / "results.pkl")
    computed.results.to_pickle(work_dir / "all_results.pkl")
    edition.institutions[["institution_id", "name"]].to_pickle(work_dir / "institutions.pkl")
    edition.domains[["domain_id", "name"]].to_pickle(work_dir / "domains.pkl")
    themes = [{"id": t.id, "name": t.name} for t in edition.questionnaire.themes]
    (work_dir / "meta.json").write_text(json.dumps({"edition": config.edition, "themes": themes}))
    (work_dir / "done").write_text("ok")
    return load_demo(work_dir, Path(report.out_dir))


def load_demo(work_dir: Path, site_dir: Path | None = None) -> DemoSite:
    meta = json.loads((work_dir / "meta.json").read_text())
    return DemoSite(
        site_dir=site_dir or work_dir / "site",
        edition=meta["edition"],
        results=pd.read_pickle(work_dir / "results.pkl"),
        institutions=pd.read_pickle(work_dir / "institutions.pkl"),
        domains=pd.read_pickle(work_dir / "domains.pkl"),
        themes=meta["themes"],
        all_results=pd.read_pickle(work_dir / "all_results.pkl"),
    )


def shared_demo_build(tmp_path_factory) -> DemoSite:
    """Build once per test session, also under pytest-xdist: the first worker that takes the
    lock builds into the session's shared temporary root, the others wait and reuse it."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    work_dir = shared / "browser-demo"
    lock_path = shared / "browser-demo.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if (work_dir / "done").is_file():
                return load_demo(work_dir)
            if work_dir.exists():  # a previous attempt failed half-way: start clean
                shutil.rmtree(work_dir)
            return build_demo(work_dir)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- serving


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that closes a connection early (navigation, closed page) is not an error.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path, handler_class=None) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at a free port in a background thread; yields the base URL
    ('http://127.0.0.1:PORT'). `handler_class`: another request handler (e.g. one that gzips)."""
    handler = functools.partial(handler_class or _QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- browser


def launch_chromium(playwright):
    """Debian's headless Chromium; raises RuntimeError with a clear message if it is missing."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        raise RuntimeError(MISSING_CHROMIUM)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


# --------------------------------------------------------------------------- page types


def cell_with_suppressed_row(demo: DemoSite) -> tuple[str, str]:
    """(institution_id, domain_id) of an institution × domain with both shown and suppressed rows:
    the one with the most shown rows, so the page has many figures to check."""
    r = demo.results[demo.results["level"] == "institution_domain"]
    hidden = r["status"].isin(SUPPRESSED)
    per_cell = r.assign(hidden=hidden, shown=~hidden).groupby(["institution_id", "domain_id"])[["hidden", "shown"]].sum()
    candidates = per_cell[(per_cell["hidden"] > 0) & (per_cell["shown"] > 0)]
    if candidates.empty:
        raise AssertionError("the demo edition has no institution × domain page with a suppressed row")
    best = candidates.sort_values(["shown", "hidden"], ascending=[False, False], kind="stable").index[0]
    return best


def names(demo: DemoSite, institution_id: str, domain_id: str) -> tuple[str, str]:
    inst = demo.institutions.set_index("institution_id")["name"][institution_id]
    dom = demo.domains.set_index("domain_id")["name"][domain_id]
    return inst, dom


def page_types(demo: DemoSite) -> dict[str, str]:
    """One URL path (relative to the site root) for every page type; 'aan-de-slag' only if built."""
    institution_id, domain_id = cell_with_suppressed_row(demo)
    inst, dom = names(demo, institution_id, domain_id)
    theme = demo.themes[0]["name"]
    paths = {
        "home": "",
        "landelijk": "landelijk/",
        "instellingen": "instellingen/",
        "instelling": f"instellingen/{slugify(inst)}/",
        "instelling-domein": f"instellingen/{slugify(inst)}/{slugify(dom)}/",
        "domeinen": "domeinen/",
        "domein": f"domeinen/{slugify(dom)}/",
        "themas": "themas/",
        "thema": f"themas/{slugify(theme)}/",
        "verantwoording": "verantwoording/",
        "downloads": "downloads/",
        "privacy": "privacy/",
        "colofon": "colofon/",
        "vergelijk": "vergelijk/",
    }
    if (demo.site_dir / "aan-de-slag" / "index.html").is_file():
        paths["aan-de-slag"] = "aan-de-slag/"
    for name, path in paths.items():
        assert (demo.site_dir / path / "index.html").is_file(), f"page type {name}: {path}index.html was not built"
    return paths


ALL_PAGE_TYPES = (
    "home", "landelijk", "instellingen", "instelling", "instelling-domein", "domeinen", "domein",
    "themas", "thema", "verantwoording", "downloads", "privacy", "colofon", "aan-de-slag", "vergelijk",
)
