"""Published results table → page specs → markdown pages for the mkdocs docs folder.

Building (results → plain specs holding formatted Dutch strings) is kept apart from rendering
(specs → jinja2 templates in `templates/`). Every word a visitor reads lives in the templates or
in `templates/wording.yml`; this module only picks rows, formats numbers and computes links.
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
import shutil
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from operator import attrgetter
from pathlib import Path
from statistics import NormalDist
from typing import NamedTuple

import jinja2
import pandas as pd
import yaml
from markupsafe import Markup, escape
from pydantic import BaseModel

from jobmonitor.codebook import SCALE_LABEL_NL, Item, Questionnaire, Theme
from jobmonitor.results import SUPPRESSED, SiteInputs

REPO_DIR = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = REPO_DIR / "templates"
CONTENT_DIR = REPO_DIR / "content"
PCT_MEASURES = ("pct_positive", "pct_yes")
NATIONAL_COLUMNS = ("value", "interval", "n", "previous", "change")
UNIT_COLUMNS = ("value", "interval", "n", "benchmark", "difference", "marker", "previous", "change")
PEER_COLUMNS = ("value", "interval", "marker")
THEME_COLUMNS = ("scale", "n", "value", "interval")
# Characters python-markdown treats as markup in running text; escaped so names stay names.
_NL_DIGITS = str.maketrans(",.", ".,")
_FIXED = {0: ".0f", 1: ".1f", 2: ".2f"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!])")


@dataclass(frozen=True)
class Link:
    label: str
    target: str  # docs-relative markdown path, e.g. "instellingen/x/index.md"
    note: str = ""


@dataclass(frozen=True)
class Row:
    label: str
    suppressed: bool
    indicative: bool = False
    cells: tuple[str, ...] = ()  # aligned with the table's columns
    target: str | None = None
    item: str = ""  # item or theme id, for the release audit (`tr[data-item]`)


@dataclass(frozen=True)
class Table:
    caption: str
    row_header: str
    columns: tuple[tuple[str, str], ...]  # (cell key, column header)
    rows: tuple[Row, ...]
    search_exclude: bool = True
    unit: str = ""  # "level|institution_id|domain_id" when all rows are one unit (`table[data-unit]`)

    @property
    def has_indicative(self) -> bool:
        return any(row.indicative for row in self.rows)


@dataclass(frozen=True)
class Section:
    heading: str
    table: Table
    target: str | None = None  # the theme page, linked under the heading


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    title: str
    search_exclude: bool = False
    data: dict = field(default_factory=dict)


@lru_cache(maxsize=1)
def load_wording() -> dict:
    """Visitor wording, read once; a missing key should fail loudly in a template."""
    return yaml.safe_load((TEMPLATES_DIR / "wording.yml").read_text(encoding="utf-8"))


def site_name(config, wording: dict | None = None) -> str:
    wording = wording or load_wording()
    return wording["site_name"].format(title=config.title, edition=config.edition)


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by '-', so URLs survive accents, commas and spaces."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def sort_key(name: str) -> str:
    """Dutch alphabetical order ignores accents and case."""
    return unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().casefold()


def theme_slug(theme: Theme) -> str:
    return slugify(theme.name)


def _isna(value) -> bool:
    if type(value) is float:  # the common case, checked first: this runs ~10⁶ times a build
        return value != value
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _text(value) -> str:
    return "" if _isna(value) else str(value).strip()


def _id(value) -> str | None:
    return None if _isna(value) else str(value)


def format_number(value: float, decimals: int) -> str:
    """Dutch notation: comma for decimals, dot for thousands."""
    if -999 < value < 999:  # fast path without thousands separators
        return format(value, _FIXED[decimals]).replace(".", ",")
    return f"{value:,.{decimals}f}".translate(_NL_DIGITS)


def format_value(value, measure: str, w: dict) -> str:
    if _isna(value):
        return w["missing"]
    if measure in PCT_MEASURES:
        return format_number(value, 1) + w["percent_unit"]
    return format_number(value, 1)


def _fine_decimals(measure: str) -> int:
    """Intervals and differences of means get two decimals: 0.2 points is already relevant."""
    return 1 if measure in PCT_MEASURES else 2


def format_interval(low, high, measure: str, w: dict) -> str:
    if _isna(low) or _isna(high):
        return w["missing"]
    decimals = _fine_decimals(measure)
    return f"{format_number(low, decimals)}–{format_number(high, decimals)}"


def format_difference(value, measure: str, w: dict) -> str:
    if _isna(value):
        return w["missing"]
    decimals = _fine_decimals(measure)
    sign = "−" if round(value, decimals) < 0 else "+" if round(value, decimals) > 0 else "±"
    unit = w["difference_unit_pct"] if measure in PCT_MEASURES else ""
    return sign + format_number(abs(value), decimals) + unit


def format_count(value) -> str:
    return "" if _isna(value) else format_number(int(value), 0)


def markdown_text(value) -> Markup:
    """HTML-escape, then backslash-escape markdown markup, for names in running markdown."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(value))))


