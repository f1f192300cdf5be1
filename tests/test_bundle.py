"""The publishable bundle: made where the data are, it holds published rows only, and the site
rebuilt from it alone (as the release workflow does) is byte for byte the site built from the
data; the release gate checks it against the release config's data hashes and the embargo."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from jobmonitor.bundle import MANIFEST, RESULTS, read_bundle
from jobmonitor.cli import EXIT_INPUT, EXIT_REFUSED, main
from jobmonitor.config import load_config
from jobmonitor.publish import build
from jobmonitor.release import hashes_yaml
from jobmonitor.results import SUPPRESSED, VALUE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo_bundle(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundle")
    config = load_config(ROOT / "site_config.yml", out_dir=root / "from-data")
    report = build(config, bundle_out=root / "bundle.zip")
    return config, root / "bundle.zip", report


def test_the_site_from_the_bundle_is_the_site_from_the_data(demo_bundle, tmp_path):
    config, bundle, report = demo_bundle
    again = load_config(ROOT / "site_config.yml", out_dir=tmp_path / "from-bundle", data_dir=tmp_path / "no-data-here")
    build(again, bundle=bundle)
    direct, rebuilt = snapshot(config.out_dir), snapshot(again.out_dir)
    assert list(direct) == list(rebuilt)
    assert [name for name in direct if direct[name] != rebuilt[name]] == []
    assert len(direct) > 300


def test_the_bundle_holds_no_respondent_and_no_hidden_value(demo_bundle):
    config, bundle, report = demo_bundle
    archive = zipfile.ZipFile(bundle)
    names = sorted(archive.namelist())
    assert names == sorted([MANIFEST, RESULTS, "institutions.parquet", "domains.parquet", "response.parquet",
                            "vragenlijst/2022.yml", "vragenlijst/2024.yml", "vragenlijst/2026.yml"])
    respondents = pd.read_parquet(ROOT / "data" / "2026" / "responses.parquet")
    every = b"".join(archive.read(n) for n in names)
    assert not any(r.encode() in every for r in respondents["respondent_id"].head(500)), "a respondent id in the bundle"
    results = pd.read_parquet(io.BytesIO(archive.read(RESULTS)))
    assert not {"respondent_id", "weight", "sum_w", "sum_wx"} & set(results.columns)
    hidden = results[results["status"].isin(SUPPRESSED)]
    assert len(hidden) > 100 and set(hidden["status"]) == {"suppressed"}
    values = [c for c in VALUE_COLUMNS if c in results.columns]
    assert hidden[values].replace("", pd.NA).isna().all().all()
    manifest = json.loads(archive.read(MANIFEST))
    assert set(manifest["input_files_sha256"]) >= {"2026/responses.parquet", "2024/responses.parquet"}
    assert not any(key.endswith(("labels.csv", "labels.yml")) for key in manifest["input_files_sha256"])


def test_the_same_inputs_give_the_same_bundle(demo_bundle, tmp_path):
    config, bundle, report = demo_bundle
    assert main(["bundle", "--out", str(tmp_path / "again.zip"), "--quiet"]) == 0
    assert (tmp_path / "again.zip").read_bytes() == bundle.read_bytes()


def test_an_altered_bundle_is_refused(demo_bundle, tmp_path, capsys):
    config, bundle, report = demo_bundle
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(altered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "institutions.parquet":
                data = data.replace(b"Gildecollege", b"Gildecolleeg")
            target.writestr(info, data)
    code = main(["--bundle", str(altered), "--out", str(tmp_path / "site")])
    assert code == EXIT_INPUT and "checksum of institutions.parquet differs" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_a_bundle_made_with_another_config_is_refused(demo_bundle, tmp_path):
    config, bundle, report = demo_bundle
    other = tmp_path / "site_config.yml"
    other.write_text((ROOT / "site_config.yml").read_text().replace("min_n: 10", "min_n: 12"))
    from jobmonitor.errors import ReleaseRefused

    with pytest.raises(ReleaseRefused, match="another config"):
        read_bundle(bundle, load_config(other))


# --- the release gate on a bundle (tiny edition: definitive data, embargo passed) -------------------

@pytest.fixture()
def tiny_release(tiny_config_path, tmp_path):
    """The tiny edition's release config and its bundle, made where the data are; then the data
    are gone, as on the release runner."""
    tiny_config_path.write_text(tiny_config_path.read_text() + hashes_yaml(load_config(tiny_config_path)))
    bundle = tmp_path / "bundle.zip"
    assert main(["bundle", "--config", str(tiny_config_path), "--out", str(bundle), "--quiet"]) == 0
    direct = tmp_path / "direct"
    assert main(["--config", str(tiny_config_path), "--release", "--out", str(direct), "--quiet"]) == 0
    shutil.rmtree(load_config(tiny_config_path).data_dir)
    return tiny_config_path, bundle, direct


def test_a_release_from_the_bundle_deploys_the_same_bytes(tiny_release, tmp_path):
    config_path, bundle, direct = tiny_release
    out = tmp_path / "released"
    assert main(["--config", str(config_path), "--release", "--bundle", str(bundle), "--out", str(out), "--quiet"]) == 0
    assert snapshot(out) == snapshot(direct)
    assert json.loads((out / "manifest.json").read_text())["build"] == "release"
    assert main(["audit", "--config", str(config_path), "--bundle", str(bundle), "--site", str(out)]) == 0


def test_a_release_from_the_bundle_before_the_embargo_is_refused(tiny_release, tmp_path, capsys):
    config_path, bundle, _ = tiny_release
    config = load_config(config_path)
    before = (config.embargo.replace(microsecond=0) - pd.Timedelta(minutes=1)).isoformat()
    code = main(["--config", str(config_path), "--release", "--now", before, "--bundle", str(bundle),
                 "--out", str(tmp_path / "site")])
    assert code == EXIT_REFUSED and "Embargo" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_a_release_config_naming_other_data_refuses_the_bundle(tiny_release, tmp_path, capsys):
    """The bundle's input hashes must be the ones the release config names, like the files."""
    config_path, bundle, _ = tiny_release
    text = config_path.read_text()
    key = next(line for line in text.splitlines() if "responses" in line and ":" in line and "2026/" in line)
    name, digest = key.rsplit(":", 1)
    other = config_path.with_name("other.yml")
    other.write_text(text.replace(key, f"{name}: {'f' * 64}"))
    # The config differs in its hashes only, so its own bundle is needed: made before the data went.
    code = main(["--config", str(other), "--release", "--bundle", str(bundle), "--out", str(tmp_path / "site")])
    assert code == EXIT_REFUSED
    assert "another config" in capsys.readouterr().err


def test_a_bundle_is_made_only_from_the_files_its_release_config_names(tiny_config_path, tmp_path, capsys):
    text = tiny_config_path.read_text() + hashes_yaml(load_config(tiny_config_path))
    key = next(line for line in text.splitlines() if "2026/" in line and "responses" in line)
    tiny_config_path.write_text(text.replace(key, f"{key.rsplit(':', 1)[0]}: {'f' * 64}"))
    code = main(["bundle", "--config", str(tiny_config_path), "--out", str(tmp_path / "bundle.zip")])
    assert code == EXIT_REFUSED and "not the ones the config names" in capsys.readouterr().err
    assert not (tmp_path / "bundle.zip").exists()
