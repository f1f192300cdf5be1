"""Action guides for student councils ("Aan de slag"): a start page, a reading guide, a guide per
theme and a printable action card per institution (and per institution × domain).

Building (published results → page specs) is kept apart from rendering (jinja2 templates in
`templates/aan-de-slag/`). Guide wording lives in `templates/words/gidsen.yml`, card wording
in `templates/words/kaart.yml`; this module only picks rows, formats numbers and links.

How a card chooses its content (it never ranks):
- strengths and points of attention: only rows (items and theme scores) whose verdict is
  "gunstiger" or "ongunstiger": a marker, i.e. significant AND relevant, read after the question's
  direction from the questionnaire (e.g. "Ben je gepest?": lower is better), so an unfavourable
  result is never listed as a strength; neutral questions go to a list of their own. Results
  that meet the required response come first, then indicative ones (labelled); within each, the
  questionnaire order (themes in order, the theme score first, then its items), never the size
  of the difference.
- changes: only rows with change marker ▲/▼, worded "verbeterd"/"verslechterd", in the same order.
- caution: the names of themes with indicative or suppressed rows at this unit, in words. A
  suppressed row has no values in the published view, and the card prints nothing of it.
- questions: for each theme with a point of attention, the first questions of its guide.
- the lists are capped (kaart.yml `limits`: rows per list and in total, question themes) so the
  card fits one A4 page; the rest is counted and the card points to the unit's results page.
- an institution × domain card exists only when that cell has at least one marker (+/−) or change
  marker (▲/▼): a card saying "nothing stands out" for every small cell would bury the useful ones.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jobmonitor.codebook import Questionnaire, Theme
from jobmonitor.errors import InputError, Problem
from jobmonitor.results import SUPPRESSED, Record, UnitKey
from jobmonitor.site.context import SiteContext
from jobmonitor.site.formatting import change_text, format_difference, format_interval, format_value, isna, verdict_text
from jobmonitor.site.paths import (
    GUIDES_READING,
    GUIDES_START,
    card_path,
    guide_path,
    institution_domain_path,
    institution_path,
    theme_path,
)
from jobmonitor.site.render import page_url
from jobmonitor.site.specs import Link, Page, Unit
from jobmonitor.site.wording import WORDS_DIR, fill

GUIDES_FILE = WORDS_DIR / "gidsen.yml"
CARD_LEVELS = ("institution", "institution_domain")


# ---------------------------------------------------------------- guide wording (gidsen.yml)

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GuideText(_Strict):
    measures: str = Field(min_length=1)
    questions: list[str] = Field(min_length=3, max_length=5)
    actions: list[str] = Field(min_length=2, max_length=4)
    follow_up: str = Field(min_length=1)

    def filled(self, theme: Theme) -> GuideText:
        """{theme} and {description} replaced, so the default guide names the theme it serves."""
        def named(text: str) -> str:
            return " ".join(fill(text, theme=theme.name, description=theme.description).split())
        return GuideText(measures=named(self.measures), questions=[named(q) for q in self.questions],
                         actions=[named(a) for a in self.actions], follow_up=named(self.follow_up))


class GuideBook(_Strict):
    default: GuideText
    themes: dict[str, GuideText] = {}

    def guide(self, theme: Theme) -> GuideText:
        return self.themes.get(theme.id, self.default).filled(theme)


def load_guide_book(path: Path = GUIDES_FILE) -> GuideBook:
    """gidsen.yml, validated; every problem is named with its key path."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    try:
        return GuideBook.model_validate(raw)
    except ValidationError as error:
        problems = [Problem(Path(path).name, None, ".".join(str(p) for p in e["loc"]), None, e["msg"])
                    for e in error.errors()]
        raise InputError(problems, "Fix the guide texts in gidsen.yml and build again.") from None


# ---------------------------------------------------------------- specs

@dataclass(frozen=True)
class CardRow:
    item: str  # item or theme id (`tr[data-item]`, for the release audit)
    theme: str
    label: str
    value: str
    interval: str
    benchmark: str
    difference: str
    marker: str
    previous: str
    change: str
    change_marker: str
    indicative: bool
    lower_is_better: bool


@dataclass(frozen=True)
class CardList:
    rows: tuple[CardRow, ...] = ()
    more: int = 0  # rows left out to fit the page


@dataclass(frozen=True)
class GuideQuestions:
    theme: str
    guide: str  # docs path of the theme guide
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Caution:
    indicative: tuple[str, ...] = ()  # theme names
    all_indicative: bool = False
    suppressed_all: tuple[str, ...] = ()
    suppressed_some: tuple[str, ...] = ()


@dataclass(frozen=True)
class Card:
    level: str
    unit: str  # display name
    unit_key: str  # `table[data-unit]`
    results_page: str
    online_url: str
    strengths: CardList
    weaknesses: CardList
    different: CardList
    changes: CardList
    questions: tuple[GuideQuestions, ...]
    other_question_themes: tuple[Link, ...]
    caution: Caution
    domain_cards: tuple[Link, ...] = ()
    institution_card: str | None = None

    @property
    def nothing_significant(self) -> bool:
        lists = (self.strengths, self.weaknesses, self.different, self.changes)
        return not any(part.rows or part.more for part in lists)


