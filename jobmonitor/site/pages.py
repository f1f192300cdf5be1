"""Published results table → page specs → markdown pages for the mkdocs docs folder.

Building (results → plain specs holding formatted Dutch strings, `jobmonitor.site.specs`) is kept
apart from rendering (specs → jinja2 templates in `templates/`). Every word a visitor reads lives
in the templates or in `templates/wording.yml`; this module only picks rows, computes links and
attaches the charts (`jobmonitor.site.charts`). Number formatting lives in `jobmonitor.site.formatting`,
the verantwoording page in `jobmonitor.site.verantwoording`; their names stay importable from here.
"""

from __future__ import annotations

import posixpath
import shutil
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from operator import attrgetter
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup, escape

from jobmonitor.site import charts
from jobmonitor.codebook import SCALE_LABEL_NL, Item, Questionnaire, Theme
from jobmonitor.site.formatting import (  # noqa: F401 (re-exported: guides, publish and tests import them from here)
    PCT_MEASURES,
    Cells,
    fill,
    format_count,
    format_difference,
    format_interval,
    format_number,
    format_results,
    format_value,
    id_or_none,
    markdown_text,
    slugify,
    soft_hyphens,
    sort_key,
    text_or_empty,
)
from jobmonitor.results import SUPPRESSED, SiteInputs
from jobmonitor.site.specs import Link, Page, Row, Section, Table, Unit
from jobmonitor.site.verantwoording import format_setting, verantwoording_page
from jobmonitor.site.wording import CONTENT_DIR, REPO_DIR, TEMPLATES_DIR, load_wording, site_name  # noqa: F401

NATIONAL_COLUMNS = ("value", "interval", "n", "previous", "change")
UNIT_COLUMNS = ("value", "interval", "n", "benchmark", "difference", "marker", "previous", "change")
PEER_COLUMNS = ("value", "interval", "marker")
THEME_COLUMNS = ("scale", "n", "value", "interval")
# Unit pages list their themes in the text; the right-hand table of contents only narrows tables.
UNIT_PAGE_HIDE = ("toc",)


def theme_slug(theme: Theme) -> str:
    return slugify(theme.name)


def result_row(cells: Cells, label: str, item: Item | None, pick, w: dict, target: str | None = None,
               item_id: str = "") -> Row:
    """One table row; a suppressed record yields a row that carries nothing but its label."""
    if cells.status in SUPPRESSED:
        return Row(label, True, target=target, item=item_id)
    if item is not None and (not item.comparable or item.previous_id is None):
        cells = cells._replace(previous=w["not_comparable"], change=w["missing"])
    return Row(label, False, cells.status == "indicative", pick(cells), target, item_id)


