"""Page specs → docs folder → mkdocs-material build, in a work folder of its own.

One render loop writes every generated page (`render.write_pages`), mkdocs-material turns the
docs into HTML, and the finished site stays in the work folder: only `publish` stages builds
and swaps a finished site into place.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from jobmonitor.results import SiteInputs
from jobmonitor.site.context import SiteContext, site_context
from jobmonitor.site.guides import build_guide_specs
from jobmonitor.site.manifest import manifest_page
from jobmonitor.site.compare import compare_pages
from jobmonitor.site.pages import build_page_specs, page_figures, render_figures
from jobmonitor.site.render import write_pages
from jobmonitor.site.specs import Page
from jobmonitor.site.wording import CONTENT_DIR, TEMPLATES_DIR, fill, load_wording, notice, site_name

# Sections only: every unit page is linked from an index page, never listed in nav (O(pages²)).
NAV_SECTIONS = (
    ("home", "index.md"),
    ("landelijk", "landelijk.md"),
    ("instellingen", "instellingen/index.md"),
    ("domeinen", "domeinen/index.md"),
    ("themas", "themas/index.md"),
    ("vergelijk", "vergelijk.md"),
    ("aan_de_slag", "aan-de-slag/index.md"),
    ("verantwoording", "verantwoording.md"),
    ("downloads", "downloads.md"),
    ("privacy", "privacy.md"),
    ("over_deze_cijfers", "over-deze-cijfers.md"),
    ("colofon", "colofon.md"),
)
# Pages deliberately left out of nav; listed so mkdocs does not report each of them.
NOT_IN_NAV = "/instellingen/\n/domeinen/\n/themas/\n/aan-de-slag/\n"
THEME_FEATURES = ["navigation.sections", "navigation.top", "search.highlight"]

# Content-Security-Policy of every page: nothing from another host, no inline script but the
# theme's own few, allowed by hash (SCRIPT_HASHES is replaced per page, see CspHashes). Styles
# may be inline: material sets some, and the charts' SVG carries presentation attributes.
SCRIPT_HASHES = "'job-inline-script-hashes'"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       f"script-src 'self' {SCRIPT_HASHES}; object-src 'none'; base-uri 'self'; form-action 'self'")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>(.*?)</script>", re.S)
# Finished HTML the page templates mark for passthrough (results tables, legends).
TABLE_BLOCK = re.compile(r'^<div class="job-block" data-search-exclude>$.*?^</div>$', re.S | re.M)
TABLE_PLACEHOLDER = re.compile(r"<!--job-table-(\d+)-->")


class TablePassthrough:
    """mkdocs plugin: results tables skip python-markdown and search, and return in the page.

    Python-markdown and mkdocs each run a pure-Python HTML parser over every raw HTML block,
    and the search plugin parses every page again: on table-heavy pages that is most of the
    build time. These tables are finished HTML (links already relative to the page's URL) and
    excluded from search anyway, so they are parked before markdown and put back into the
    finished page.
    """

    def __init__(self, park_dir: Path):
        # mkdocs converts every page before it writes any: the tables of a national site
        # (~300 MB) wait on disk, one file per page, not in memory.
        self.park_dir = Path(park_dir)
        self.park_dir.mkdir(parents=True, exist_ok=True)
        self.parked: dict[str, Path] = {}

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        stash: list[str] = []

        def park(match: re.Match) -> str:
            stash.append(match.group(0))
            return f"<!--job-table-{len(stash) - 1}-->"

        parked = TABLE_BLOCK.sub(park, markdown)
        path = self.park_dir / f"{len(self.parked)}.json"
        path.write_text(json.dumps(stash), encoding="utf-8")
        self.parked[page.file.src_uri] = path
        return parked

    def on_post_page(self, output: str, *, page, config) -> str:
        path = self.parked.pop(page.file.src_uri, None)
        stash = json.loads(path.read_text(encoding="utf-8")) if path else []
        restored = TABLE_PLACEHOLDER.sub(lambda match: stash[int(match.group(1))], output)
        if TABLE_PLACEHOLDER.search(restored) or len(stash) != output.count("<!--job-table-"):
            raise RuntimeError(f"results tables of {page.file.src_uri} were not all restored")
        return restored


class CspHashes:
    """mkdocs plugin: put the SHA-256 of every inline script of a page into its policy.

    The hashes are taken from the finished page, so a change in mkdocs-material's inline
    scripts (some hold the page's relative base URL) can never break its own pages.
    """

    def on_post_page(self, output: str, *, page, config) -> str:
        return self.fill(output, page.file.src_uri)

    def on_post_template(self, output: str, *, template_name: str, config) -> str:
        return self.fill(output, template_name) if template_name.endswith(".html") else output

    @staticmethod
    def fill(output: str, name: str) -> str:
        if SCRIPT_HASHES not in output:
            if "Content-Security-Policy" in output:
                raise RuntimeError(f"the Content-Security-Policy of {name} has no place for script hashes")
            return output
        hashes = sorted({script_hash(script) for script in INLINE_SCRIPT.findall(output)})
        return output.replace(SCRIPT_HASHES, " ".join(hashes), 1)


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def mkdocs_config(inputs: SiteInputs, docs_dir: Path, *, preview: bool) -> dict:
    """The mkdocs.yml as data: material, Dutch, no web fonts, nav with sections only."""
    wording = load_wording()
    config = inputs.config
    name = site_name(config, wording) + (wording["preview_suffix"] if preview else "")
    nav = [{wording["nav"][key]: path} for key, path in NAV_SECTIONS if (docs_dir / path).is_file()]
    return {
        "site_name": name,
        "site_url": config.base_url,
        "site_description": fill(wording["site_description"], edition=config.edition),
        # A preview must not invite copying what the banner says is not public.
        "copyright": fill(wording["copyright_preview"], edition=config.edition) if preview else notice(config.edition, wording),
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": True,
        "strict": False,
        "theme": {
            "name": "material",
            "language": "nl",
            "font": False,
            "custom_dir": "overrides",
            "features": THEME_FEATURES,
        },
        "plugins": [{"search": {"lang": "nl"}}],
        "markdown_extensions": ["toc", "tables", "attr_list"],
        "extra_css": ["stylesheets/extra.css", "stylesheets/summary.css", "stylesheets/print.css", "stylesheets/charts.css",
                      "stylesheets/vergelijk.css"],
        "extra": {"preview": preview, "generator": False, "csp": CSP,
                  "preview_banner": preview_banner(config, wording) if preview else ""},
        "nav": nav,
        "not_in_nav": NOT_IN_NAV,
    }


def preview_banner(config, w: dict) -> str:
    """The banner of a preview: not public, and from when the figures may be published."""
    moment = config.embargo
    when = fill(w["embargo_moment"], day=moment.day, month=w["months"][moment.month - 1], year=moment.year,
                time=moment.strftime("%H:%M"))
    return fill(w["preview_banner"], embargo=when)


def robots_page(config, *, preview: bool) -> Page:
    """Preview sites keep search engines out; release sites point them at the sitemap."""
    sitemap_url = config.base_url.rstrip("/") + "/sitemap.xml"
    return Page("robots.txt", "robots.txt.j2", "", data={"preview": preview, "sitemap_url": sitemap_url})


def site_specs(inputs: SiteInputs, ctx: SiteContext, *, preview: bool) -> list[Page]:
    """Every generated file of the site as a spec: results pages, guides and cards, the
    manifest page (when the build has a manifest) and robots.txt."""
    specs = build_page_specs(ctx) + build_guide_specs(ctx) + compare_pages(ctx)
    if inputs.summary.manifest is not None:
        specs.append(manifest_page(inputs.summary.manifest, ctx.w))
    specs.append(robots_page(inputs.config, preview=preview))
    # The downloads page last: it lists the files' sizes, which may still be being written.
    return sorted(specs, key=lambda page: page.path == "downloads.md")


def write_docs(inputs: SiteInputs, docs: Path, *, preview: bool) -> list[Path]:
    """The docs folder: every spec rendered in one loop, the hand-written pages beside them."""
    ctx = site_context(inputs)
    specs = site_specs(inputs, ctx, preview=preview)
    common = {
        "w": ctx.w,
        "k": ctx.k,
        "config": inputs.config,
        "confidence": ctx.confidence,
        "charts": render_figures(page_figures(specs)),
        "has_manifest_page": inputs.summary.manifest is not None,
        "preview": preview,
    }
    return write_pages(specs, common, docs, parallel=True)


def prepare_project(inputs: SiteInputs, work: Path, *, preview: bool) -> int:
    """Docs, theme overrides and mkdocs.yml in `work`; returns the number of markdown pages."""
    docs = work / "docs"
    written = write_docs(inputs, docs, preview=preview)
    shutil.copytree(TEMPLATES_DIR / "overrides", work / "overrides")
    if not (docs / "stylesheets" / "extra.css").is_file():
        raise FileNotFoundError(f"`{CONTENT_DIR / 'stylesheets' / 'extra.css'}` is missing")
    config = mkdocs_config(inputs, docs, preview=preview)
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return sum(1 for path in written if path.suffix == ".md")


@contextmanager
def build_environment(epoch: int) -> Iterator[list[str]]:
    """Quiet, reproducible mkdocs: warnings only (collected), and a fixed build date."""
    logger = logging.getLogger("mkdocs")
    old_level, old_epoch = logger.level, os.environ.get("SOURCE_DATE_EPOCH")
    warnings: list[str] = []
    handler = _ListHandler(warnings)
    logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    if old_epoch is None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield warnings
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record.getMessage())


def run_mkdocs(config_file: Path) -> None:
    """mkdocs' own `build` command, programmatically, with plugin start-up and shut-down."""
    from mkdocs.commands.build import build  # noqa: PLC0415 (heavy import, only when building)
    from mkdocs.config import load_config  # noqa: PLC0415

    config = load_config(config_file=str(config_file))
    config.plugins["job-table-passthrough"] = TablePassthrough(Path(config_file).parent / "parked-tables")
    config.plugins["job-csp-hashes"] = CspHashes()  # after the passthrough: hashes the finished page
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def build_site(inputs: SiteInputs, work: Path, *, preview: bool) -> dict:
    """Build the whole site into `work/site` (docs and mkdocs.yml beside it). `work` must be a
    new, empty folder; staging and swapping the finished site into place is `publish`'s."""
    started = time.perf_counter()
    work = Path(work)
    work.mkdir(parents=True, exist_ok=False)
    pages = prepare_project(inputs, work, preview=preview)
    with build_environment(int(inputs.config.embargo.timestamp())) as warnings:
        run_mkdocs(work / "mkdocs.yml")
    seconds = round(time.perf_counter() - started, 2)
    return {"site": work / "site", "pages": pages, "seconds": seconds, "preview": preview, "warnings": warnings}
