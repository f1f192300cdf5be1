"""The site context: what every page builder reads, computed once per build from the render
contract (units with their slugs, the wording, every published row's display strings)."""

from __future__ import annotations

from dataclasses import dataclass

from jobmonitor.codebook import partly_comparable, shared_theme_items, trend_items
from jobmonitor.results import SUPPRESSED, Record, SiteInputs, UnitKey
from jobmonitor.site.distribution import distribution_markup
from jobmonitor.site.formatting import Cells, format_cells, format_number
from jobmonitor.site.paths import site_units
from jobmonitor.site.specs import Unit
from jobmonitor.site.trend import comparability_note
from jobmonitor.site.wording import load_card_wording, load_wording


def formatted_index(index: dict[UnitKey, dict[str, Record]], w: dict) -> dict[UnitKey, dict[str, Cells]]:
    """The display strings of every published row, formatted once for every page that shows it."""
    return {key: {item: format_cells(record, w)._replace(distribution=distribution_markup(record, w))
                  for item, record in records.items()} for key, records in index.items()}


@dataclass(frozen=True)
class SiteContext:
    """What every page builder reads, computed once per build: the contract, the units with
    their slugs, the wording and the formatted rows."""

    inputs: SiteInputs
    institutions: list[Unit]
    domains: list[Unit]
    w: dict  # site wording
    k: dict  # action card wording
    cells: dict[UnitKey, dict[str, Cells]]  # display strings per unit and item
    theme_comparison: dict[str, tuple[str, int]] | None = None  # theme → ("full" | "shared" | "none", shared items)
    confidence: str = ""  # the confidence level as the pages print it ("95")
    history: dict[str, str] | None = None  # per item: how far back it compares ("nieuw in 2024")
    trend_lines: dict | None = None  # codebook.trend_items of every edition present

    def records(self, level: str, inst: Unit | None = None, dom: Unit | None = None) -> dict[str, Cells]:
        return self.cells.get(self.key(level, inst, dom), {})

    def points(self, level: str, inst: Unit | None = None, dom: Unit | None = None) -> dict[str, Record]:
        return self.points_of(self.key(level, inst, dom))

    def points_of(self, key: UnitKey) -> dict[str, Record]:
        """The unit's rows a chart may draw: published, with an estimate."""
        records = self.inputs.index.get(key, {})
        return {item: r for item, r in records.items() if r.status not in SUPPRESSED and r.estimate == r.estimate}

    @staticmethod
    def key(level: str, inst: Unit | None = None, dom: Unit | None = None) -> UnitKey:
        return UnitKey(level, inst.id if inst else None, dom.id if dom else None)

    def unit_key(self, level: str, inst: Unit | None = None, dom: Unit | None = None) -> str:
        return self.key(level, inst, dom).attr


def theme_comparison(inputs: SiteInputs) -> dict[str, tuple[str, int]] | None:
    """How each theme compares with the previous edition, when that edition's questionnaire is
    known: in full, on a recomputed score of its shared items, or not at all."""
    previous = inputs.edition(inputs.config.previous_edition) if inputs.config.previous_edition else None
    if previous is None:
        return None
    shared = shared_theme_items(inputs.questionnaire, previous.questionnaire)
    partly = partly_comparable(inputs.questionnaire, previous.questionnaire)
    return {t.id: ("shared", len(partly[t.id])) if t.id in partly else ("full" if shared.get(t.id) else "none", len(shared.get(t.id, [])))
            for t in inputs.questionnaire.themes}


def item_history(inputs: SiteInputs, w: dict) -> dict[str, str]:
    """Per item of the current edition: how far back it can be compared, where not all the way."""
    questionnaires = [e.questionnaire for e in inputs.editions]
    notes = {item.id: comparability_note(item, questionnaires, w) for item in inputs.questionnaire.items}
    return {item: note for item, note in notes.items() if note}


def site_context(inputs: SiteInputs) -> SiteContext:
    w = load_wording()
    institutions, domains = site_units(inputs)
    return SiteContext(inputs, institutions, domains, w, load_card_wording(), formatted_index(inputs.index, w),
                       theme_comparison(inputs), format_number(inputs.config.thresholds.confidence.percent, 0),
                       item_history(inputs, w), trend_items([e.questionnaire for e in inputs.editions]))