class Cells(NamedTuple):
    """Display strings of one results row, formatted once for every page that shows it."""

    status: str
    value: str
    interval: str
    n: str
    benchmark: str
    difference: str
    marker: str
    previous: str
    change: str


def _number_list(results: pd.DataFrame, column: str) -> list[float]:
    return pd.to_numeric(results[column], errors="coerce").astype("float64").tolist()


def _text_list(results: pd.DataFrame, column: str) -> list[str]:
    return results[column].astype("string").fillna("").str.strip().tolist()


def format_results(results: pd.DataFrame, w: dict) -> list[Cells]:
    """Every row's display strings in one tight pass (the table can hold ~200,000 rows)."""
    missing, marker_text, change_text = w["missing"], w["marker"], w["change"]
    numbers = [_number_list(results, c) for c in ("n", "estimate", "ci_low", "ci_high", "benchmark",
                                                    "difference", "previous_estimate")]
    texts = [_text_list(results, c) for c in ("measure", "status", "marker", "change_marker")]
    formatted = []
    for n, est, low, high, bench, diff, prev, measure, status, marker, change in zip(*numbers, *texts):
        if status in SUPPRESSED:
            formatted.append(Cells(status, *[""] * 8))
            continue
        value = format_value(est, measure, w)
        if status == "indicative":
            value = f"{value} ({w['indicative']}*)"
        formatted.append(Cells(
            status, value, format_interval(low, high, measure, w), format_count(n),
            format_value(bench, measure, w), format_difference(diff, measure, w),
            marker_text[marker] if diff == diff else missing,
            format_value(prev, measure, w), change_text[change] if prev == prev else missing,
        ))
    return formatted


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
            caption_text = _fill(caption, theme=theme.name)
            table = Table(caption_text, w["columns"]["question"], columns, tuple(rows), unit=unit)
            sections.append(Section(theme.name, table, f"themas/{theme_slug(theme)}.md"))
    return sections


def index_records(results: pd.DataFrame, w: dict) -> dict[tuple, dict[str, Cells]]:
    """(level, institution_id, domain_id) → item_id → display strings, in one pass."""
    keys = zip(*(results[c].astype("string").tolist() for c in ("level", "institution_id", "domain_id", "item_id")))
    index: dict[tuple, dict[str, Cells]] = {}
    for (level, inst, dom, item), cells in zip(keys, format_results(results, w)):
        index.setdefault((level, _id(inst), _id(dom)), {})[item] = cells
    return index


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    slug: str
    place: str = ""


def _units(frame: pd.DataFrame, id_column: str, present: set[str], names: dict[str, str]) -> list[Unit]:
    """Units that have results, alphabetical, with unique slugs."""
    lookup = {str(r[id_column]): r for r in frame.to_dict("records")} if len(frame) else {}
    units, used = [], set()
    for unit_id in sorted(present):
        row = lookup.get(unit_id, {})
        name = _text(row.get("name")) or names.get(unit_id, unit_id)
        slug = _text(row.get("slug")) or slugify(name)
        while slug in used:
            slug += "-" + slugify(unit_id)
        used.add(slug)
        units.append(Unit(unit_id, name, slug, _text(row.get("place"))))
    return sorted(units, key=lambda u: (sort_key(u.name), u.id))


