"""The build manifest: what went in (file and config hashes, code and package versions) and
what came out (counts per disclosure status), so every published figure can be traced."""

from __future__ import annotations

import hashlib
import json
import subprocess
from importlib import metadata
from pathlib import Path

from jobmonitor.config import Config

PACKAGES = ("jobmonitor", "pandas", "numpy", "scipy", "pyarrow", "jinja2", "altair", "vl-convert-python",
            "mkdocs", "mkdocs-material", "pydantic", "pyyaml", "xlsxwriter", "pyphen")


def code_version(repo: Path | None = None) -> str:
    """The git commit of the code (with '-dirty' for uncommitted changes), if known."""
    repo = repo or Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "onbekend"
    return commit + ("-dirty" if dirty else "")


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "niet geïnstalleerd"
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


STATUS_LABELS = {
    "published": "gepubliceerd",
    "indicative": "gepubliceerd, indicatief",
    "suppressed_primary": "niet gepubliceerd (te weinig respondenten)",
    "suppressed_secondary": "niet gepubliceerd (aanvullend afgeschermd)",
}


def manifest_page_writer(manifest: dict):
    """A site writer for the human 'over deze cijfers' page of this manifest."""
    import jinja2

    def write(inputs, docs_dir: Path) -> list[Path]:
        templates = Path(__file__).resolve().parents[2] / "templates"
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), keep_trailing_newline=True)
        text = env.get_template("over-deze-cijfers.md.j2").render(
            m=manifest, statuses=STATUS_LABELS, manifest_url="../manifest.json"
        )
        path = docs_dir / "over-deze-cijfers.md"
        path.write_text(text, encoding="utf-8")
        return [path]

    return write
