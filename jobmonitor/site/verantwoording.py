"""The verantwoording (method) page spec: every setting, counts per status and response.

Generated from the validated config and the results, so no setting can be left unexplained.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from statistics import NormalDist

from pydantic import BaseModel

from jobmonitor.site.formatting import format_count, format_number, format_value, isna
from jobmonitor.results import SiteInputs
from jobmonitor.site.specs import Page, Row, Table, Unit
from jobmonitor.site.wording import load_wording


def format_setting(value) -> str:
    """A config value as a visitor reads it; paths by name only, so no build machine leaks."""
    if isinstance(value, bool):
        return load_wording()["yes" if value else "no"]
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, Path):
        return value.name
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(format_setting(v) for v in value) or load_wording()["missing"]
    if isinstance(value, dict):
        return "; ".join(f"{k}: {format_setting(v)}" for k, v in value.items()) or load_wording()["missing"]
    return str(value)


def config_settings(model: BaseModel, prefix: str = "") -> list[tuple[str, str, str]]:
    """(key, value, Dutch description) for every leaf setting, walking nested models."""
    rows = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            rows += config_settings(value, f"{prefix}{name}.")
        else:
            rows.append((prefix + name, format_setting(value), info.description or ""))
    return rows


def response_table(inputs: SiteInputs, institutions: list[Unit], w: dict) -> Table:
    """Population, respondents, response rate and JOB's required response per institution."""
    response = inputs.response
    by_id = {str(r["institution_id"]): r for r in response.to_dict("records")} if len(response) else {}
    rows = []
    for inst in (i for i in institutions if i.id in by_id):
        r = by_id[inst.id]
        rate = 100 * r["respondents"] / r["population"] if not isna(r["population"]) and r["population"] else None
        counts = [format_count(r[key]) for key in ("population", "respondents")]
        required = [format_count(r[key]) for key in ("netto", "bruto")]
        rows.append(Row(inst.name, False, cells=(*counts, format_value(rate, "pct_yes", w), *required)))
    columns = tuple(w["response_columns"].items())  # population, respondents, rate, netto, bruto
    return Table(w["captions"]["response"], w["columns"]["institution"], columns, tuple(rows), id="tabel-respons")


def status_count_rows(counts: dict, edition: int, w: dict) -> tuple[list[str], list[tuple]]:
    """Counts per status, flat ({status: n}) or per edition ({year: {status: n}}), as table rows."""
    per_edition = counts if counts and all(isinstance(v, dict) for v in counts.values()) else {str(edition): counts}
    editions = sorted(per_edition, key=str)
    statuses = list(dict.fromkeys(k for year in editions for k in per_edition[year]))
    rows = [(w["status"].get(k, k), [format_count(per_edition[y].get(k, 0)) for y in editions]) for k in statuses]
    return [str(y) for y in editions], rows


def weighting_lines(weighting: dict) -> list[str]:
    """Per edition: where the weights came from and what they cost in precision (Kish)."""
    return [
        f"{year}: {info['method']}; efficiëntie {format_number(100 * info['efficiency'], 1)} % "
        f"(design effect {format_number(info['design_effect'], 2)})"
        for year, info in sorted(weighting.items(), reverse=True)
    ]


def verantwoording_page(inputs: SiteInputs, institutions: list[Unit], w: dict) -> Page:
    """Method page: every setting, status counts and response, generated so none is forgotten."""
    config = inputs.config
    editions, counts = status_count_rows(inputs.summary.get("status_counts", {}), config.edition, w)
    data = {
        "settings": config_settings(config),
        "status_editions": editions,
        "status_counts": counts,
        "response": response_table(inputs, institutions, w),
        "z": format_number(NormalDist().inv_cdf(1 - config.thresholds.alpha / 2), 2),
        "weighting": weighting_lines(inputs.summary.get("weighting", {})),
    }
    return Page("verantwoording.md", "verantwoording.md.j2", w["nav"]["verantwoording"], data=data)
