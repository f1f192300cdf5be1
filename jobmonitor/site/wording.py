"""One place for words: every Dutch string a visitor reads comes from the YAML files in
`templates/words/` (site.yml, kaart.yml, gidsen.yml), validated when read and filled one way
(`fill`). Python holds no visitor text; page templates hold only their own page prose.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import get_args

import yaml
from markupsafe import Markup, escape

from jobmonitor.errors import InputError, Problem

REPO_DIR = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = REPO_DIR / "templates"
CONTENT_DIR = REPO_DIR / "content"
WORDS_DIR = TEMPLATES_DIR / "words"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text: str, **values) -> str:
    """Fill {placeholders} in one pass, so braces inside a value (a name) stay as they are.
    With a Markup value (an HTML fragment) the text is escaped first and Markup comes back."""
    if any(isinstance(v, Markup) for v in values.values()):
        values = {k: escape(v) for k, v in values.items()}
        return Markup(PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), str(escape(text))))
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def keyed_sections() -> dict[str, set[str]]:
    """Sections of site.yml whose keys are data (a marker, a status, a setting, a column),
    each with the exact set of keys it must have: checked on load and by the tests."""
    from jobmonitor.codebook import Scale  # noqa: PLC0415 (keeps this module light to import)
    from jobmonitor.config import Config, Thresholds, Weighting, setting_keys  # noqa: PLC0415
    from jobmonitor.results import PUBLIC_STATUSES, RESULT_COLUMNS  # noqa: PLC0415
    from jobmonitor.site.downloads import QUESTIONNAIRE_COLUMNS, SOURCE  # noqa: PLC0415

    return {
        "verdict": {"favourable", "unfavourable", "no_difference", "higher", "lower"},
        "change_verdict": {"improved", "worsened", "no_difference", "higher", "lower"},
        "measure_note": {"pct_positive", "pct_yes"},
        "status": set(PUBLIC_STATUSES),
        "multiple_testing": set(get_args(Thresholds.model_fields["multiple_testing"].annotation)),
        "weighting_cells": set(get_args(get_args(Weighting.model_fields["cells"].annotation)[0])),
        "scales": set(get_args(Scale)),
        "settings": set(setting_keys(Config)),
        "dictionary": set(RESULT_COLUMNS),
        "excel_headers": {*RESULT_COLUMNS, *QUESTIONNAIRE_COLUMNS, SOURCE},
    }


def _problems(tree, file: str, path: str = "") -> list[Problem]:
    """Every leaf must be text, a whole number or a list of texts; placeholders are {name}."""
    if isinstance(tree, dict):
        return [p for key, value in tree.items() for p in _problems(value, file, f"{path}.{key}".lstrip("."))]
    if isinstance(tree, list):
        return [p for k, value in enumerate(tree)
                for p in (_problems(value, file, f"{path}[{k}]") if isinstance(value, str)
                          else [Problem(file, None, f"{path}[{k}]", value, "a list may hold texts only")])]
    if isinstance(tree, bool) or not isinstance(tree, (str, int)):
        return [Problem(file, None, path, tree, "must be a text, a whole number or a list of texts")]
    if isinstance(tree, str) and tree.count("{") != len(PLACEHOLDER.findall(tree)):
        return [Problem(file, None, path, tree, "a '{' that is not a {placeholder}")]
    return []


def _section_problems(words: dict, file: str) -> list[Problem]:
    problems = []
    for section, expected in keyed_sections().items():
        found = set(words.get(section, {}) or {})
        problems += [Problem(file, None, f"{section}.{key}", None, "missing") for key in sorted(expected - found)]
        problems += [Problem(file, None, f"{section}.{key}", None, "not a known key") for key in sorted(found - expected)]
    return problems


@lru_cache(maxsize=4)
def load_words(name: str) -> dict:
    """One wording file of templates/words, validated; every problem names file and key."""
    path = WORDS_DIR / f"{name}.yml"
    try:
        words = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError([Problem(str(path), None, None, None, f"cannot read the wording: {exc}")]) from None
    if not isinstance(words, dict):
        raise InputError([Problem(str(path), None, None, None, "top level must be a mapping of keys")])
    problems = _problems(words, str(path)) + (_section_problems(words, str(path)) if name == "site" else [])
    if problems:
        raise InputError(problems, f"Fix the wording in {path.name} and build again.")
    return words


def load_wording() -> dict:
    """The site's wording (site.yml)."""
    return load_words("site")


def load_card_wording() -> dict:
    """Wording of the action cards and the links to them (kaart.yml)."""
    return load_words("kaart")


def site_name(config, w: dict) -> str:
    return fill(w["site_name"], title=config.title, edition=config.edition)


def notice(config_edition: int, w: dict) -> str:
    """JOB's ownership notice: the site's footer and the first thing in every download."""
    return fill(w["copyright"], edition=config_edition)
