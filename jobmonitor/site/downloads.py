"""Public downloads: the published results table as CSV and XLSX, and a data dictionary.

They are written from `published_results()` only, so a hidden cell has no value in any file;
every file carries JOB's ownership notice.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd

from jobmonitor.results import RESULT_COLUMNS

FIXED_TIME = dt.datetime(2000, 1, 1)
COPYRIGHT = "© JOB – Jongeren Organisatie Beroepsonderwijs. Bron: JOB-monitor {edition}. Overname met bronvermelding."

DICTIONARY = {
    "edition": "Jaar van de editie van de JOB-monitor.",
    "level": "Niveau: national (landelijk), institution (instelling), domain (opleidingsdomein), institution_domain (instelling × domein).",
    "institution_id": "Code van de instelling (leeg op landelijk en domeinniveau).",
    "institution": "Naam van de instelling.",
    "domain_id": "Code van het opleidingsdomein (leeg op landelijk en instellingsniveau).",
    "domain": "Naam van het opleidingsdomein.",
    "item_id": "Code van de vraag of het thema.",
    "kind": "item (vraag) of theme (thema: gemiddelde van de vijfpuntsvragen van het thema, schaal 1–5).",
    "measure": "pct_positive (% eens, 4 of 5 op de vijfpuntsschaal), pct_yes (% ja) of mean (gemiddelde).",
    "n": "Aantal respondenten dat de vraag beantwoordde (leeg als de cel niet gepubliceerd wordt).",
    "n_eff": "Effectief aantal respondenten na weging (Kish).",
    "estimate": "Uitkomst: percentage (0–100) of gemiddelde, gewogen.",
    "ci_low": "Ondergrens van het betrouwbaarheidsinterval.",
    "ci_high": "Bovengrens van het betrouwbaarheidsinterval.",
    "benchmark": "Vergelijkingscijfer: landelijk (instelling, domein) of landelijk binnen het domein (instelling × domein).",
    "difference": "Uitkomst min vergelijkingscijfer.",
    "p_value": "p-waarde van de toets van de eenheid tegen de rest van de vergelijkingsgroep.",
    "p_adjusted": "p-waarde na correctie voor meervoudig toetsen binnen de eenheid.",
    "marker": "+ (significant en relevant hoger), - (lager) of leeg (geen verschil).",
    "previous_estimate": "Uitkomst in de vorige editie (alleen als beide cellen gepubliceerd en vergelijkbaar zijn).",
    "change": "Uitkomst min vorige editie.",
    "change_marker": "▲ (significant en relevant gestegen), ▼ (gedaald) of leeg (geen verschil).",
    "status": "published, indicative (gepubliceerd, respons onder de benodigde steekproef), suppressed_primary (te weinig respondenten), suppressed_secondary (verborgen om terugrekenen te voorkomen).",
}


def dictionary_frame() -> pd.DataFrame:
    return pd.DataFrame({"kolom": list(DICTIONARY), "betekenis": list(DICTIONARY.values())})


def _csv_text(frame: pd.DataFrame, notice: str) -> str:
    buffer = io.StringIO()
    buffer.write(f"# {notice}\n")
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.6g")
    return buffer.getvalue()


def write_downloads(published: pd.DataFrame, edition: int, folder: Path) -> list[Path]:
    """CSV (every edition), XLSX (this edition: writing XLSX costs ~5 µs a cell, so the
    national file is kept to one edition) and the dictionary; deterministic bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    notice = COPYRIGHT.format(edition=edition)
    table = published[RESULT_COLUMNS]
    paths = [folder / "resultaten.csv", folder / "datadictionary.csv", folder / "resultaten.xlsx"]
    paths[0].write_text(_csv_text(table, notice), encoding="utf-8")
    paths[1].write_text(_csv_text(dictionary_frame(), notice), encoding="utf-8")
    _write_xlsx(table[table["edition"] == edition], notice, paths[2])
    return paths


def _write_xlsx(table: pd.DataFrame, notice: str, path: Path) -> None:
    """Rows written straight to xlsxwriter (pandas' styled writer is ~5× slower at scale).
    In memory mode xlsxwriter stamps every zip member 1980-01-01, so the bytes are
    reproducible without repacking the zip."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "nan_inf_to_errors": True})
    book.set_properties({"author": "JOB", "company": "JOB", "created": FIXED_TIME})
    bold = book.add_format({"bold": True})
    for name, frame in (("resultaten", table), ("datadictionary", dictionary_frame())):
        sheet = book.add_worksheet(name)
        sheet.write_string(0, 0, notice)
        sheet.write_row(2, 0, list(frame.columns), bold)
        columns = [_cells(frame[c]) for c in frame.columns]
        for r, values in enumerate(zip(*columns), start=3):
            sheet.write_row(r, 0, values)
    book.close()
    path.write_bytes(buffer.getvalue())


def _cells(column: pd.Series) -> list:
    """Plain Python values with missing values as None (an empty cell, not an error)."""
    values = column.astype(object).where(column.notna(), None)
    return values.tolist()
