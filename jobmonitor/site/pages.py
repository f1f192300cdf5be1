"""Results pages: the render contract (`jobmonitor.results.SiteInputs`) → page specs.

Building (published records → plain specs holding formatted Dutch strings, `specs`) is kept
apart from rendering (`render`, jinja2 templates in `templates/`). Every word a visitor reads
lives in the templates or the wording files; this module only picks rows, decides links and
attaches the charts (`charts`).
"""

from __future__ import annotations

from dataclasses import replace
from operator import attrgetter

from markupsafe import Markup

from jobmonitor.codebook import SHARED_SUFFIX, Item, Questionnaire, Theme
from jobmonitor.results import SUPPRESSED, UnitKey
from jobmonitor.site import charts
from jobmonitor.site.context import SiteContext
from jobmonitor.site.guides import has_markers
from jobmonitor.site.summary import unit_summary
from jobmonitor.site.trend import unit_trend
from jobmonitor.site.formatting import Cells, format_count, format_number, format_value
from jobmonitor.site.paths import (
    card_path,
    compare_fragment,
    domain_path,
    guide_path,
    institution_domain_path,
    institution_path,
    theme_path,
)
from jobmonitor.site.specs import Link, Matrix, MatrixCell, Page, Row, Section, Table, Unit
from jobmonitor.site.verantwoording import verantwoording_page
from jobmonitor.site.wording import fill, site_name

NATIONAL_COLUMNS = ("value", "interval", "n", "previous", "change")
UNIT_COLUMNS = ("value", "interval", "n", "benchmark", "difference", "marker", "previous", "change")
THEME_COLUMNS = ("scale", "n", "value", "interval")
# Unit pages list their themes in the text; the right-hand table of contents only narrows tables.
UNIT_PAGE_HIDE = ("toc",)


def result_row(cells: Cells, label: str, item: Item | None, pick, w: dict, target: str | None = None,
               item_id: str = "", history: str = "") -> Row:
    """One table row; a suppressed record yields a row that carries nothing but its label.
    `history`: how far back the question compares ("nieuw in 2024", …)."""
    note = " · ".join(p for p in (question_note(item, w), history) if p)
    if cells.status in SUPPRESSED:
        return Row(label, True, target=target, item=item_id, note=note)
    if item is not None and (not item.comparable or item.previous_id is None):
        cells = cells._replace(previous=w["not_comparable"], change=w["missing"])
    return Row(label, False, cells.status == "indicative", pick(cells), target, item_id, note, cells.distribution)


def question_note(item: Item | None, w: dict) -> str:
    """What a question's percentage counts ("% ja") and, where it is so, "lager is beter"."""
    if item is None:
        return ""
    parts = [w["measure_note"].get(item.measure, "")] + ([w["lower_is_better"]] if item.direction == "lower_better" else [])
    return " · ".join(p for p in parts if p)


