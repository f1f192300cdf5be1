"""Edition configuration: `site_config.yml` validated into a frozen model.

Every setting lives here once (its Dutch explanation for the verantwoording page is in
templates/words/site.yml, `settings`, which must name exactly the keys of this model), and the
values derived from it (confidence level, z) are computed here once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from scipy.stats import norm
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jobmonitor.errors import InputError, Problem


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Confidence:
    """The confidence level the intervals use and the z of the percentage intervals, derived
    from α once here, so no renderer or stage computes them again."""

    alpha: float
    z: float

    @property
    def level(self) -> float:
        return 1 - self.alpha

    @property
    def percent(self) -> float:
        return 100 * (1 - self.alpha)


@lru_cache(maxsize=8)
def confidence_for(alpha: float) -> Confidence:
    return Confidence(alpha, float(norm.ppf(1 - alpha / 2)))


class Thresholds(_Strict):
    min_n: int = Field(10, ge=5, description="Fewest respondents a published cell may have.")
    alpha: float = Field(0.05, gt=0, lt=0.5, description="Significance level of the tests and the confidence intervals.")
    min_difference_pct: float = Field(
        5.0, ge=0, description="Smallest relevant difference of percentages, in points."
    )
    min_effect_size_mean: float = Field(
        0.2, ge=0, description="Smallest relevant effect size (|Cohen's d|) of means: report marks and theme scores alike."
    )
    multiple_testing: Literal["bh", "holm", "none"] = Field(
        "bh", description="Multiple-testing adjustment within the questions of one unit."
    )
    protect_linked: bool = Field(
        True, description="Protect against an attacker who links a unit's questions: whole units hidden until integer "
                          "witnesses clear every hidden count (see DESIGN, disclosure control). Off only to test "
                          "something else faster; never for a release."
    )

    @model_validator(mode="before")
    @classmethod
    def _renamed_keys(cls, data):
        """A renamed setting must fail loudly, never silently change meaning."""
        if isinstance(data, dict) and "min_difference_mean" in data:
            raise ValueError("`min_difference_mean` (points) was replaced by `min_effect_size_mean` (Cohen's d, "
                             "default 0.2): remove the old key and set the new one")
        return data

    @property
    def confidence(self) -> Confidence:
        return confidence_for(self.alpha)


class Weighting(_Strict):
    cells: list[Literal["institution_id", "domain_id", "leerweg", "gender", "niveau"]] = Field(
        default_factory=lambda: ["institution_id", "domain_id", "leerweg", "gender"],
        description="Cells of the post-stratification to the population.",
    )
    min_cell: int = Field(5, ge=1, description="Cells with fewer respondents are weighted with their coarser cell.")
    trim_factor: float = Field(5.0, gt=1, description="Weights above this multiple of the median are trimmed.")


class Reports(_Strict):
    """The private institution reports (never the public site)."""

    max_label_values: int = Field(12, ge=2, le=50, description="Most distinct values an analysis label may have.")


class Config(_Strict):
    edition: int = Field(ge=2000, le=2100, description="Year of the edition the site shows.")
    previous_editions: list[int] = Field(
        default_factory=list, description="Earlier editions; the latest is compared."
    )
    title: str = Field("JOB-monitor", description="Name of the site.")
    embargo: AwareDatetime = Field(description="National publication moment (with time zone).")
    data_status: Literal["voorlopig", "definitief"] = Field(
        description="Only definitive figures may be released."
    )
    base_url: str = Field("https://example.org/", description="Address of the published site.")
    data_dir: Path = Field(Path("data"), description="Folder with one sub-folder per edition year.")
    out_dir: Path = Field(Path("site"), description="Folder the site is built into.")
    thresholds: Thresholds = Field(default_factory=Thresholds)
    weighting: Weighting = Field(default_factory=Weighting)
    reports: Reports = Field(default_factory=Reports)
    acknowledged_absent: list[str] = Field(
        default_factory=list,
        description="Institution or domain ids that had respondents in the previous edition and have none now, "
                    "acknowledged by JOB so a release may go ahead.",
    )
    data_hashes: dict[str, str] = Field(
        default_factory=dict,
        description="SHA-256 of the input files a release must use.",
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


def setting_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Dotted key of every leaf setting, e.g. `thresholds.min_n`, in declaration order."""
    keys = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys += setting_keys(annotation, f"{prefix}{name}.")
        else:
            keys.append(prefix + name)
    return keys


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