class Position(NamedTuple):
    theme_index: int
    item_index: int  # 0 for the theme score
    theme: Theme
    label: str


def question_order(questionnaire: Questionnaire, theme_score_label: str) -> dict[str, Position]:
    """item or theme id → its place in the questionnaire (theme order, theme score first)."""
    order = {}
    for t, theme in enumerate(questionnaire.themes):
        order[theme.id] = Position(t, 0, theme, theme_score_label)
        for i, item in enumerate(questionnaire.items_of(theme.id), start=1):
            order[item.id] = Position(t, i, theme, item.text)
    return order


def _card_row(item_id: str, record: Record, label: str, theme: Theme, w: dict) -> CardRow:
    measure, prev = record.measure, record.previous_estimate
    return CardRow(
        item=item_id, theme=theme.name, label=label,
        value=format_value(record.estimate, measure, w),
        interval=format_interval(record.ci_low, record.ci_high, measure, w),
        benchmark=format_value(record.benchmark, measure, w),
        difference=format_difference(record.difference, measure, w),
        marker=verdict_text(record, w),
        previous=format_value(prev, measure, w),
        change=format_difference(record.change, measure, w) if not isna(prev) else w["missing"],
        change_marker=change_text(record, w),
        indicative=record.status == "indicative", lower_is_better=record.direction == "lower_better",
    )


def row_budget(lengths: list[int], per_list: int, total: int) -> list[int]:
    """How many rows each list may show: at most `per_list` each and `total` together; a longer
    list gives up a row first (the later one on a tie), so every list keeps a fair share."""
    shown = [min(n, per_list) for n in lengths]
    while sum(shown) > total:
        longest = max(range(len(shown)), key=lambda i: (shown[i], i))
        shown[longest] -= 1
    return shown


def _capped(rows: list[CardRow], limit: int) -> CardList:
    return CardList(tuple(rows[:limit]), max(0, len(rows) - limit))


def significant_rows(records: dict[str, Record], order: dict[str, Position], book: GuideBook,
                     w: dict) -> dict[str, list[CardRow]]:
    """Rows with a marker or change marker, in questionnaire order, split by what they mean."""
    found: dict[str, list[tuple]] = {"strengths": [], "weaknesses": [], "different": [], "changes": []}
    for item_id, record in records.items():
        if record.status in SUPPRESSED or item_id not in order:
            continue  # suppressed rows carry no values; unknown ids have no place in the order
        marker, change = record.marker, record.change_marker
        if not marker and not change:
            continue
        pos = order[item_id]
        row = _card_row(item_id, record, pos.label, pos.theme, w)
        place = (row.indicative, pos.theme_index, pos.item_index)
        if marker:
            found[MARKER_LISTS[record.verdict]].append((*place, row))
        if change:
            found["changes"].append((*place, row))
    # Required response met first, then indicative; within each the questionnaire order, never
    # the size of a difference.
    return {key: [r for *_, r in sorted(rows, key=lambda x: x[:3])] for key, rows in found.items()}


# Which list of a card a marked row belongs to, by its verdict.
MARKER_LISTS = {"favourable": "strengths", "unfavourable": "weaknesses", "higher": "different", "lower": "different"}


def caution_for(records: dict[str, Record], order: dict[str, Position]) -> Caution:
    """Themes (questionnaire order) with indicative or suppressed rows at this unit."""
    statuses: dict[str, list[str]] = {}
    themes: dict[str, tuple[int, Theme]] = {}
    for item_id, record in records.items():
        if item_id in order:
            pos = order[item_id]
            statuses.setdefault(pos.theme.id, []).append(record.status)
            themes[pos.theme.id] = (pos.theme_index, pos.theme)
    ordered = [themes[key][1] for key in sorted(themes, key=lambda key: themes[key][0])]
    suppressed_all = tuple(t.name for t in ordered if all(s in SUPPRESSED for s in statuses[t.id]))
    suppressed_some = tuple(t.name for t in ordered if t.name not in suppressed_all
                            and any(s in SUPPRESSED for s in statuses[t.id]))
    indicative = tuple(t.name for t in ordered if "indicative" in statuses[t.id])
    shown = [s for t in ordered for s in statuses[t.id] if s not in SUPPRESSED]
    all_indicative = bool(shown) and all(s == "indicative" for s in shown)
    return Caution(() if all_indicative else indicative, all_indicative, suppressed_all, suppressed_some)


