"""The questionnaire (`questionnaire.yml`): themes, items, answer scales and the mapping to the
previous edition's item ids.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Scale = Literal["scale5", "yesno", "mark"]
# Whether a higher figure is good news: it turns a marker (+/−) into a verdict.
Direction = Literal["higher_better", "lower_better", "neutral"]
ThemeKind = Literal["jaarlijks", "tweejaarlijks", "module"]

# What each scale's valid answer codes are; 9 on a 5-point item means "n.v.t." (excluded).
VALID_CODES: dict[str, frozenset[int]] = {
    "scale5": frozenset({1, 2, 3, 4, 5, 9}),
    "yesno": frozenset({0, 1}),
    "mark": frozenset(range(1, 11)),
}
NOT_APPLICABLE = 9

# The measure each scale is published as.
MEASURE: dict[str, str] = {"scale5": "pct_positive", "yesno": "pct_yes", "mark": "mean"}
# Measures published as percentages (0–100); every other measure is a mean.
PCT_MEASURES = ("pct_positive", "pct_yes")



class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Theme(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    description: str
    kind: ThemeKind = "jaarlijks"


class Item(_Strict):
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    theme: str
    text: str
    scale: Scale
    module: str | None = None
    previous_id: str | None = None
    direction: Direction = "higher_better"
    comparable: bool = Field(
        True, description="False when wording or answer options changed since the previous edition."
    )

    @property
    def measure(self) -> str:
        return MEASURE[self.scale]


class Questionnaire(_Strict):
    edition: int
    themes: list[Theme]
    items: list[Item]

    @model_validator(mode="after")
    def _consistent(self) -> "Questionnaire":
        theme_ids = [t.id for t in self.themes]
        item_ids = [i.id for i in self.items]
        problems = []
        for ids, what in ((theme_ids, "theme"), (item_ids, "item")):
            dupes = sorted({x for x in ids if ids.count(x) > 1})
            if dupes:
                problems.append(f"duplicate {what} ids: {', '.join(dupes)}")
        overlap = sorted(set(theme_ids) & set(item_ids))
        if overlap:
            problems.append(f"ids used for both a theme and an item: {', '.join(overlap)}")
        known = set(theme_ids)
        for item in self.items:
            if item.theme not in known:
                problems.append(f"item {item.id}: unknown theme `{item.theme}`")
            if item.module is not None and item.module not in known:
                problems.append(f"item {item.id}: unknown module `{item.module}`")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def theme(self, theme_id: str) -> Theme:
        return next(t for t in self.themes if t.id == theme_id)

    def items_of(self, theme_id: str) -> list[Item]:
        return [i for i in self.items if i.theme == theme_id]

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)


# --- comparability between editions ----------------------------------------------------------

def theme_items(questionnaire: Questionnaire, theme_id: str) -> list[Item]:
    """The items a theme score averages: its 5-point items that have a good and a bad answer."""
    return [i for i in questionnaire.items_of(theme_id) if i.scale == "scale5" and i.direction != "neutral"]


# A theme score recomputed on the items comparable in two editions gets this suffix.
SHARED_SUFFIX = "__shared"


def shared_theme_items(current: Questionnaire, previous: Questionnaire) -> dict[str, list[tuple[str, str]]]:
    """Per theme in both editions: the (current id, previous id) pairs of its theme items that
    are comparable (mapped through previous_id, same scale and direction, not reworded)."""
    previous_items = {i.id: i for i in previous.items}
    shared = {}
    for theme in current.themes:
        before = {i.id for i in theme_items(previous, theme.id)}
        shared[theme.id] = [
            (item.id, item.previous_id) for item in theme_items(current, theme.id)
            if item.comparable and item.previous_id in before
            and previous_items[item.previous_id].scale == item.scale
            and previous_items[item.previous_id].direction == item.direction
        ]
    return {t: pairs for t, pairs in shared.items() if any(t == p.id for p in previous.themes)}


def partly_comparable(current: Questionnaire, previous: Questionnaire) -> dict[str, list[tuple[str, str]]]:
    """Themes whose comparable items are some but not all of their items in either edition:
    they are compared on a theme score recomputed on the shared items in both editions."""
    return {theme: pairs for theme, pairs in shared_theme_items(current, previous).items()
            if pairs and (len(pairs) != len(theme_items(current, theme)) or len(pairs) != len(theme_items(previous, theme)))}


def previous_item_map(current: Questionnaire, previous: Questionnaire) -> dict[str, str]:
    """Current var id → previous var id, for what may be compared: comparable items, a theme
    whose items are comparable in full, and for a theme comparable only in part its score
    recomputed on the shared items (`<theme>__shared`) in both editions. A theme with no
    shared item is not compared at all ("niet vergelijkbaar")."""
    previous_items = {i.id: i for i in previous.items}
    mapping = {
        item.id: item.previous_id
        for item in current.items
        if item.previous_id in previous_items
        and item.comparable
        and previous_items[item.previous_id].scale == item.scale
    }
    partly = partly_comparable(current, previous)
    for theme, pairs in shared_theme_items(current, previous).items():
        if pairs and theme not in partly:
            mapping[theme] = theme
        elif pairs:
            mapping[theme + SHARED_SUFFIX] = theme + SHARED_SUFFIX
    return mapping


# --- trends over every edition ----------------------------------------------------------------

# A theme score recomputed on the items comparable across every edition present gets this suffix.
TREND_SUFFIX = "__trend"


def _comparable_step(item: Item, previous: Questionnaire) -> Item | None:
    """The item's predecessor in the previous edition when the two may be compared."""
    if not item.comparable or item.previous_id is None:
        return None
    before = next((i for i in previous.items if i.id == item.previous_id), None)
    if before is None or before.scale != item.scale or before.direction != item.direction:
        return None
    return before


