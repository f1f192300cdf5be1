"""Edition configuration: `site_config.yml` validated into a frozen model.

Every setting lives here once, with its Dutch explanation, so the verantwoording page can
document each of them and a test can check that none is forgotten.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from jobmonitor.errors import InputError, Problem


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Strict):
    min_n: int = Field(10, ge=5, description="Minimaal aantal respondenten voor een gepubliceerde cel.")
    alpha: float = Field(0.05, gt=0, lt=0.5, description="Significantieniveau van toetsen en betrouwbaarheidsintervallen.")
    min_difference_pct: float = Field(
        5.0, ge=0, description="Minimaal relevant verschil bij percentages, in procentpunten."
    )
    min_difference_mean: float = Field(
        0.2, ge=0, description="Minimaal relevant verschil bij gemiddelden (rapportcijfers, themascores)."
    )
    multiple_testing: Literal["bh", "holm", "none"] = Field(
        "bh", description="Correctie voor meervoudig toetsen binnen de vragen van één eenheid."
    )


class Weighting(_Strict):
    cells: list[Literal["institution_id", "domain_id", "leerweg", "gender", "niveau"]] = Field(
        default_factory=lambda: ["institution_id", "domain_id", "leerweg", "gender"],
        description="Kenmerken waarop de weging (poststratificatie) naar de populatie corrigeert.",
    )


class Config(_Strict):
    edition: int = Field(ge=2000, le=2100, description="Jaar van de editie die de site toont.")
    previous_editions: list[int] = Field(
        default_factory=list, description="Eerdere edities; de meest recente wordt vergeleken."
    )
    title: str = Field("JOB-monitor", description="Naam van de site.")
    embargo: AwareDatetime = Field(description="Landelijk publicatiemoment (met tijdzone).")
    data_status: Literal["voorlopig", "definitief"] = Field(
        description="Alleen definitieve cijfers mogen openbaar worden."
    )
    base_url: str = Field("https://example.org/", description="Adres waarop de site staat.")
    data_dir: Path = Field(Path("data"), description="Map met de edities (per jaar een submap).")
    out_dir: Path = Field(Path("site"), description="Map waarin de site wordt gebouwd.")
    thresholds: Thresholds = Field(default_factory=Thresholds)
    weighting: Weighting = Field(default_factory=Weighting)
    data_hashes: dict[str, str] = Field(
        default_factory=dict,
        description="SHA-256 van de invoerbestanden die een release moet gebruiken.",
    )

    @field_validator("previous_editions")
    @classmethod
    def _previous_before_edition(cls, value: list[int], info) -> list[int]:
        edition = info.data.get("edition")
        if edition is not None and any(year >= edition for year in value):
            raise ValueError(f"previous editions must be earlier than {edition}")
        return sorted(value)

    @property
    def previous_edition(self) -> int | None:
        return self.previous_editions[-1] if self.previous_editions else None

    def edition_dir(self, year: int) -> Path:
        return self.data_dir / str(year)


def _describe_error(error: dict) -> str:
    key = ".".join(str(part) for part in error["loc"]) or "(top)"
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key `{key}`"
    if kind == "missing":
        return f"missing key `{key}`"
    return f"`{key}`: {error['msg']} (got {error.get('input')!r})"


def load_config(path: Path, *, data_dir: Path | None = None, out_dir: Path | None = None) -> Config:
    """Read and validate the config; relative paths are taken from the config file's folder."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), None, None, None, "config file not found")])
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError([Problem(str(path), None, None, None, f"not valid YAML: {exc}")]) from None
    if not isinstance(raw, dict):
        raise InputError([Problem(str(path), None, None, None, "top level must be a mapping of keys")])
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(str(path), None, ".".join(map(str, e["loc"])), e.get("input"), _describe_error(e))
            for e in exc.errors()
        ]
        raise InputError(problems) from None
    base = path.parent
    updates = {
        "data_dir": data_dir if data_dir is not None else base / config.data_dir,
        "out_dir": out_dir if out_dir is not None else base / config.out_dir,
    }
    return config.model_copy(update=updates)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
