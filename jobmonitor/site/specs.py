"""Page specs: plain frozen records holding formatted Dutch strings, built from the results
table and rendered by the jinja2 templates. Nothing here computes or formats anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    note: str = ""  # beside the question: what its figure counts, "lager is beter"
    distribution: str = ""  # markup under the question: its answer distribution


@dataclass(frozen=True)
class Table:
    caption: str
    row_header: str
    columns: tuple[tuple[str, str], ...]  # (cell key, column header)
    rows: tuple[Row, ...]
    search_exclude: bool = True
    unit: str = ""  # "level|institution_id|domain_id" when all rows are one unit (`table[data-unit]`)
    id: str = ""  # HTML id, unique on its page; a chart's text alternative links to it

    @property
    def has_indicative(self) -> bool:
        return any(row.indicative for row in self.rows)


@dataclass(frozen=True)
class MatrixCell:
    text: str  # the figure with its verdict sign, or the words for a hidden cell
    unit: str  # `data-unit` of the cell's unit, for the release scan
    item: str  # `data-item`: the theme id
    hidden: bool = False
    verdict: str = ""  # favourable / unfavourable / …, for the cell's class


@dataclass(frozen=True)
class Matrix:
    """Institutions × themes of one domain: one line per institution, alphabetical, never ranked."""

    caption: str
    row_header: str
    columns: tuple[tuple[str, str], ...]  # (theme id, theme name)
    rows: tuple[tuple[Link, tuple[MatrixCell, ...]], ...]


@dataclass(frozen=True)
class Section:
    heading: str
    table: Table
    target: str | None = None  # the theme page, linked under the heading
    figure: object | None = None  # jobmonitor.site.charts.Figure drawn above the table, if any
    collapsed: str = ""  # every row hidden: this one line (with the benchmark) instead of the table


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    title: str
    search_exclude: bool = False
    data: dict = field(default_factory=dict)
    hide: tuple[str, ...] = ()  # mkdocs-material front matter `hide` (e.g. "toc")
    search_boost: float | None = None  # ranks the page above pages that only mention its title
    unit: str = ""  # the unit the page is about (`<meta name="job-unit">`, for the release scan)


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    slug: str
    place: str = ""
