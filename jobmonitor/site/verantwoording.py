"""The verantwoording (method) page spec: every setting, counts per status and response.

Generated from the validated config and the results, so no setting can be left unexplained.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jobmonitor.site.formatting import format_count, format_number, format_value, isna
from jobmonitor.results import SiteInputs
from jobmonitor.site.specs import Page, Row, Table, Unit
from jobmonitor.config import Config, setting_keys
from jobmonitor.site.wording import fill, load_wording


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


# Where the build machine reads and writes: they shape no figure, and showing them would make
# the site differ between two builds of the same inputs into different folders.
MACHINE_SETTINGS = ("data_dir", "out_dir")


def config_settings(config: Config, w: dict) -> list[tuple[str, str, str]]:
    """(key, value, Dutch description) for every setting that shapes the figures."""
    rows = []
    for key in (k for k in setting_keys(type(config)) if k not in MACHINE_SETTINGS):
        value = config
        for part in key.split("."):
            value = getattr(value, part)
        rows.append((key, format_setting(value), w["settings"][key]))
    return rows


def response_table(inputs: SiteInputs, institutions: list[Unit], w: dict) -> Table:
    """Population, respondents, response rate and JOB's required response per institution."""
    response = inputs.response
    by_id = {str(r["institution_id"]): r for r in response.to_dict("records")} if len(response) else {}
    rows = []
    for inst in (i for i in institutions if i.id in by_id):
        r = by_id[inst.id]
        # A hidden count (too few, or a complement) hides its rate too.
        shown = not isna(r["respondents"]) and not isna(r["population"]) and r["population"]
        rate = 100 * r["respondents"] / r["population"] if shown else None
        counts = [format_count(r[key]) for key in ("population", "respondents")]
        required = [format_count(r[key]) for key in ("netto", "bruto")]
        rows.append(Row(inst.name, False, cells=(*counts, format_value(rate, "pct_yes", w), *required)))
    columns = tuple(w["response_columns"].items())  # population, respondents, rate, netto, bruto
    return Table(w["captions"]["response"], w["columns"]["institution"], columns, tuple(rows), id="tabel-respons")


def status_count_rows(per_edition: dict[str, dict[str, int]], w: dict) -> tuple[list[str], list[tuple]]:
    """Counts per status and edition ({year: {status: n}}) as table rows."""
    editions = sorted(per_edition, key=str)
    statuses = list(dict.fromkeys(k for year in editions for k in per_edition[year]))
    rows = [(w["status"].get(k, k), [format_count(per_edition[y].get(k, 0)) for y in editions]) for k in statuses]
    return [str(y) for y in editions], rows


def weighting_lines(weighting: dict, w: dict) -> list[str]:
    """Per edition: where the weights came from and what they cost in precision (Kish)."""
    lines = []
    for year, info in sorted(weighting.items(), reverse=True):
        cells = " × ".join(info.get("cells", []))
        method = fill(w["weighting_method"][info["method"]], cells=cells)
        line = fill(w["weighting_line"], edition=year, method=method,
                    efficiency=format_number(100 * info["efficiency"], 1),
                    design_effect=format_number(info["design_effect"], 2))
        if info["method"] == "poststratification":
            line += "; " + fill(w["weighting_adjustments"], collapsed=format_count(info["collapsed_cells"]),
                                respondents=format_count(info["collapsed_respondents"]),
                                trimmed=format_count(info["trimmed_respondents"]))
        lines.append(line)
    return lines


def verantwoording_page(inputs: SiteInputs, institutions: list[Unit], w: dict) -> Page:
    """Method page: every setting, status counts and response, generated so none is forgotten."""
    config = inputs.config
    editions, counts = status_count_rows(inputs.summary.status_counts, w)
    data = {
        "settings": config_settings(config, w),
        "status_editions": editions,
        "status_counts": counts,
        "response": response_table(inputs, institutions, w),
        "z": format_number(config.thresholds.confidence.z, 2),
        "weighting": weighting_lines(inputs.summary.weighting, w),
    }
    return Page("verantwoording.md", "verantwoording.md.j2", w["nav"]["verantwoording"], data=data)