def questions_for(weaknesses: list[CardRow], questionnaire: Questionnaire, book: GuideBook,
                  limits: dict) -> tuple[tuple[GuideQuestions, ...], tuple[Link, ...]]:
    """For each theme with a point of attention (questionnaire order) its guide's first questions."""
    names = list(dict.fromkeys(row.theme for row in weaknesses))
    themes = [t for name in names for t in questionnaire.themes if t.name == name]
    shown, rest = themes[: limits["question_themes"]], themes[limits["question_themes"]:]
    blocks = tuple(
        GuideQuestions(t.name, guide_path(t), tuple(book.guide(t).questions[: limits["questions_per_theme"]]))
        for t in shown
    )
    return blocks, tuple(Link(t.name, guide_path(t)) for t in rest)


@dataclass(frozen=True)
class _CardContext:
    site: SiteContext
    book: GuideBook
    order: dict[str, Position]
    limits: dict


def build_card(ctx: _CardContext, records: dict[str, Record], level: str, inst: Unit, dom: Unit | None) -> Card:
    found = significant_rows(records, ctx.order, ctx.book, ctx.site.w)
    lists = ("strengths", "weaknesses", "different", "changes")
    budget = row_budget([len(found[key]) for key in lists], ctx.limits["rows"], ctx.limits["rows_total"])
    capped = {key: _capped(found[key], limit) for key, limit in zip(lists, budget)}
    questions, other = questions_for(found["weaknesses"], ctx.site.inputs.questionnaire, ctx.book, ctx.limits)
    results_page = institution_path(inst) if dom is None else institution_domain_path(inst, dom)
    path = card_path(inst, dom)
    return Card(
        level=level, unit=inst.name if dom is None else f"{inst.name} – {dom.name}",
        unit_key=UnitKey(level, inst.id, dom.id if dom else None).attr, results_page=results_page,
        online_url=ctx.site.inputs.config.base_url.rstrip("/") + "/" + page_url(path),
        strengths=capped["strengths"], weaknesses=capped["weaknesses"], different=capped["different"],
        changes=capped["changes"],
        questions=questions, other_question_themes=other, caution=caution_for(records, ctx.order),
        institution_card=card_path(inst) if dom is not None else None,
    )


def has_markers(records: dict[str, Record]) -> bool:
    """An institution × domain cell gets a card only when something in it is significant."""
    return any(r.status not in SUPPRESSED and (r.marker or r.change_marker) for r in records.values())


def card_pages(site: SiteContext, book: GuideBook) -> list[Page]:
    """One card per institution, followed by its domain cards."""
    k = site.k
    ctx = _CardContext(site, book, question_order(site.inputs.questionnaire, site.w["theme_score"]), k["limits"])
    index = site.inputs.index
    pages = []
    for inst in site.institutions:
        domain_pages = []
        for dom in site.domains:
            cell = index.get(UnitKey("institution_domain", inst.id, dom.id), {})
            if has_markers(cell):
                card = build_card(ctx, cell, "institution_domain", inst, dom)
                domain_pages.append(_card_page(card, k, inst, dom))
        card = build_card(ctx, index.get(UnitKey("institution", inst.id), {}), "institution", inst, None)
        card = replace(card, domain_cards=tuple(Link(p.data["domain"].name, p.path) for p in domain_pages))
        pages += [_card_page(card, k, inst, None), *domain_pages]
    return pages


def _card_page(card: Card, k: dict, inst: Unit, dom: Unit | None) -> Page:
    title = fill(k["titles"]["card"], unit=card.unit)
    return Page(card_path(inst, dom), "aan-de-slag/kaart.md.j2", title,
                data={"card": card, "institution": inst, "domain": dom})


def guide_pages(site: SiteContext, book: GuideBook) -> list[Page]:
    """A guide per theme of the questionnaire, linking back to its theme page."""
    pages = []
    for theme in site.inputs.questionnaire.themes:
        title = fill(site.k["titles"]["guide"], theme=theme.name)
        data = {"theme": theme, "guide": book.guide(theme), "theme_page": theme_path(theme)}
        pages.append(Page(guide_path(theme), "aan-de-slag/gids.md.j2", title, data=data))
    return pages


def build_guide_specs(site: SiteContext, book: GuideBook | None = None) -> list[Page]:
    """Every "Aan de slag" page as a plain spec: start page, reading guide, guides and cards."""
    book = book or load_guide_book()
    guides = guide_pages(site, book)
    cards = card_pages(site, book)
    themes = site.inputs.questionnaire.themes
    start = {
        "themes": [Link(t.name, guide_path(t)) for t in themes if t.kind != "module"],
        "modules": [Link(t.name, guide_path(t)) for t in themes if t.kind == "module"],
        "cards": [Link(p.data["institution"].name, p.path, p.data["institution"].place)
                  for p in cards if p.data["domain"] is None],
    }
    pages = [Page(GUIDES_START, "aan-de-slag/index.md.j2", site.w["nav"]["aan_de_slag"], data=start),
             Page(GUIDES_READING, "aan-de-slag/resultaten-lezen.md.j2", site.k["titles"]["reading"])]
    return pages + guides + cards