def item_chain(item: Item, questionnaires: list[Questionnaire]) -> list[Item]:
    """The item and its comparable predecessors, newest first, as far back as the chain of
    `previous_id`s holds (`questionnaires` oldest first, the item's own edition last)."""
    chain = [item]
    for previous in reversed(questionnaires[:-1]):
        before = _comparable_step(chain[-1], previous)
        if before is None:
            break
        chain.append(before)
    return chain


def trend_items(questionnaires: list[Questionnaire]) -> dict[str, tuple[str, dict[int, list[str]]]]:
    """Per theme of the newest edition: the var its trend line draws and, per edition, the item
    ids behind it. The theme score itself where the theme held exactly its chain-comparable
    items in every edition; else a score recomputed on those items in every edition
    (`<theme>__trend`, labelled so); no trend where no item is comparable all the way back.
    `questionnaires` oldest first; with one edition there is no trend."""
    if len(questionnaires) < 2:
        return {}
    current = questionnaires[-1]
    out = {}
    for theme in current.themes:
        chains = [item_chain(item, questionnaires) for item in theme_items(current, theme.id)]
        chains = [c for c in chains if len(c) == len(questionnaires)]
        if not chains:
            continue
        per_year = {q.edition: [c[len(questionnaires) - 1 - k].id for c in chains] for k, q in enumerate(questionnaires)}
        whole = all(sorted(per_year[q.edition]) == sorted(i.id for i in theme_items(q, theme.id))
                    for q in questionnaires)
        out[theme.id] = (theme.id, per_year) if whole else (theme.id + TREND_SUFFIX, per_year)
    return out


def item_comparability(item: Item, questionnaires: list[Questionnaire]) -> int | None:
    """The oldest edition the item's figure compares with (None: new in its own edition, or not
    comparable with the one before)."""
    chain = item_chain(item, questionnaires)
    return questionnaires[-len(chain)].edition if len(chain) > 1 else None
