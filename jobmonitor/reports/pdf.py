"""The PDF of a confidential institution report, typeset by Typst (the `typst` package, no
external program) from the JSON document the report builder makes.

Python only serialises the document; every Dutch word and all layout live in
templates/rapport/rapport.typ. Only the fonts embedded in the typst package are used, so a
PDF is the same on every machine, and with a fixed timestamp the same input gives the same
bytes (the timestamp is the only varying input: it sets the PDF's creation date).

Exported as PDF/UA-1: Typst then checks the rules of the standard it can check while compiling
(a document title, alternative text for every image; a document that breaks one does not
compile) and writes what the standard asks of the catalog, among it DisplayDocTitle, so that a
viewer shows the report's title rather than its file name. Typst sets that preference only for
PDF/UA; so the bytes stay Typst's own, with no editing of the PDF afterwards.

No batch function: a `typst.Compiler` reused across documents measured no faster than
`typst.compile` per document (bench/typesetting.py); the work that depends on the document
dominates, and Typst's own cache already spans the process.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import typst

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "templates" / "rapport" / "rapport.typ"
# Typst starts worker threads on its first compile; a process forked after that and compiling
# again waits forever on them. So whoever forks asks first (`typst_started`).
_STARTED = False


def typst_started() -> bool:
    """Whether this process has typeset (then a forked child must not typeset)."""
    return _STARTED


def _timestamp(timestamp: datetime.datetime | None) -> datetime.datetime | None:
    """Typst wants an aware datetime; a naive one is taken as UTC rather than refused."""
    if timestamp is not None and timestamp.tzinfo is None:
        return timestamp.replace(tzinfo=datetime.timezone.utc)
    return timestamp


def render_pdf(document: dict, *, timestamp: datetime.datetime | None = None) -> bytes:
    """One report as PDF bytes: tagged PDF/UA-1 (accessible), embedded fonts only, and
    byte-identical for the same document when `timestamp` is given (otherwise it carries the
    current time)."""
    # The template reads it back with `json(bytes(sys.inputs.document))`.
    global _STARTED
    inputs = {"document": json.dumps(document, ensure_ascii=False)}
    _STARTED = True
    return typst.compile(TEMPLATE, root=TEMPLATE.parent, sys_inputs=inputs, ignore_system_fonts=True,
                         pdf_tags=True, pdf_standards="ua-1", timestamp=_timestamp(timestamp))

