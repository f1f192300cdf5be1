"""Reading a report PDF back for the tests (poppler's pdftotext and pdffonts, and the PDF's own
catalog): hyphenated words, words that run into each other or past the margin, the catalog's
entries, embedded fonts; and a report's document without its running text."""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from pathlib import Path

RIGHT_EDGE = 595.276 - 2 * 72 / 2.54  # A4 less the 2 cm right margin, in points


def _poppler(tool: str, pdf: bytes, *options: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        return subprocess.run([tool, *options, str(path), *(["-"] if tool == "pdftotext" else [])],
                              capture_output=True, check=True).stdout.decode("utf-8")


def hyphenated_words(pdf: bytes) -> list[str]:
    """Every word Typst split with a hyphen at a line end, as "ver­schil": pdftotext returns that
    hyphen as a soft hyphen (U+00AD) before the line break; a hyphen the text itself has (as in
    "Benjamini-Hochberg") stays a plain hyphen and is not counted."""
    text = _poppler("pdftotext", pdf)
    return [f"{head}\u00ad{tail}" for head, tail in re.findall(r"(\w+)\u00ad\s*\n\s*(\w*)", text)]


def words_with_boxes(pdf: bytes) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page its words as (x_min, y_min, x_max, y_max, text), from pdftotext -bbox."""
    out = _poppler("pdftotext", pdf, "-bbox")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [[(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in re.findall(pattern, page)]
            for page in out.split("<page ")[1:]]


def colliding_words(pdf: bytes, tolerance: float = 0.3) -> list[tuple[int, str, str]]:
    """Words on one line that overlap (a word too long for its column runs into the next one),
    and words past the right margin: (page, word, the word it runs into or "margin")."""
    found = []
    for number, words in enumerate(words_with_boxes(pdf), start=1):
        found += [(number, w[4], "margin") for w in words if w[2] > RIGHT_EDGE + tolerance]
        lines: dict[float, list] = {}
        for word in words:
            lines.setdefault(round(word[3], 1), []).append(word)  # same baseline, roughly: same bottom
        for line in lines.values():
            line.sort()
            found += [(number, a[4], b[4]) for a, b in zip(line, line[1:]) if a[2] > b[0] + tolerance]
    return found


def catalog(pdf: bytes) -> bytes:
    """The document catalog's dictionary (the object the trailer's /Root names), as written."""
    root = re.search(rb"/Root (\d+) 0 R", pdf[pdf.rindex(b"trailer"):]).group(1)
    return re.search(rb"\n" + root + rb" 0 obj\s*(<<.*?>>)\s*endobj", pdf, re.S).group(1)


def fonts_embedded(pdf: bytes) -> dict[str, bool]:
    """pdffonts: per font whether it is embedded (the column `emb`, fifth from the right)."""
    lines = _poppler("pdffonts", pdf).splitlines()
    return {line.split()[0]: line.split()[-5] == "yes" for line in lines[2:]}


def without_running_text(document: dict) -> dict:
    """The report's document with its running paragraphs emptied (theme descriptions, breakdown
    introductions, method paragraphs): what is left is tables, headings, the summary grid, the
    cover and the running header and footer, none of which may hyphenate."""
    return document | {
        "themes": [theme | {"description": ""} for theme in document["themes"]],
        "breakdowns": [breakdown | {"intro": ""} for breakdown in document["breakdowns"]],
        "methods": document["methods"] | {"paragraphs": []},
    }
