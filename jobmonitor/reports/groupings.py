"""The groupings an institution report breaks its respondents down by: the standard ones the
input has (leerweg, niveau, domain; voltijd/deeltijd and opleiding when present) and the
institution's own analysis labels.

Every grouping partitions the institution's respondents completely (a respondent without a value
is in an explicit "unknown" group), so each table's groups add up to the institution total, which
the audit relies on. Values with fewer than min_n respondents, or beyond the most values a table
may have, are merged into one "other" group and said so: a group that would only ever be hidden
costs a second hidden group in every question and tells nobody anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jobmonitor.compute.load import Edition
from jobmonitor.reports.labels import DEFAULT_GROUPINGS, LABEL_COLUMNS, STANDARD_GROUPINGS, Labels
from jobmonitor.site.wording import fill

OTHER = "__overig__"  # the group value of merged values
# Groupings the national benchmark file also gives: never merged, their pattern is protected
# across every institution (`pooled`).
POOLED_GROUPINGS = ("leerweg", "niveau", "voltijd")
UNKNOWN = "__onbekend__"  # the group value of respondents without one


@dataclass(frozen=True)
class Grouping:
    id: str  # leerweg, niveau, domain, voltijd, opleiding, label_1 …
    name: str  # what the report calls it (Dutch)
    values: np.ndarray  # per respondent of the institution: its group value (object)
    order: tuple[str, ...]  # group values in report order
    names: dict[str, str]  # group value → what the report shows
    merged: tuple[str, ...] = ()  # values merged into OTHER
    public: bool = False  # the domain: its hidden pattern is the public site's


def institution_groupings(edition: Edition, rows: np.ndarray, institution_id: str | None, labels: Labels | None,
                          min_n: int, max_values: int, words: dict,
                          standard: tuple[str, ...] = DEFAULT_GROUPINGS) -> list[Grouping]:
    """The report's groupings for one institution (`rows`: its respondents' positions; no
    institution: the national benchmark, over every respondent)."""
    responses = edition.responses.iloc[rows]
    chosen = labels.standard.get(institution_id, standard) if labels else standard
    domain_names = edition.domains.set_index("domain_id")["name"].astype(str).to_dict()
    found = [_grouping("domain", words["groupings"]["domain"], responses["domain_id"].astype(str).to_numpy(object),
                       domain_names, min_n, max_values, words, merge=False, public=True)]
    for column in (c for c in STANDARD_GROUPINGS if c in chosen and c in responses.columns):
        values = responses[column].astype("string").to_numpy(object, na_value=None)
        shown = {v: (fill(words["niveau_value"], niveau=v) if column == "niveau" else v)
                 for v in pd.unique(values[pd.notna(values)]).astype(str)}
        found.append(_grouping(column, words["groupings"][column], values, shown, min_n, max_values, words,
                               merge=column not in POOLED_GROUPINGS))
    if labels is not None:
        own = labels.definitions.get(institution_id, {})
        frame = labels.frame.set_index("respondent_id")
        ids = responses["respondent_id"].astype(str)
        for column in (c for c in LABEL_COLUMNS if c in own and c in frame.columns):
            given = ids.map(frame[column]).astype("string").str.strip()
            values = given.mask(given == "").to_numpy(object, na_value=None)
            definition = own[column]
            found.append(_grouping(column, definition.name, values, {v: v for v in definition.values},
                                   min_n, max_values, words, declared=tuple(definition.values)))
    return found


def _grouping(gid: str, name: str, values: np.ndarray, names: dict[str, str], min_n: int, max_values: int,
              words: dict, merge: bool = True, public: bool = False, declared: tuple[str, ...] = ()) -> Grouping:
    values = pd.Series(values, dtype=object)
    values = values.where(values.notna(), UNKNOWN).astype(str).to_numpy(object)
    counts = pd.Series(values).value_counts()
    candidates = declared or sorted((set(names) | set(counts.index)) - {UNKNOWN}, key=_natural)
    known = [v for v in candidates if v in counts.index]
    merged: list[str] = []
    if merge:
        small = [v for v in known if counts[v] < min_n]
        by_size = sorted((v for v in known if v not in small), key=lambda v: (-counts[v], v))
        room = max_values - 1 if len(known) - len(small) > max_values else len(by_size)
        merged = sorted(set(small) | set(by_size[room:]), key=known.index)
    if merged:
        values = np.where(np.isin(values, merged), OTHER, values)
    order = tuple(v for v in known if v not in merged) + ((OTHER,) if merged else ()) + \
        ((UNKNOWN,) if (values == UNKNOWN).any() else ())
    shown = {v: names.get(v, v) for v in order} | {OTHER: words["other_group"], UNKNOWN: words["unknown_group"]}
    return Grouping(gid, name, values, order, {v: shown[v] for v in order}, tuple(merged), public)


def _natural(value: str):
    """Niveau 1 < 2 < 10; names alphabetically."""
    return (0, int(value), "") if value.isdigit() else (1, 0, value.casefold())
