"""The one render path: page specs → text through one jinja2 environment, in one loop.

Every generated file of the site (results pages, guides, action cards, the manifest page,
robots.txt) is a `Page` spec whose links were decided when it was built; rendering adds words
and nothing edits a page after it is rendered. Links are written relative to the page itself.
"""

from __future__ import annotations

import posixpath
import shutil
from functools import lru_cache, partial
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from jobmonitor.background import in_background
from jobmonitor.site.formatting import markdown_text, soft_hyphens
from jobmonitor.site.specs import Page
from jobmonitor.site.wording import CONTENT_DIR, TEMPLATES_DIR, fill


def page_url(path: str) -> str:
    """The URL folder mkdocs (use_directory_urls) gives a markdown page."""
    if path == "index.md":
        return ""
    if path.endswith("/index.md"):
        return path[: -len("index.md")]
    return path[: -len(".md")] + "/"


def relative_md(from_path: str, to_path: str) -> str:
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def relative_url(from_path: str, to_path: str) -> str:
    """Link for raw HTML, where mkdocs does not rewrite .md links; other files link as is."""
    if not to_path.endswith(".md"):
        return posixpath.relpath(to_path, page_url(from_path) or ".")
    rel = posixpath.relpath(page_url(to_path) or ".", page_url(from_path) or ".")
    return "./" if rel == "." else rel + "/"


def identifier_breaks(name: str) -> Markup:
    """A setting name such as thresholds.min_difference_pct may wrap after '.' and '_' only."""
    return Markup(str(escape(name)).replace(".", ".<wbr>").replace("_", "_<wbr>"))


@lru_cache(maxsize=1)
def template_environment() -> jinja2.Environment:
    """The site's only environment. Autoescape everything: item texts may hold '<', '&' or
    '|' and must not break a table."""
    from jobmonitor.site.charts import STROKES  # noqa: PLC0415 (charts import this module's helpers)
    from jobmonitor.site.verantwoording import format_setting  # noqa: PLC0415

    loader = jinja2.FileSystemLoader(TEMPLATES_DIR)
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = markdown_text
    env.filters["hyphenate"] = soft_hyphens
    env.filters["identifier"] = identifier_breaks
    env.filters["setting"] = format_setting
    env.globals["fill"] = fill  # the one way to fill {placeholders}, in code and templates alike
    env.globals["td"] = Markup("</td><td>")  # joins a row's cells; each cell is still escaped
    env.globals["empty_cells"] = [Markup("<td></td>" * k) for k in range(32)]
    env.globals["chart_colors"] = STROKES  # the legend draws the charts' own shapes
    return env


def render_page(page: Page, common: dict) -> str:
    """Render one spec; links are computed relative to the page itself."""
    template = template_environment().get_template(page.template)
    links = {"md_link": partial(relative_md, page.path), "url": partial(relative_url, page.path)}
    return template.render(page=page, **links, **common)


def write_pages(pages: list[Page], common: dict, docs_dir: Path, *, parallel: bool = False) -> list[Path]:
    """The render loop: every spec into docs_dir, then the hand-written pages beside them.
    `parallel`: every other page is rendered by a forked worker (a national site has ~1,200
    pages); the last page stays here, after the worker is done (the downloads page waits on
    this process's background work)."""
    docs_dir = Path(docs_dir)
    paths = [page.path for page in pages]
    duplicates = sorted({p for p in paths if paths.count(p) > 1})
    if duplicates:
        raise ValueError(f"two page specs write the same file: {', '.join(duplicates)}")

    def write(page: Page) -> Path:
        target = docs_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_page(page, common), encoding="utf-8")
        return target

    body, last = pages[:-1], pages[-1:]
    if parallel and len(body) >= PARALLEL_FROM:
        other = in_background(lambda: [write(page) for page in body[1::2]])
        written = [write(page) for page in body[0::2]] + other.result()
    else:
        written = [write(page) for page in body]
    written += [write(page) for page in last]
    return written + copy_content(CONTENT_DIR, docs_dir, set(paths))


# Below this many pages a worker process costs more than it saves.
PARALLEL_FROM = 200


def copy_content(content_dir: Path, docs_dir: Path, generated: set[str]) -> list[Path]:
    """Hand-written pages; refusing to overwrite a generated page keeps both sources honest."""
    written = []
    for source in sorted(p for p in content_dir.rglob("*") if p.is_file()):
        relative = source.relative_to(content_dir).as_posix()
        if relative in generated:
            raise ValueError(f"content/{relative} would overwrite a generated page; rename it")
        target = docs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written
