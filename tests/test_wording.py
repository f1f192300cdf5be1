"""One place for words: every visitor string in templates/words, validated when read, filled
one way, no visitor text in Python, and no wording key that nothing uses."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest
import yaml
from markupsafe import Markup

from jobmonitor.errors import InputError
from jobmonitor.site import wording
from jobmonitor.site.wording import fill, keyed_sections, load_words

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "jobmonitor"
# Words that mark a string as Dutch prose. English code strings, log messages and errors use none
# of them; single identifiers (template names, URL paths such as "aan-de-slag") are not prose.
DUTCH_WORDS = {
    "de", "het", "een", "van", "niet", "zijn", "voor", "met", "naar", "wordt", "deze", "dit", "geen", "bij",
    "ook", "dat", "wat", "hoe", "alle", "naam", "jaar", "aantal", "onbekend", "gepubliceerd", "respondenten",
    "instelling", "instellingen", "landelijk", "vraag", "vragen", "uitkomst", "leeg", "als", "uit", "ja", "nee",
    "hoger", "lager", "verschil", "thema", "geïnstalleerd", "bron",
}
# The demo generator writes invented input data (question texts, institution names), not site text.
NOT_VISITOR_TEXT = ("demo.py", "demo_texts.py")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            found.add(id(body[0].value))
    return found


def dutch_strings(source: str) -> list[tuple[int, str]]:
    """String constants (not docstrings) that read as Dutch prose."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            words = re.findall(r"[a-zà-ÿ]+", node.value.lower())
            if " " in node.value.strip() and DUTCH_WORDS & set(words):
                found.append((node.lineno, node.value))
    return found


def test_the_dutch_detector_can_fail():
    assert dutch_strings('x = "Naam van de instelling."') == [(1, "Naam van de instelling.")]
    assert dutch_strings('def f():\n    """Naam van de site."""\n    return "aan-de-slag/index.md"\n') == []


def test_no_visitor_text_in_python():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name not in NOT_VISITOR_TEXT:
            offenders += [f"{path.relative_to(ROOT)}:{line}: {text!r}" for line, text in dutch_strings(path.read_text())]
    assert offenders == []


def _leaf_paths(tree, path=()) -> list[tuple[str, ...]]:
    if isinstance(tree, dict):
        return [p for key, value in tree.items() for p in _leaf_paths(value, (*path, str(key)))]
    return [path]


def _sources() -> str:
    files = list((ROOT / "templates").rglob("*.j2")) + [p for p in PACKAGE.rglob("*.py")]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def _referenced(key: str, sources: str) -> bool:
    """`w.key`, `w["key"]`, `k.key` … or the key as a string literal (e.g. passed to a helper)."""
    return re.search(rf"""(\.{re.escape(key)}\b|\[["']{re.escape(key)}["']\]|["']{re.escape(key)}["'])""", sources) is not None


@pytest.mark.parametrize("name", ["site", "kaart", "rapport", "databestand"])
def test_every_wording_key_is_used(name):
    """A key nobody reads is a text nobody sees: delete it, or use it. Keys of sections keyed
    by data (markers, statuses, settings, columns) are checked against their domain instead."""
    keyed = keyed_sections() if name == "site" else {}
    sources = _sources()
    unused = []
    for path in _leaf_paths(load_words(name)):
        if path[0] in keyed:
            continue
        if not all(_referenced(part, sources) for part in path if not part.isdigit()):
            unused.append(".".join(path))
    assert unused == []


def test_keyed_sections_hold_exactly_their_keys():
    words = load_words("site")
    for section, expected in keyed_sections().items():
        assert set(words[section]) == expected, section


@pytest.fixture()
def words_copy(tmp_path, monkeypatch):
    """A writable copy of templates/words that load_words reads instead of the real one."""
    folder = tmp_path / "words"
    shutil.copytree(wording.WORDS_DIR, folder)
    monkeypatch.setattr(wording, "WORDS_DIR", folder)
    load_words.cache_clear()
    yield folder
    load_words.cache_clear()


def test_broken_wording_is_refused_naming_file_and_key(words_copy):
    path = words_copy / "site.yml"
    words = yaml.safe_load(path.read_text(encoding="utf-8"))
    del words["verdict"]["favourable"]
    words["settings"]["thresholds.min_m"] = "Een sleutel die niet bestaat."
    words["suppressed"] = ["te weinig", {"nested": 1}]
    words["indicative"] = "indicatief {niet afgesloten"
    path.write_text(yaml.safe_dump(words, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_words("site")
    message = str(error.value)
    assert "site.yml" in message
    for key in ("verdict.favourable", "settings.thresholds.min_m", "suppressed[1]", "indicative"):
        assert key in message, key


def test_fill_replaces_named_placeholders_and_leaves_others():
    """Captions are filled by name; unknown placeholders stay visible so a template test
    can spot them, and numbers are accepted as values."""
    assert fill("{n} studenten bij {school}", n=12, school="ROC A") == "12 studenten bij ROC A"
    assert fill("{n} van {total}", n=3) == "3 van {total}"


@pytest.mark.parametrize("name", ["Stichting {Praktijk}", "a {b} c", "{", "}{", "{0}", "{name!r:>5}"])
def test_fill_keeps_braces_in_values_literal(name):
    """Names come from the data: braces in them must be printed as they are, not crash or be
    treated as a placeholder the way str.format would."""
    assert fill("Resultaten van {name}.", name=name) == f"Resultaten van {name}."


def test_fill_does_not_fill_placeholders_that_come_from_a_value():
    """A name such as "Opleiding {year}" must stay literal even when the caption itself has a
    {year} placeholder: values are inserted, never re-read as template text."""
    assert fill("{name} in {year}", name="Opleiding {year}", year=2026) == "Opleiding {year} in 2026"


def test_fill_with_markup_escapes_the_text_once():
    filled = fill("Bij {themes} & meer", themes=Markup("<em>A</em> &amp; B"))
    assert isinstance(filled, Markup)
    assert str(filled) == "Bij <em>A</em> &amp; B &amp; meer"
