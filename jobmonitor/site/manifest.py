"""The build manifest: what went in (file and config hashes, code and package versions) and
what came out (counts per disclosure status), so every published figure can be traced."""

from __future__ import annotations

import hashlib
import json
import subprocess
from importlib import metadata
from pathlib import Path

from jobmonitor.config import Config
from jobmonitor.site.formatting import format_count
from jobmonitor.site.specs import Page

MANIFEST_PAGE = "over-deze-cijfers.md"

PACKAGES = ("jobmonitor", "pandas", "numpy", "scipy", "pyarrow", "jinja2", "mkdocs", "mkdocs-material", "pydantic", "pyyaml", "pyphen")


def code_version(repo: Path | None = None) -> str | None:
    """The git commit of the code (with '-dirty' for uncommitted changes), if known."""
    repo = repo or Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("-dirty" if dirty else "")


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str | None]:
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def config_hash(config: Config) -> str:
    payload = config.model_dump(mode="json", exclude={"data_dir", "out_dir"})
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def build_manifest(config: Config, *, release: bool, input_hashes: dict[str, str], counts: dict, weighting: dict) -> dict:
    return {
        "edition": config.edition,
        "previous_editions": config.previous_editions,
        "data_status": config.data_status,
        "build": "release" if release else "preview",
        "embargo": config.embargo.isoformat(),
        "input_files_sha256": dict(sorted(input_hashes.items())),
        "config_sha256": config_hash(config),
        "config": config.model_dump(mode="json", exclude={"data_dir", "out_dir", "data_hashes"}),
        "code_version": code_version(),
        "package_versions": package_versions(),
        "counts_per_status": counts,
        "weighting": weighting,
    }


def manifest_json(manifest: dict) -> str:
    return json.dumps(manifest, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def manifest_page(manifest: dict, w: dict) -> Page:
    """The human 'over deze cijfers' page of this manifest; kept out of the search index."""
    counts = {year: {status: format_count(n) for status, n in per_status.items()}
              for year, per_status in manifest["counts_per_status"].items()}
    return Page(MANIFEST_PAGE, "over-deze-cijfers.md.j2", w["titles"]["manifest"],
                data={"manifest": manifest, "counts": counts})
