"""The publishable bundle: everything the public site is built from and nothing more.

DUO's terms for the register data linked to the survey allow processing only inside the EEA, by
JOB's processor. So respondent-level data stay on JOB's machines: there `python build.py bundle`
computes the edition, audits it (the linear-programming audit and a scan of the site with the
hidden values at hand) and writes one zip holding the published rows of every edition (a hidden
cell keeps its ids and status, no value), the questionnaires, the institution and domain names,
the (protected) response table and the build's public counts, with the input files' hashes, the
config's hash and a checksum per member. The release workflow receives only this file, rebuilds
the site from it (byte for byte the site built from the data), checks it against the release
config's data hashes and the embargo, scans it with the statuses it carries, and deploys.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from jobmonitor.compute.load import read_questionnaire
from jobmonitor.config import Config
from jobmonitor.errors import InputError, Problem, ReleaseRefused
from jobmonitor.results import SUPPRESSED, SiteInputs, Summary, check_results, site_inputs_from
from jobmonitor.site.manifest import config_hash

FORMAT = 1
MANIFEST = "bundle.json"
RESULTS = "resultaten.parquet"
FRAMES = ("institutions", "domains", "response")
# Zip members get a fixed time: the same inputs give the same bytes.
MEMBER_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Bundle:
    """A bundle read back and checked: the site's inputs and what the release gate compares."""

    inputs: SiteInputs
    input_hashes: dict[str, str]
    absent: tuple[str, ...]
    sha256: str  # of the whole file


def _parquet(frame: pd.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.to_parquet(out, index=False, compression="zstd")
    return out.getvalue()


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, MEMBER_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def bundle_members(config: Config, inputs: SiteInputs, input_hashes: dict[str, str],
                   absent: tuple[str, ...]) -> dict[str, bytes]:
    """Member name → bytes. Only the published view goes in: checked here once more."""
    results = pd.concat([e.results for e in inputs.editions], ignore_index=True)
    check_results(results, published=True)
    members = {RESULTS: _parquet(results)}
    for edition in inputs.editions:
        members[f"vragenlijst/{edition.year}.yml"] = Path(config.edition_dir(edition.year), "questionnaire.yml").read_bytes()
    for name in FRAMES:
        members[f"{name}.parquet"] = _parquet(getattr(inputs, name))
    summary = inputs.summary
    manifest = {
        "format": FORMAT,
        "edition": config.edition,
        "editions": [e.year for e in inputs.editions],
        "config_sha256": config_hash(config),
        "input_files_sha256": dict(sorted(input_hashes.items())),
        "absent": list(absent),
        "summary": {"status_counts": summary.status_counts, "weighting": summary.weighting,
                    "respondents": summary.respondents, "population": summary.population},
        "members_sha256": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(members.items())},
    }
    members[MANIFEST] = (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    return members


def write_bundle(path: Path, members: dict[str, bytes]) -> str:
    """Write the zip (atomically) and return its sha256."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name in [MANIFEST, *sorted(n for n in members if n != MANIFEST)]:
            archive.writestr(_member(name), members[name])
    partial.replace(path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refuse(path: Path, rule: str) -> InputError:
    return InputError([Problem(str(path), None, None, None, rule)])


def read_bundle(path: Path, config: Config) -> Bundle:
    """The bundle's site inputs, after every check that needs no data: a readable zip, every
    member's checksum, no value on a hidden row, and made with this very config."""
    path = Path(path)
    if not path.is_file():
        raise _refuse(path, "bundle not found: make it with `python build.py bundle` where the data may be processed")
    raw = path.read_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        manifest = json.loads(archive.read(MANIFEST))
        members = {name: archive.read(name) for name in manifest["members_sha256"]}
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _refuse(path, f"not a readable bundle ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise _refuse(path, f"bundle format {manifest.get('format')!r}; this code reads format {FORMAT}")
    extra = sorted(set(archive.namelist()) - set(members) - {MANIFEST})
    wrong = [n for n, digest in manifest["members_sha256"].items() if hashlib.sha256(members[n]).hexdigest() != digest]
    if extra or wrong:
        raise _refuse(path, "bundle damaged or altered: " + ", ".join(
            [f"checksum of {n} differs" for n in wrong] + [f"unlisted member {n}" for n in extra]))
    if manifest["edition"] != config.edition or manifest["config_sha256"] != config_hash(config):
        raise ReleaseRefused(
            f"The bundle {path.name} was made for edition {manifest['edition']} with another config than "
            f"{config.edition}'s config here (config sha256 {manifest['config_sha256'][:12]}… vs {config_hash(config)[:12]}…). "
            "Make the bundle with the same release config that this build uses.")
    results = pd.read_parquet(io.BytesIO(members[RESULTS]))
    check_results(results, published=True)
    if results["status"].isin([s for s in SUPPRESSED if s != "suppressed"]).any():
        raise _refuse(path, "the bundle tells primary from complementary suppression; it must hold public statuses only")
    frames = {name: pd.read_parquet(io.BytesIO(members[f"{name}.parquet"])) for name in FRAMES}
    questionnaires = {}
    for year in manifest["editions"]:
        questionnaire, problems = _questionnaire(members[f"vragenlijst/{year}.yml"], path, year)
        if problems:
            raise InputError(problems)
        questionnaires[year] = questionnaire
    s = manifest["summary"]
    summary = Summary(s["status_counts"], s["weighting"], respondents=s["respondents"], population=s["population"])
    inputs = site_inputs_from(config, results, questionnaires, frames["institutions"], frames["domains"],
                              frames["response"], summary)
    return Bundle(inputs, manifest["input_files_sha256"], tuple(manifest["absent"]), hashlib.sha256(raw).hexdigest())


def _questionnaire(data: bytes, bundle: Path, year: int):
    import tempfile  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{bundle.name}!vragenlijst-{year}.yml"
        path.write_bytes(data)
        return read_questionnaire(path)
