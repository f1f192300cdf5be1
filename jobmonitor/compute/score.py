"""Score every respondent on every item and theme: one float32 matrix, NaN where excluded.

Positive on a 5-point item is 4 or 5 ("n.v.t." = 9 and empty answers are excluded); yes/no
items count ja; report marks keep their value. A theme score is the mean of the respondent's
answered 5-point items in the theme, and only exists when at least half of them were answered; a
lower-is-better item counts reversed (6 − x) so a higher theme score is always better news, and
a neutral item (no good or bad answer) is not part of a theme score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from jobmonitor.codebook import NOT_APPLICABLE, Questionnaire, theme_items
from jobmonitor.compute.load import Edition
from jobmonitor.config import Weighting
from jobmonitor.compute.weights import WeightingReport, respondent_weights


@dataclass(frozen=True)
class Scores:
    year: int
    var_ids: list[str]  # item ids, then theme ids
    kinds: list[str]  # "item" / "theme"
    measures: list[str]  # pct_positive / pct_yes / mean
    directions: list[str]  # higher_better / lower_better / neutral (themes: higher_better)
    values: np.ndarray  # respondents × vars, float32, NaN = not counted
    weights: np.ndarray  # respondents, float64
    institution_code: np.ndarray  # respondents, int32, index into institution_ids
    domain_code: np.ndarray  # respondents, int32, index into domain_ids
    institution_ids: list[str]
    domain_ids: list[str]
    weighting: str
    weighting_report: WeightingReport = field(default_factory=WeightingReport)


def item_scores(codes: np.ndarray, scale: str) -> np.ndarray:
    """One item's answer codes → the value counted in its estimate (NaN = excluded)."""
    if scale == "scale5":
        # 4–5 → 1, 1–3 → 0; n.v.t. (9) and empty → NaN.
        return np.where((codes == NOT_APPLICABLE) | np.isnan(codes), np.float32(np.nan), (codes >= 4).astype("float32"))
    return codes


def theme_scores(answers: np.ndarray) -> np.ndarray:
    """Mean of answered 1–5 answers per respondent; NaN unless at least half answered."""
    answered = ~np.isnan(answers)
    count = answered.sum(axis=1)
    total = np.where(answered, answers, 0).sum(axis=1, dtype="float64")
    enough = count * 2 >= answers.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        score = total / count
    return np.where(enough & (count > 0), score, np.nan).astype("float32")


def scored_themes(questionnaire: Questionnaire) -> list[str]:
    """Themes that get a theme score: those with at least one item to average."""
    return [t.id for t in questionnaire.themes if theme_items(questionnaire, t.id)]


def _theme_column(edition: Edition, members: list, position: dict[str, int]) -> np.ndarray:
    answers = edition.answers[:, [position[i.id] for i in members]]
    answers[answers == NOT_APPLICABLE] = np.nan
    reverse = np.array([i.direction == "lower_better" for i in members])
    answers[:, reverse] = 6 - answers[:, reverse]  # NaN stays NaN
    return theme_scores(answers)


def score_edition(edition: Edition, weighting: Weighting, extra: dict[str, list[str]] | None = None) -> Scores:
    """Every respondent's scores; `extra` adds theme scores on given item ids only (var id →
    item ids): `<theme>__shared` to compare a partly comparable theme with the previous
    edition, `<theme>__trend` for its trend over every edition."""
    questionnaire = edition.questionnaire
    responses = edition.responses
    items = questionnaire.items
    position = {item.id: j for j, item in enumerate(items)}
    members = {t: theme_items(questionnaire, t) for t in scored_themes(questionnaire)}
    members |= {var: [questionnaire.item(i) for i in ids] for var, ids in (extra or {}).items()}
    themes = list(members)
    # Column-major: every stage reads and writes one var (column) at a time.
    values = np.empty((len(responses), len(items) + len(themes)), dtype="float32", order="F")
    for j, item in enumerate(items):
        values[:, j] = item_scores(edition.answers[:, j], item.scale)
    for k, theme_id in enumerate(themes):
        values[:, len(items) + k] = _theme_column(edition, members[theme_id], position)
    weights, weighting, report = respondent_weights(responses, edition.population, weighting.cells,
                                                    min_cell=weighting.min_cell, trim_factor=weighting.trim_factor)
    return Scores(
        year=edition.year,
        var_ids=[i.id for i in items] + themes,
        kinds=["item"] * len(items) + ["theme"] * len(themes),
        measures=[i.measure for i in items] + ["mean"] * len(themes),
        directions=[i.direction for i in items] + ["higher_better"] * len(themes),
        values=values,
        weights=weights,
        institution_code=responses["institution_id"].cat.codes.to_numpy().astype("int32"),
        domain_code=responses["domain_id"].cat.codes.to_numpy().astype("int32"),
        institution_ids=list(edition.institutions["institution_id"]),
        domain_ids=list(edition.domains["domain_id"]),
        weighting=weighting,
        weighting_report=report,
    )