def _columns(keys: tuple[str, ...], headers: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((key, headers[key]) for key in keys)


def column_headers(ctx: SiteContext, benchmark: str = "benchmark_national") -> dict[str, str]:
    """Column headers from the wording, with this edition's confidence level and previous year."""
    headers = dict(ctx.w["columns"])
    headers["interval"] = fill(headers["interval"], confidence=ctx.confidence)
    headers["benchmark"] = headers[benchmark]
    previous = ctx.inputs.config.previous_edition
    if previous is not None:
        headers["previous"] = f"{headers['previous']} ({previous})"
    return headers


def theme_rows(records: dict, theme, comparison: dict | None, pick, w: dict) -> list[Row]:
    """The theme score, and where the theme changed between editions its score on the items
    comparable in both (the only one compared with the previous edition), labelled so."""
    how, count = (comparison or {}).get(theme.id, ("full", 0))
    rows = []
    if theme.id in records:
        cells = records[theme.id]
        if how != "full" and cells.status not in SUPPRESSED:
            cells = cells._replace(previous=w["not_comparable"], change=w["missing"])
        rows.append(result_row(cells, w["theme_score"], None, pick, w, item_id=theme.id))
    shared = theme.id + SHARED_SUFFIX
    if how == "shared" and shared in records:
        rows.append(result_row(records[shared], fill(w["theme_score_shared"], count=count), None, pick, w, item_id=shared))
    return rows


def collapsed_line(theme, benchmark: dict | None, benchmark_name: str, w: dict) -> str:
    """One line for a theme whose rows are all hidden: it says so and still shows the benchmark."""
    record = (benchmark or {}).get(theme.id)
    shown = record is not None and record.status not in SUPPRESSED
    value = format_value(record.estimate, record.measure, w) if shown else w["missing"]
    return fill(w["collapsed_theme"], benchmark=benchmark_name, value=value)


def theme_tables(records: dict, questionnaire: Questionnaire, columns, caption: str, w: dict,
                 unit: str, comparison: dict | None = None, benchmark: dict | None = None,
                 benchmark_name: str = "", history: dict[str, str] | None = None) -> list[Section]:
    """Per theme: the theme score first, then its items in questionnaire order; a theme whose
    rows are all hidden collapses to one line. `history`: per item, how far back it compares."""
    history = history or {}
    pick = attrgetter(*(key for key, _ in columns))  # tables have at least two columns
    sections = []
    for theme in questionnaire.themes:
        rows = theme_rows(records, theme, comparison, pick, w)
        for item in questionnaire.items_of(theme.id):
            if item.id in records:
                rows.append(result_row(records[item.id], item.text, item, pick, w, item_id=item.id,
                                       history=history.get(item.id, "")))
        if rows:
            caption_text = fill(caption, theme=theme.name)
            table = Table(caption_text, w["columns"]["question"], columns, tuple(rows), unit=unit,
                          id=theme_table_id(theme.id))
            collapsed = collapsed_line(theme, benchmark, benchmark_name, w) if benchmark is not None and all(
                r.suppressed for r in rows) else ""
            sections.append(Section(theme.name, table, theme_path(theme), collapsed=collapsed))
    return sections


def chart_labels(ctx: SiteContext, headers: dict[str, str], own: str) -> dict[str, str]:
    """Legend labels of the chart series, the benchmark named as in the table's header."""
    legend = ctx.w["charts"]["legend"]
    return {"own": fill(legend[own], confidence=ctx.confidence, edition=ctx.inputs.config.edition),
            "benchmark": headers["benchmark"], "previous": headers["previous"]}


def theme_table_id(theme_id: str) -> str:
    return f"tabel-{theme_id}"


def with_figures(sections: list[Section], figures: dict) -> list[Section]:
    """Each theme's chart above its table, matched through the table's id."""
    by_table = {figure.table_id: figure for figure in figures.values()}
    return [replace(s, figure=by_table.get(s.table.id)) for s in sections]


def _unit_sections(ctx: SiteContext, page: str, unit_name: str, benchmark: str, level: str, inst=None, dom=None,
                   charted: bool = True) -> list[Section]:
    headers = column_headers(ctx, benchmark)
    caption = fill(ctx.w["captions"]["unit"], unit=unit_name)
    records, unit = ctx.records(level, inst, dom), ctx.unit_key(level, inst, dom)
    bench_key = ctx.key("domain", None, dom) if level == "institution_domain" else ctx.key("national")
    sections = theme_tables(records, ctx.inputs.questionnaire, _columns(UNIT_COLUMNS, headers), caption, ctx.w, unit,
                            ctx.theme_comparison, ctx.inputs.index.get(bench_key, {}), headers["benchmark"].lower(),
                            ctx.history)
    if not charted:
        return sections
    figures = charts.theme_figures(
        ctx.points(level, inst, dom), ctx.inputs.questionnaire, page=page, subject=unit_name, unit=unit, compare="benchmark",
        labels=chart_labels(ctx, headers, "own"), table_id=theme_table_id, w=ctx.w)
    return with_figures(sections, figures)


def _home_page(ctx: SiteContext) -> Page:
    summary = ctx.inputs.summary
    national = ctx.inputs.index.get(ctx.key("national"), {})
    marks = [(item.text, format_value(national[item.id].estimate, "mean", ctx.w)) for item in ctx.inputs.questionnaire.items
             if item.measure == "mean" and item.id in national and national[item.id].status not in SUPPRESSED]
    data = {
        "respondents": format_count(summary.respondents) if summary.respondents else "",
        "rate": format_value(100 * summary.respondents / summary.population, "pct_yes", ctx.w) if summary.population else "",
        "marks": marks,
        "institutions": [Link(u.name, institution_path(u), u.place) for u in ctx.institutions],
        "domains": [Link(u.name, domain_path(u)) for u in ctx.domains],
    }
    return Page("index.md", "home.md.j2", site_name(ctx.inputs.config, ctx.w), data=data)


def _national_page(ctx: SiteContext) -> Page:
    headers = column_headers(ctx)
    caption = fill(ctx.w["captions"]["national"], edition=ctx.inputs.config.edition)
    columns = _columns(NATIONAL_COLUMNS, headers)
    records, unit = ctx.records("national"), ctx.unit_key("national")
    sections = theme_tables(records, ctx.inputs.questionnaire, columns, caption, ctx.w, unit, ctx.theme_comparison,
                            history=ctx.history)
    figures = charts.theme_figures(
        ctx.points("national"), ctx.inputs.questionnaire, page="landelijk.md", subject=ctx.w["nav"]["landelijk"],
        unit=unit, compare="previous", labels=chart_labels(ctx, headers, "own_national"),
        table_id=theme_table_id, w=ctx.w,
        previous_edition=ctx.inputs.config.previous_edition)
    data = {"sections": with_figures(sections, figures),
            "trend": unit_trend(ctx.inputs, ctx.key("national"), ctx.w["nav"]["landelijk"].lower(), ctx.w, ctx.trend_lines)}
    return Page("landelijk.md", "landelijk.md.j2", ctx.w["nav"]["landelijk"], data=data, hide=UNIT_PAGE_HIDE, unit=unit)


def _institution_pages(ctx: SiteContext) -> list[Page]:
    links = [Link(u.name, institution_path(u), u.place) for u in ctx.institutions]
    pages = [Page("instellingen/index.md", "instellingen.md.j2", ctx.w["nav"]["instellingen"], data={"institutions": links})]
    for inst in ctx.institutions:
        domains = [d for d in ctx.domains if UnitKey("institution_domain", inst.id, d.id) in ctx.cells]
        path = institution_path(inst)
        data = {
            "unit": inst,
            "sections": _unit_sections(ctx, path, inst.name, "benchmark_national", "institution", inst),
            "domains": [Link(d.name, institution_domain_path(inst, d)) for d in domains],
            "summary": unit_summary(ctx.inputs.index.get(ctx.key("institution", inst), {}), ctx.inputs.questionnaire,
                                    ctx.w, Link(ctx.k["links"]["institution_page"], card_path(inst))),
            "bench": ctx.w["benchmark_name"]["institution"],
            "trend": unit_trend(ctx.inputs, ctx.key("institution", inst), inst.name, ctx.w, ctx.trend_lines),
            "compare": compare_fragment(inst.id),
        }
        # The institution's own page first among the pages that carry its name (cards, domains).
        pages.append(Page(path, "instelling.md.j2", inst.name, data=data, hide=UNIT_PAGE_HIDE, search_boost=2,
                          unit=ctx.unit_key("institution", inst)))
        pages += [_institution_domain_page(ctx, inst, dom) for dom in domains]
    return pages


def _institution_domain_page(ctx: SiteContext, inst: Unit, dom: Unit) -> Page:
    """One overview chart of the theme scores: ~10 cells per institution, too many for a chart per theme."""
    name = f"{inst.name} – {dom.name}"
    path = institution_domain_path(inst, dom)
    headers = column_headers(ctx, "benchmark_domain")
    sections = _unit_sections(ctx, path, name, "benchmark_domain", "institution_domain", inst, dom, charted=False)
    overview = charts.overview_figure(
        ctx.points("institution_domain", inst, dom), ctx.inputs.questionnaire, page=path, subject=name,
        unit=ctx.unit_key("institution_domain", inst, dom),
        labels=chart_labels(ctx, headers, "own_score"), table_id=sections[0].table.id if sections else "", w=ctx.w)
    records = ctx.inputs.index.get(ctx.key("institution_domain", inst, dom), {})
    card = Link(ctx.k["links"]["institution_page"], card_path(inst, dom)) if has_markers(records) else None
    data = {
        "unit": inst,
        "domain": dom,
        "institution_link": Link(inst.name, institution_path(inst)),
        "domain_link": Link(dom.name, domain_path(dom)),
        "sections": sections,
        "overview": overview,
        "summary": unit_summary(records, ctx.inputs.questionnaire, ctx.w, card),
        "bench": ctx.w["benchmark_name"]["institution_domain"],
        "trend": unit_trend(ctx.inputs, ctx.key("institution_domain", inst, dom), name, ctx.w, ctx.trend_lines),
        "compare": compare_fragment(inst.id, dom.id),
    }
    return Page(path, "instelling_domein.md.j2", name, data=data, hide=UNIT_PAGE_HIDE,
                unit=ctx.unit_key("institution_domain", inst, dom))


def _matrix_cell(record, key: UnitKey, theme_id: str, w: dict) -> MatrixCell:
    if record is None or record.status in SUPPRESSED or record.estimate != record.estimate:
        return MatrixCell(w["matrix"]["hidden"], key.attr, theme_id, hidden=True)
    sign = w["matrix"]["signs"].get(record.verdict, "") if record.marker else ""
    text = format_number(record.estimate, 1) + (f" {sign}" if sign else "")
    return MatrixCell(text, key.attr, theme_id, verdict=record.verdict if record.marker else "")


def domain_matrix(ctx: SiteContext, dom: Unit) -> Matrix | None:
    """The theme scores of every institution in the domain, each with its verdict against the
    domain nationally: one table instead of one per theme, alphabetical, never sorted by score."""
    themes = [t for t in ctx.inputs.questionnaire.themes
              if any(t.id in ctx.inputs.index.get(ctx.key("institution_domain", i, dom), {}) for i in ctx.institutions)]
    rows = []
    for inst in ctx.institutions:  # already alphabetical
        key = ctx.key("institution_domain", inst, dom)
        records = ctx.inputs.index.get(key)
        if records is None:
            continue
        cells = tuple(_matrix_cell(records.get(t.id), key, t.id, ctx.w) for t in themes)
        rows.append((Link(inst.name, institution_domain_path(inst, dom)), cells))
    if not rows or not themes:
        return None
    caption = fill(ctx.w["matrix"]["caption"], domain=dom.name)
    return Matrix(caption, ctx.w["columns"]["institution"], tuple((t.id, t.name) for t in themes), tuple(rows))


def _domain_pages(ctx: SiteContext) -> list[Page]:
    links = [Link(u.name, domain_path(u)) for u in ctx.domains]
    pages = [Page("domeinen/index.md", "domeinen.md.j2", ctx.w["nav"]["domeinen"], data={"domains": links})]
    for dom in ctx.domains:
        path = domain_path(dom)
        data = {
            "unit": dom,
            "summary": unit_summary(ctx.inputs.index.get(ctx.key("domain", None, dom), {}), ctx.inputs.questionnaire, ctx.w),
            "bench": ctx.w["benchmark_name"]["domain"],
            "sections": _unit_sections(ctx, path, dom.name, "benchmark_national", "domain", None, dom),
            "matrix": domain_matrix(ctx, dom),
            "trend": unit_trend(ctx.inputs, ctx.key("domain", None, dom), dom.name, ctx.w, ctx.trend_lines),
        }
        pages.append(Page(path, "domein.md.j2", dom.name, data=data, hide=UNIT_PAGE_HIDE, unit=ctx.unit_key("domain", None, dom)))
    return pages


def _theme_table(ctx: SiteContext, theme: Theme) -> Table:
    """National result per item with its answer scale, the theme score first."""
    records = ctx.records("national")
    headers = column_headers(ctx)
    pick = attrgetter(*THEME_COLUMNS[1:])  # the answer scale comes from the codebook
    nothing = Cells("published", *[ctx.w["missing"]] * 8)
    rows = []
    entries = [(theme.id, ctx.w["theme_score"], None, ctx.w["theme_scale"])]
    entries += [(i.id, i.text, i, ctx.w["scales"][i.scale]) for i in ctx.inputs.questionnaire.items_of(theme.id)]
    for key, label, item, scale in entries:
        row = result_row(records.get(key, nothing), label, item, pick, ctx.w, item_id=key)
        rows.append(replace(row, cells=(scale, *row.cells)) if not row.suppressed else row)
    caption = fill(ctx.w["captions"]["theme"], theme=theme.name, edition=ctx.inputs.config.edition)
    columns = _columns(THEME_COLUMNS, headers)
    return Table(caption, headers["question"], columns, tuple(rows), False, ctx.unit_key("national"),
                 id=theme_table_id(theme.id))


def _theme_pages(ctx: SiteContext) -> list[Page]:
    themes = ctx.inputs.questionnaire.themes
    links = [Link(t.name, theme_path(t), t.description) for t in themes]
    pages = [Page("themas/index.md", "themas.md.j2", ctx.w["nav"]["themas"], data={"themes": links})]
    for theme in themes:
        data = {"theme": theme, "table": _theme_table(ctx, theme),
                "guide_link": Link(ctx.k["links"]["theme_page"], guide_path(theme))}
        pages.append(Page(theme_path(theme), "thema.md.j2", theme.name, data=data))
    return pages


def build_page_specs(ctx: SiteContext) -> list[Page]:
    """Every results page as a plain spec; rendering comes later and adds nothing but words."""
    pages = [_home_page(ctx), _national_page(ctx)]
    pages += _institution_pages(ctx) + _domain_pages(ctx) + _theme_pages(ctx)
    pages += [verantwoording_page(ctx.inputs, ctx.institutions, ctx.w),
              Page("downloads.md", "downloads.md.j2", ctx.w["nav"]["downloads"],
                   data={"files": ctx.inputs.summary.downloads})]
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