def _columns(keys: tuple[str, ...], headers: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((key, headers[key]) for key in keys)


def column_headers(inputs: SiteInputs, benchmark: str = "benchmark_national") -> dict[str, str]:
    """Column headers from the wording, with this edition's confidence level and previous year."""
    w = load_wording()
    headers = dict(w["columns"])
    confidence = format_number(100 * (1 - inputs.config.thresholds.alpha), 0)
    headers["interval"] = headers["interval"].replace("{confidence}", confidence)
    headers["benchmark"] = headers[benchmark]
    if inputs.config.previous_edition is not None:
        headers["previous"] = f"{headers['previous']} ({inputs.config.previous_edition})"
    return headers


def theme_tables(records: dict, questionnaire: Questionnaire, columns, caption: str, w: dict,
                 unit: str) -> list[Section]:
    """Per theme: the theme score first, then its items in questionnaire order."""
    pick = attrgetter(*(key for key, _ in columns))  # tables have at least two columns
    sections = []
    for theme in questionnaire.themes:
        rows = []
        if theme.id in records:
            rows.append(result_row(records[theme.id], w["theme_score"], None, pick, w, item_id=theme.id))
        for item in questionnaire.items_of(theme.id):
            if item.id in records:
                rows.append(result_row(records[item.id], item.text, item, pick, w, item_id=item.id))
        if rows:
            caption_text = fill(caption, theme=theme.name)
            table = Table(caption_text, w["columns"]["question"], columns, tuple(rows), unit=unit,
                          id=theme_table_id(theme.id))
            sections.append(Section(theme.name, table, f"themas/{theme_slug(theme)}.md"))
    return sections


def index_records(results: pd.DataFrame, w: dict) -> dict[tuple, dict[str, Cells]]:
    """(level, institution_id, domain_id) → item_id → display strings, in one pass."""
    keys = zip(*(results[c].astype("string").tolist() for c in ("level", "institution_id", "domain_id", "item_id")))
    index: dict[tuple, dict[str, Cells]] = {}
    for (level, inst, dom, item), cells in zip(keys, format_results(results, w)):
        index.setdefault((level, id_or_none(inst), id_or_none(dom)), {})[item] = cells
    return index


def _units(frame: pd.DataFrame, id_column: str, present: set[str], names: dict[str, str]) -> list[Unit]:
    """Units that have results, alphabetical, with unique slugs."""
    lookup = {str(r[id_column]): r for r in frame.to_dict("records")} if len(frame) else {}
    units, used = [], set()
    for unit_id in sorted(present):
        row = lookup.get(unit_id, {})
        name = text_or_empty(row.get("name")) or names.get(unit_id, unit_id)
        slug = text_or_empty(row.get("slug")) or slugify(name)
        while slug in used:
            slug += "-" + slugify(unit_id)
        used.add(slug)
        units.append(Unit(unit_id, name, slug, text_or_empty(row.get("place"))))
    return sorted(units, key=lambda u: (sort_key(u.name), u.id))


def units_of(inputs: SiteInputs, index: dict) -> tuple[list[Unit], list[Unit]]:
    """Institutions and domains that appear in the results."""
    res = inputs.results
    inst_names = {id_or_none(i): text_or_empty(n) for i, n in zip(res["institution_id"], res["institution"]) if id_or_none(i)}
    dom_names = {id_or_none(i): text_or_empty(n) for i, n in zip(res["domain_id"], res["domain"]) if id_or_none(i)}
    inst_ids = {key[1] for key in index if key[1] is not None}
    dom_ids = {key[2] for key in index if key[2] is not None}
    return (
        _units(inputs.institutions, "institution_id", inst_ids, inst_names),
        _units(inputs.domains, "domain_id", dom_ids, dom_names),
    )


def institution_path(inst: Unit) -> str:
    return f"instellingen/{inst.slug}/index.md"


def institution_domain_path(inst: Unit, dom: Unit) -> str:
    return f"instellingen/{inst.slug}/{dom.slug}.md"


def domain_path(dom: Unit) -> str:
    return f"domeinen/{dom.slug}.md"


@dataclass(frozen=True)
class _Context:
    inputs: SiteInputs
    index: dict  # display strings per unit and item
    institutions: list[Unit]
    domains: list[Unit]
    w: dict
    numbers: dict  # figures per unit and item, for the charts (published rows only)

    def records(self, level: str, inst: Unit | None = None, dom: Unit | None = None) -> dict:
        return self.index.get((level, inst.id if inst else None, dom.id if dom else None), {})

    def points(self, level: str, inst: Unit | None = None, dom: Unit | None = None) -> dict:
        return self.numbers.get((level, inst.id if inst else None, dom.id if dom else None), {})

    @staticmethod
    def unit_key(level: str, inst: Unit | None = None, dom: Unit | None = None) -> str:
        return f"{level}|{inst.id if inst else ''}|{dom.id if dom else ''}"


def chart_labels(ctx: _Context, headers: dict[str, str], own: str) -> dict[str, str]:
    """Legend labels of the chart series, the benchmark named as in the table's header."""
    confidence = format_number(100 * (1 - ctx.inputs.config.thresholds.alpha), 0)
    legend = ctx.w["charts"]["legend"]
    return {"own": fill(legend[own], confidence=confidence, edition=ctx.inputs.config.edition),
            "benchmark": headers["benchmark"], "previous": headers["previous"]}


def theme_table_id(theme_id: str) -> str:
    return f"tabel-{theme_id}"


def with_figures(sections: list[Section], figures: dict) -> list[Section]:
    """Each theme's chart above its table, matched through the table's id."""
    by_table = {figure.table_id: figure for figure in figures.values()}
    return [replace(s, figure=by_table.get(s.table.id)) for s in sections]


def _unit_sections(ctx: _Context, page: str, unit_name: str, benchmark: str, level: str, inst=None, dom=None,
                   charted: bool = True) -> list[Section]:
    headers = column_headers(ctx.inputs, benchmark)
    caption = fill(ctx.w["captions"]["unit"], unit=unit_name)
    records, unit = ctx.records(level, inst, dom), ctx.unit_key(level, inst, dom)
    sections = theme_tables(records, ctx.inputs.questionnaire, _columns(UNIT_COLUMNS, headers), caption, ctx.w, unit)
    if not charted:
        return sections
    figures = charts.theme_figures(
        ctx.points(level, inst, dom), ctx.inputs.questionnaire, page=page, subject=unit_name, compare="benchmark",
        labels=chart_labels(ctx, headers, "own"), table_id=theme_table_id, w=ctx.w)
    return with_figures(sections, figures)


def _home_page(ctx: _Context) -> Page:
    data = {
        "institutions": [Link(u.name, institution_path(u), u.place) for u in ctx.institutions],
        "domains": [Link(u.name, domain_path(u)) for u in ctx.domains],
    }
    return Page("index.md", "home.md.j2", site_name(ctx.inputs.config, ctx.w), data=data)


def _national_page(ctx: _Context) -> Page:
    headers = column_headers(ctx.inputs)
    caption = fill(ctx.w["captions"]["national"], edition=ctx.inputs.config.edition)
    columns = _columns(NATIONAL_COLUMNS, headers)
    records, unit = ctx.records("national"), ctx.unit_key("national")
    sections = theme_tables(records, ctx.inputs.questionnaire, columns, caption, ctx.w, unit)
    figures = charts.theme_figures(
        ctx.points("national"), ctx.inputs.questionnaire, page="landelijk.md", subject=ctx.w["nav"]["landelijk"],
        compare="previous", labels=chart_labels(ctx, headers, "own_national"),
        table_id=theme_table_id, w=ctx.w,
        previous_edition=ctx.inputs.config.previous_edition)
    data = {"sections": with_figures(sections, figures)}
    return Page("landelijk.md", "landelijk.md.j2", ctx.w["nav"]["landelijk"], data=data, hide=UNIT_PAGE_HIDE)


def _institution_pages(ctx: _Context) -> list[Page]:
    links = [Link(u.name, institution_path(u), u.place) for u in ctx.institutions]
    pages = [Page("instellingen/index.md", "instellingen.md.j2", ctx.w["nav"]["instellingen"], data={"institutions": links})]
    for inst in ctx.institutions:
        domains = [d for d in ctx.domains if ("institution_domain", inst.id, d.id) in ctx.index]
        path = institution_path(inst)
        data = {
            "unit": inst,
            "sections": _unit_sections(ctx, path, inst.name, "benchmark_national", "institution", inst),
            "domains": [Link(d.name, institution_domain_path(inst, d)) for d in domains],
        }
        pages.append(Page(path, "instelling.md.j2", inst.name, data=data, hide=UNIT_PAGE_HIDE))
        pages += [_institution_domain_page(ctx, inst, dom) for dom in domains]
    return pages


def _institution_domain_page(ctx: _Context, inst: Unit, dom: Unit) -> Page:
    """One overview chart of the theme scores: ~10 cells per institution, too many for a chart per theme."""
    name = f"{inst.name} – {dom.name}"
    path = institution_domain_path(inst, dom)
    headers = column_headers(ctx.inputs, "benchmark_domain")
    sections = _unit_sections(ctx, path, name, "benchmark_domain", "institution_domain", inst, dom, charted=False)
    overview = charts.overview_figure(
        ctx.points("institution_domain", inst, dom), ctx.inputs.questionnaire, page=path, subject=name,
        labels=chart_labels(ctx, headers, "own_score"), table_id=sections[0].table.id if sections else "", w=ctx.w)
    data = {
        "unit": inst,
        "domain": dom,
        "institution_link": Link(inst.name, institution_path(inst)),
        "domain_link": Link(dom.name, domain_path(dom)),
        "sections": sections,
        "overview": overview,
    }
    return Page(path, "instelling_domein.md.j2", name, search_exclude=True, data=data, hide=UNIT_PAGE_HIDE)


def _peer_sections(ctx: _Context, dom: Unit) -> list[Section]:
    """Institutions within a domain, per theme score: alphabetical, never ranked."""
    headers = column_headers(ctx.inputs, "benchmark_domain")
    headers["marker"] = headers["marker_domain"]
    columns = _columns(PEER_COLUMNS, headers)
    pick = attrgetter(*PEER_COLUMNS)
    sections = []
    for theme in ctx.inputs.questionnaire.themes:
        rows = []
        for inst in ctx.institutions:  # already alphabetical
            cells = ctx.records("institution_domain", inst, dom).get(theme.id)
            if cells is not None:
                rows.append(result_row(cells, inst.name, None, pick, ctx.w, institution_domain_path(inst, dom)))
        if rows:
            caption = fill(ctx.w["captions"]["institutions_in_domain"], domain=dom.name, theme=theme.name)
            table = Table(caption, headers["institution"], columns, tuple(rows), id=f"tabel-instellingen-{theme.id}")
            sections.append(Section(theme.name, table, f"themas/{theme_slug(theme)}.md"))
    return sections


def _domain_pages(ctx: _Context) -> list[Page]:
    links = [Link(u.name, domain_path(u)) for u in ctx.domains]
    pages = [Page("domeinen/index.md", "domeinen.md.j2", ctx.w["nav"]["domeinen"], data={"domains": links})]
    for dom in ctx.domains:
        path = domain_path(dom)
        data = {
            "unit": dom,
            "sections": _unit_sections(ctx, path, dom.name, "benchmark_national", "domain", None, dom),
            "peers": _peer_sections(ctx, dom),
        }
        pages.append(Page(path, "domein.md.j2", dom.name, data=data, hide=UNIT_PAGE_HIDE))
    return pages


def _theme_table(ctx: _Context, theme: Theme) -> Table:
    """National result per item with its answer scale, the theme score first."""
    records = ctx.records("national")
    headers = column_headers(ctx.inputs)
    pick = attrgetter(*THEME_COLUMNS[1:])  # the answer scale comes from the codebook
    nothing = Cells("published", *[ctx.w["missing"]] * 8)
    rows = []
    entries = [(theme.id, ctx.w["theme_score"], None, ctx.w["theme_scale"])]
    entries += [(i.id, i.text, i, SCALE_LABEL_NL[i.scale]) for i in ctx.inputs.questionnaire.items_of(theme.id)]
    for key, label, item, scale in entries:
        row = result_row(records.get(key, nothing), label, item, pick, ctx.w, item_id=key)
        rows.append(replace(row, cells=(scale, *row.cells)) if not row.suppressed else row)
    caption = fill(ctx.w["captions"]["theme"], theme=theme.name, edition=ctx.inputs.config.edition)
    columns = _columns(THEME_COLUMNS, headers)
    return Table(caption, headers["question"], columns, tuple(rows), False, ctx.unit_key("national"),
                 id=theme_table_id(theme.id))


def _theme_pages(ctx: _Context) -> list[Page]:
    themes = ctx.inputs.questionnaire.themes
    links = [Link(t.name, f"themas/{theme_slug(t)}.md", t.description) for t in themes]
    pages = [Page("themas/index.md", "themas.md.j2", ctx.w["nav"]["themas"], data={"themes": links})]
    for theme in themes:
        data = {"theme": theme, "table": _theme_table(ctx, theme)}
        pages.append(Page(f"themas/{theme_slug(theme)}.md", "thema.md.j2", theme.name, data=data))
    return pages


def build_page_specs(inputs: SiteInputs) -> list[Page]:
    """Every generated page as a plain spec; rendering comes later and adds nothing but words."""
    w = load_wording()
    index = index_records(inputs.results, w)
    institutions, domains = units_of(inputs, index)
    ctx = _Context(inputs, index, institutions, domains, w, charts.chart_numbers(inputs.results))
    pages = [_home_page(ctx), _national_page(ctx)]
    pages += _institution_pages(ctx) + _domain_pages(ctx) + _theme_pages(ctx)
    pages += [verantwoording_page(inputs, institutions, w), Page("downloads.md", "downloads.md.j2", w["nav"]["downloads"])]
    return pages


def page_figures(pages: list[Page]) -> list[charts.Figure]:
    """Every chart of the site, in page order: per theme section, plus a page's overview."""
    figures = []
    for page in pages:
        figures += [page.data["overview"]] if page.data.get("overview") else []
        figures += [s.figure for s in page.data.get("sections", ()) if s.figure is not None]
    return figures


def render_figures(figures: list[charts.Figure]) -> dict[str, Markup]:
    """Figure key → finished inline SVG (rendered in worker processes when there are many)."""
    svgs = charts.render_svgs([figure.chart for figure in figures])
    return {figure.key: Markup(svg) for figure, svg in zip(figures, svgs)}


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


@lru_cache(maxsize=1)
def template_environment() -> jinja2.Environment:
    """Autoescape everything: item texts may hold '<', '&' or '|' and must not break a table."""
    loader = jinja2.FileSystemLoader(TEMPLATES_DIR)
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = markdown_text
    env.filters["hyphenate"] = soft_hyphens
    env.filters["identifier"] = identifier_breaks
    env.filters["setting"] = format_setting
    env.globals["td"] = Markup("</td><td>")  # joins a row's cells; each cell is still escaped
    env.globals["empty_cells"] = [Markup("<td></td>" * k) for k in range(32)]
    env.globals["chart_colors"] = charts.STROKES  # the legend draws the charts' own shapes
    return env


def identifier_breaks(name: str) -> Markup:
    """A setting name such as thresholds.min_difference_pct may wrap after '.' and '_' only."""
    return Markup(str(escape(name)).replace(".", ".<wbr>").replace("_", "_<wbr>"))


def render_page(page: Page, common: dict) -> str:
    """Render one spec; links are computed relative to the page itself."""
    template = template_environment().get_template(page.template)
    links = {"md_link": partial(relative_md, page.path), "url": partial(relative_url, page.path)}
    return template.render(page=page, **links, **common)


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


def write_pages(inputs: SiteInputs, docs_dir: Path) -> list[Path]:
    """Build every page spec, render it into docs_dir, then add the hand-written pages."""
    docs_dir = Path(docs_dir)
    specs = build_page_specs(inputs)
    common = {
        "w": load_wording(),
        "config": inputs.config,
        "confidence": format_number(100 * (1 - inputs.config.thresholds.alpha), 0),
        "charts": render_figures(page_figures(specs)),
        "has_manifest_page": "manifest" in inputs.summary,
    }
    written = []
    for page in specs:
        target = docs_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_page(page, common), encoding="utf-8")
        written.append(target)
    written += copy_content(CONTENT_DIR, docs_dir, {page.path for page in specs})
    return written

