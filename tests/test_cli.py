"""The command line: clear messages and exit codes for user mistakes, never a traceback, and
nothing written when a build or release is refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from jobmonitor.cli import EXIT_INPUT, EXIT_REFUSED, main

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True, cwd=ROOT)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def old_site(tiny_config_path) -> Path:
    site = tiny_config_path.parent / "site"
    site.mkdir()
    (site / "index.html").write_text("previous edition's site")
    return site


def test_bad_input_gives_one_screen_and_exit_2(tiny_config_path, old_site):
    responses = tiny_config_path.parent / "data" / "2026" / "responses.csv"
    frame = pd.read_csv(responses, dtype="string")
    frame.loc[3, "Q1"] = "6"
    frame.to_csv(responses, index=False)
    before = snapshot(old_site)
    result = run_cli("--config", str(tiny_config_path))
    assert result.returncode == EXIT_INPUT
    assert "Traceback" not in result.stderr
    assert "responses.csv, row 4, column `Q1`" in result.stderr and "scale5 answer" in result.stderr
    assert len(result.stderr.splitlines()) < 50
    assert snapshot(old_site) == before


def test_missing_config_file(tmp_path, capsys):
    assert main(["--config", str(tmp_path / "nope.yml")]) == EXIT_INPUT
    assert "config file not found" in capsys.readouterr().err


def test_unknown_config_key_is_named(tiny_config_path, capsys):
    tiny_config_path.write_text(tiny_config_path.read_text() + "thresholds:\n  min_m: 10\n")
    assert main(["--config", str(tiny_config_path)]) == EXIT_INPUT
    assert "unknown key `thresholds.min_m`" in capsys.readouterr().err


@pytest.mark.parametrize(
    "change,now,needle",
    [
        ("", "2026-05-27T13:59:59+02:00", "Embargo"),
        ("data_status: definitief\n", "2026-05-27T12:00:00Z", "Embargo"),  # 14:00 CEST = 12:00 UTC: allowed
        ("", "2026-06-01T12:00:00+02:00", "data_hashes"),
    ],
)
def test_release_refusals_write_nothing(tiny_config_path, old_site, capsys, change, now, needle):
    tiny_config_path.write_text(tiny_config_path.read_text() + change)
    before = snapshot(old_site)
    code = main(["--config", str(tiny_config_path), "--release", "--now", now])
    err = capsys.readouterr().err
    if needle == "Embargo" and now.endswith("12:00:00Z"):
        assert "Embargo" not in err  # exactly at the embargo moment the embargo rule says yes
        assert code == EXIT_REFUSED and "data_hashes" in err
    else:
        assert code == EXIT_REFUSED and needle in err
    assert snapshot(old_site) == before


def test_voorlopig_data_is_never_released(tiny_config_path, capsys):
    tiny_config_path.write_text(tiny_config_path.read_text().replace("data_status: definitief", "data_status: voorlopig"))
    assert main(["--config", str(tiny_config_path), "--release"]) == EXIT_REFUSED
    assert "only `definitief`" in capsys.readouterr().err


def test_now_cannot_move_past_the_real_clock():
    import datetime as dt

    from jobmonitor.release import effective_now

    clock = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)
    later = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)
    assert effective_now(later, clock) == clock
    earlier = dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc)
    assert effective_now(earlier, clock) == earlier


def test_wrong_data_hash_is_refused(tiny_config_path, capsys):
    from jobmonitor.config import load_config
    from jobmonitor.release import hashes_yaml

    block = hashes_yaml(load_config(tiny_config_path))
    tiny_config_path.write_text(tiny_config_path.read_text() + block)
    responses = tiny_config_path.parent / "data" / "2026" / "responses.csv"
    # Change one answer: same shape, different bytes.
    frame = pd.read_csv(responses, dtype="string")
    frame.loc[0, "Q1"] = "3" if frame.loc[0, "Q1"] != "3" else "4"
    frame.to_csv(responses, index=False)
    assert main(["--config", str(tiny_config_path), "--release"]) == EXIT_REFUSED
    assert "2026/responses.csv" in capsys.readouterr().err


def test_an_edition_without_respondents_is_refused_and_publishes_nothing(tiny_config_path, old_site):
    """A responses file with a header and no rows once built a site (efficiency "nan") over
    the previous one: it is an input error naming the file."""
    responses = tiny_config_path.parent / "data" / "2026" / "responses.csv"
    pd.read_csv(responses, dtype="string").head(0).to_csv(responses, index=False)
    before = snapshot(old_site)
    result = run_cli("--config", str(tiny_config_path))
    assert result.returncode == EXIT_INPUT and "Traceback" not in result.stderr
    assert "responses.csv" in result.stderr and "no respondents" in result.stderr
    assert snapshot(old_site) == before


def test_a_previous_edition_that_fails_validation_stops_the_build(tiny_config_path, old_site):
    responses = tiny_config_path.parent / "data" / "2024" / "responses.csv"
    frame = pd.read_csv(responses, dtype="string")
    frame.loc[0, "leerweg"] = "XYZ"
    frame.to_csv(responses, index=False)
    result = run_cli("--config", str(tiny_config_path))
    assert result.returncode == EXIT_INPUT and "2024" in result.stderr and "leerweg" in result.stderr
    assert snapshot(old_site) == {"index.html": b"previous edition's site"}


def _drop_institution(config_path: Path, institution: str) -> None:
    responses = config_path.parent / "data" / "2026" / "responses.csv"
    frame = pd.read_csv(responses, dtype="string")
    frame[frame["institution_id"] != institution].to_csv(responses, index=False)


def test_an_institution_that_vanished_warns_in_a_preview_and_stops_a_release(tiny_config_path, old_site, capsys,
                                                                             caplog):
    """An institution with respondents last edition and none now looks exactly like a missing
    delivery: a preview warns, a release is refused until the config acknowledges it."""
    from jobmonitor.config import load_config
    from jobmonitor.release import hashes_yaml

    _drop_institution(tiny_config_path, "I3")
    assert main(["--config", str(tiny_config_path), "--quiet"]) == 0
    assert "no respondents this edition for I3" in caplog.text
    tiny_config_path.write_text(tiny_config_path.read_text() + hashes_yaml(load_config(tiny_config_path)))
    before = snapshot(old_site)
    assert main(["--config", str(tiny_config_path), "--release"]) == EXIT_REFUSED
    assert "acknowledged_absent" in capsys.readouterr().err and snapshot(old_site) == before
    tiny_config_path.write_text(tiny_config_path.read_text() + "acknowledged_absent: [I3, D03]\n")  # D03: only I3 had it
    code = main(["--config", str(tiny_config_path), "--release", "--quiet"])
    assert code == 0, capsys.readouterr().err
