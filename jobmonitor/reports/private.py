"""Keeping the report packs private: a marker in every pack folder and one at the root of every
built site, and the rules that no pack is written inside anything the site publishes (a built
site wherever it lies, whatever its name) and no site is built with a pack inside it."""

from __future__ import annotations

from pathlib import Path

from jobmonitor.config import Config
from jobmonitor.errors import ReleaseRefused

MARKER = ".jobmonitor-rapportages"
# At the root of the national data file's folder (`reports.databestand`): for third parties, but
# handed out by JOB, never published with the site either.
DATA_MARKER = ".jobmonitor-databestand"
# Written at the root of every built site (`publish`): a folder holding it is public, whatever
# its name and wherever it was built (`--out`).
SITE_MARKER = ".jobmonitor-site"
SITE_MARKER_TEXT = "JOB-monitor public site: never place confidential report packs in this folder.\n"


def published_folders(config: Config) -> list[Path]:
    """What a site build publishes from: its output folder and the content folder it copies."""
    from jobmonitor.site.wording import CONTENT_DIR  # noqa: PLC0415

    return [Path(config.out_dir).resolve(), CONTENT_DIR.resolve()]


def built_site_around(folder: Path) -> Path | None:
    """The built site that `folder` is, or lies inside (its root holds SITE_MARKER)."""
    folder = Path(folder).resolve()
    return next((p for p in (folder, *folder.parents) if (p / SITE_MARKER).is_file()), None)


def check_out_dir(out: Path, config: Config, what: str = "report packs", example: str = "rapportages") -> None:
    """Refuse an output folder (of the report packs, or another private output: `what`, with
    an `example` folder name) inside (or equal to) anything the site publishes: the
    configured site and content folders, and any built site."""
    out = Path(out).resolve()
    hint = f"Choose a folder outside every site, e.g. ../{example}-{config.edition}."
    for published in published_folders(config):
        if out == published or published in out.parents:
            raise ReleaseRefused(f"The {what} may not be written inside {published} (the public site is built "
                                 f"from there). {hint}")
    site = built_site_around(out)
    if site is not None:
        raise ReleaseRefused(f"The {what} may not be written inside {site}: it holds a built public site "
                             f"({SITE_MARKER}). {hint}")


def packs_inside(folder: Path) -> list[Path]:
    """Pack folders and national data files (their markers) anywhere under `folder`."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p.parent for marker in (MARKER, DATA_MARKER) for p in folder.rglob(marker))


def refuse_packs_inside(config: Config) -> None:
    found = [p for folder in published_folders(config) for p in packs_inside(folder)]
    if found:
        raise ReleaseRefused(f"A confidential institution report pack or the national data file lies inside what the "
                             f"site publishes: {found[0]}. Move it out of the site and content folders first.")


def private_manifest(config: Config, kind: str, extra_inputs: dict[str, Path], packages: tuple[str, ...]) -> dict:
    """What the manifest of every private output (report packs, the national data file) says
    alike: its kind, edition, status and embargo, every input file's hash (each edition's data
    and `extra_inputs`), the config and its hash, code and package versions."""
    from jobmonitor.compute.load import file_sha256  # noqa: PLC0415
    from jobmonitor.release import data_files  # noqa: PLC0415
    from jobmonitor.site.manifest import code_version, config_hash, package_versions  # noqa: PLC0415

    inputs = dict(data_files(config)) | dict(extra_inputs)
    return {
        "kind": kind,
        "edition": config.edition,
        "data_status": config.data_status,
        "embargo": config.embargo.isoformat(),
        "input_files_sha256": {key: file_sha256(path) for key, path in sorted(inputs.items())},
        "config_sha256": config_hash(config),
        "config": config.model_dump(mode="json", exclude={"data_dir", "out_dir", "data_hashes"}),
        "code_version": code_version(),
        "package_versions": package_versions(packages),
    }