def units_of(inputs: SiteInputs, index: dict) -> tuple[list[Unit], list[Unit]]:
    """Institutions and domains that appear in the results."""
    res = inputs.results
    inst_names = {_id(i): _text(n) for i, n in zip(res["institution_id"], res["institution"]) if _id(i)}
    dom_names = {_id(i): _text(n) for i, n in zip(res["domain_id"], res["domain"]) if _id(i)}
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
    index: dict
    institutions: list[Unit]
    domains: list[Unit]
    w: dict

    def records(self, level: str, inst: Unit | None = None, dom: Unit | None = None) -> dict:
        return self.index.get((level, inst.id if inst else None, dom.id if dom else None), {})

    @staticmethod
    def unit_key(level: str, inst: Unit | None = None, dom: Unit | None = None) -> str:
        return f"{level}|{inst.id if inst else ''}|{dom.id if dom else ''}"


def _fill(text: str, **values) -> str:
    """Fill {placeholders} without str.format, so braces in a name cannot break a caption."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text


def _unit_sections(ctx: _Context, unit_name: str, benchmark: str, level: str, inst=None, dom=None) -> list[Section]:
    headers = column_headers(ctx.inputs, benchmark)
    caption = _fill(ctx.w["captions"]["unit"], unit=unit_name)
    records, unit = ctx.records(level, inst, dom), ctx.unit_key(level, inst, dom)
    return theme_tables(records, ctx.inputs.questionnaire, _columns(UNIT_COLUMNS, headers), caption, ctx.w, unit)


def _home_page(ctx: _Context) -> Page:
    data = {
        "institutions": [Link(u.name, institution_path(u), u.place) for u in ctx.institutions],
        "domains": [Link(u.name, domain_path(u)) for u in ctx.domains],
    }
    return Page("index.md", "home.md.j2", site_name(ctx.inputs.config, ctx.w), data=data)


def _national_page(ctx: _Context) -> Page:
    headers = column_headers(ctx.inputs)
    caption = _fill(ctx.w["captions"]["national"], edition=ctx.inputs.config.edition)
    columns = _columns(NATIONAL_COLUMNS, headers)
    records, unit = ctx.records("national"), ctx.unit_key("national")
    sections = theme_tables(records, ctx.inputs.questionnaire, columns, caption, ctx.w, unit)
    return Page("landelijk.md", "landelijk.md.j2", ctx.w["nav"]["landelijk"], data={"sections": sections})


def _institution_pages(ctx: _Context) -> list[Page]:
    links = [Link(u.name, institution_path(u), u.place) for u in ctx.institutions]
    pages = [Page("instellingen/index.md", "instellingen.md.j2", ctx.w["nav"]["instellingen"], data={"institutions": links})]
    for inst in ctx.institutions:
        domains = [d for d in ctx.domains if ("institution_domain", inst.id, d.id) in ctx.index]
        data = {
            "unit": inst,
            "sections": _unit_sections(ctx, inst.name, "benchmark_national", "institution", inst),
            "domains": [Link(d.name, institution_domain_path(inst, d)) for d in domains],
        }
        pages.append(Page(institution_path(inst), "instelling.md.j2", inst.name, data=data))
        pages += [_institution_domain_page(ctx, inst, dom) for dom in domains]
    return pages


def _institution_domain_page(ctx: _Context, inst: Unit, dom: Unit) -> Page:
    name = f"{inst.name} – {dom.name}"
    data = {
        "unit": inst,
        "domain": dom,
        "institution_link": Link(inst.name, institution_path(inst)),
        "domain_link": Link(dom.name, domain_path(dom)),
        "sections": _unit_sections(ctx, name, "benchmark_domain", "institution_domain", inst, dom),
    }
    path = institution_domain_path(inst, dom)
    return Page(path, "instelling_domein.md.j2", name, search_exclude=True, data=data)


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
            caption = _fill(ctx.w["captions"]["institutions_in_domain"], domain=dom.name, theme=theme.name)
            table = Table(caption, headers["institution"], columns, tuple(rows))
            sections.append(Section(theme.name, table, f"themas/{theme_slug(theme)}.md"))
    return sections


def _domain_pages(ctx: _Context) -> list[Page]:
    links = [Link(u.name, domain_path(u)) for u in ctx.domains]
    pages = [Page("domeinen/index.md", "domeinen.md.j2", ctx.w["nav"]["domeinen"], data={"domains": links})]
    for dom in ctx.domains:
        data = {
            "unit": dom,
            "sections": _unit_sections(ctx, dom.name, "benchmark_national", "domain", None, dom),
            "peers": _peer_sections(ctx, dom),
        }
        pages.append(Page(domain_path(dom), "domein.md.j2", dom.name, data=data))
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
    caption = _fill(ctx.w["captions"]["theme"], theme=theme.name, edition=ctx.inputs.config.edition)
    columns = _columns(THEME_COLUMNS, headers)
    return Table(caption, headers["question"], columns, tuple(rows), False, ctx.unit_key("national"))


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
    ctx = _Context(inputs, index, institutions, domains, w)
    pages = [_home_page(ctx), _national_page(ctx)]
    pages += _institution_pages(ctx) + _domain_pages(ctx) + _theme_pages(ctx)
    pages += [verantwoording_page(ctx), Page("downloads.md", "downloads.md.j2", w["nav"]["downloads"])]
    return pages


def format_setting(value) -> str:
    """A config value as a visitor reads it; paths by name only, so no build machine leaks."""
    if isinstance(value, bool):
        return load_wording()["yes" if value else "no"]
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, Path):
        return value.name
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(format_setting(v) for v in value) or load_wording()["missing"]
    if isinstance(value, dict):
        return "; ".join(f"{k}: {format_setting(v)}" for k, v in value.items()) or load_wording()["missing"]
    return str(value)


def config_settings(model: BaseModel, prefix: str = "") -> list[tuple[str, str, str]]:
    """(key, value, Dutch description) for every leaf setting, walking nested models."""
    rows = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            rows += config_settings(value, f"{prefix}{name}.")
        else:
            rows.append((prefix + name, format_setting(value), info.description or ""))
    return rows


def _response_table(ctx: _Context) -> Table:
    w, response = ctx.w, ctx.inputs.response
    by_id = {str(r["institution_id"]): r for r in response.to_dict("records")} if len(response) else {}
    rows = []
    for inst in (i for i in ctx.institutions if i.id in by_id):
        r = by_id[inst.id]
        rate = 100 * r["respondents"] / r["population"] if not _isna(r["population"]) and r["population"] else None
        counts = [format_count(r[key]) for key in ("population", "respondents")]
        required = [format_count(r[key]) for key in ("netto", "bruto")]
        rows.append(Row(inst.name, False, cells=(*counts, format_value(rate, "pct_yes", w), *required)))
    columns = tuple(w["response_columns"].items())  # population, respondents, rate, netto, bruto
    return Table(w["captions"]["response"], w["columns"]["institution"], columns, tuple(rows))


def status_count_rows(counts: dict, edition: int, w: dict) -> tuple[list[str], list[tuple]]:
    """Counts per status, flat ({status: n}) or per edition ({year: {status: n}}), as table rows."""
    per_edition = counts if counts and all(isinstance(v, dict) for v in counts.values()) else {str(edition): counts}
    editions = sorted(per_edition, key=str)
    statuses = list(dict.fromkeys(k for year in editions for k in per_edition[year]))
    rows = [(w["status"].get(k, k), [format_count(per_edition[y].get(k, 0)) for y in editions]) for k in statuses]
    return [str(y) for y in editions], rows


def verantwoording_page(ctx: _Context) -> Page:
    """Method page: every setting, status counts and response, generated so none is forgotten."""
    config = ctx.inputs.config
    editions, counts = status_count_rows(ctx.inputs.summary.get("status_counts", {}), config.edition, ctx.w)
    data = {
        "settings": config_settings(config),
        "status_editions": editions,
        "status_counts": counts,
        "response": _response_table(ctx),
        "z": format_number(NormalDist().inv_cdf(1 - config.thresholds.alpha / 2), 2),
    }
    return Page("verantwoording.md", "verantwoording.md.j2", ctx.w["nav"]["verantwoording"], data=data)


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
    env.filters["setting"] = format_setting
    env.globals["td"] = Markup("</td><td>")  # joins a row's cells; each cell is still escaped
    env.globals["empty_cells"] = [Markup("<td></td>" * k) for k in range(32)]
    return env


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
    }
    written = []
    for page in specs:
        target = docs_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_page(page, common), encoding="utf-8")
        written.append(target)
    written += copy_content(CONTENT_DIR, docs_dir, {page.path for page in specs})
    return written

