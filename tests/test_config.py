"""`site_config.yml` → a validated, frozen model; every mistake is an InputError naming the key.

DESIGN.md "Data flow" → config: unknown keys and wrong types are errors naming the key, the
embargo is timezone-aware, relative paths are taken from the config file's folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pydantic
import pytest

from jobmonitor.config import load_config
from jobmonitor.errors import InputError

VALID = """\
edition: 2026
previous_editions: [2022, 2024]
embargo: 2026-05-27T14:00:00+02:00
data_status: definitief
"""


def write(tmp_path: Path, text: str, name: str = "site_config.yml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_config(path)
    return str(caught.value)


def test_valid_config_loads_with_documented_defaults(tmp_path):
    """A config with only the required keys must load; previous editions are in order and
    the most recent one is the one compared with."""
    config = load_config(write(tmp_path, VALID))
    assert config.edition == 2026
    assert config.previous_editions == [2022, 2024]
    assert config.previous_edition == 2024
    assert config.data_status == "definitief"
    assert config.thresholds.alpha == 0.05
    assert config.embargo == dt.datetime(2026, 5, 27, 12, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(("extra", "key"), [
    ("colour: blue\n", "colour"),
    ("thresholds:\n  min_nn: 12\n", "thresholds.min_nn"),
    ("weighting:\n  cels: [institution_id]\n", "weighting.cels"),
])
def test_unknown_keys_are_errors_naming_the_key(tmp_path, extra, key):
    """A typo (min_nn for min_n) must not silently fall back to the default threshold,
    which could publish cells that should be suppressed."""
    message = load_error(write(tmp_path, VALID + extra))
    assert f"`{key}`" in message
    assert "unknown key" in message


@pytest.mark.parametrize(("line", "key"), [
    ("edition: twintig\n", "edition"),
    ("edition: 1999\n", "edition"),
    ("data_status: klaar\n", "data_status"),
    ("previous_editions: 2024\n", "previous_editions"),
    ("thresholds:\n  alpha: hoog\n", "thresholds.alpha"),
    ("thresholds:\n  min_n: 2\n", "thresholds.min_n"),
    ("thresholds:\n  multiple_testing: bonferroni\n", "thresholds.multiple_testing"),
    ("weighting:\n  cells: [postcode]\n", "weighting.cells"),
    ("data_hashes: [abc]\n", "data_hashes"),
])
def test_wrong_types_and_values_are_errors_naming_the_key(tmp_path, line, key):
    """The user must see which setting to fix, not a traceback."""
    key_top = line.split(":")[0]
    text = "\n".join(row for row in VALID.splitlines() if not row.startswith(key_top + ":")) + "\n" + line
    message = load_error(write(tmp_path, text))
    assert f"`{key}" in message


@pytest.mark.parametrize("key", ["edition", "embargo", "data_status"])
def test_missing_required_keys_are_errors_naming_the_key(tmp_path, key):
    """Edition, embargo and data status have no safe default: publishing depends on them."""
    text = "\n".join(row for row in VALID.splitlines() if not row.startswith(key + ":")) + "\n"
    message = load_error(write(tmp_path, text))
    assert f"missing key `{key}`" in message


def test_every_problem_is_reported_at_once(tmp_path):
    """Validation is complete: one run lists every bad key, not just the first one."""
    text = "edition: twintig\nembargo: 2026-05-27T14:00:00+02:00\ncolour: blue\n"
    with pytest.raises(InputError) as caught:
        load_config(write(tmp_path, text))
    message = str(caught.value)
    for key in ("edition", "colour", "data_status"):
        assert f"`{key}" in message
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize("embargo", ["2026-05-27T14:00:00", "2026-05-27", "'27 mei 2026'"])
def test_embargo_must_be_a_timezone_aware_moment(tmp_path, embargo):
    """A naive time is ambiguous by an hour or two (CET/CEST vs the build server's UTC), and
    the release gate must not publish before the national moment."""
    text = VALID.replace("2026-05-27T14:00:00+02:00", embargo)
    message = load_error(write(tmp_path, text))
    assert "`embargo`" in message


@pytest.mark.parametrize("previous", ["[2026]", "[2024, 2027]"])
def test_previous_editions_must_be_earlier_than_the_edition(tmp_path, previous):
    """Comparing with the same or a later edition would show a nonsensical change."""
    text = VALID.replace("[2022, 2024]", previous)
    message = load_error(write(tmp_path, text))
    assert "`previous_editions`" in message


def test_invalid_yaml_is_an_input_error_naming_the_file(tmp_path):
    """A broken YAML file is the user's mistake, reported as such and not as a traceback."""
    path = write(tmp_path, VALID + "thresholds: [alpha: 0.05\n")
    message = load_error(path)
    assert "not valid YAML" in message
    assert str(path) in message


@pytest.mark.parametrize("text", ["- edition: 2026\n- data_status: definitief\n", "2026\n", "just text\n"])
def test_top_level_must_be_a_mapping(tmp_path, text):
    """A list or a scalar at the top has no keys to validate; say so instead of crashing."""
    path = write(tmp_path, text)
    message = load_error(path)
    assert "mapping" in message
    assert str(path) in message


def test_empty_config_reports_the_required_keys(tmp_path):
    """An empty file is read as no settings at all, so the required keys are named missing."""
    message = load_error(write(tmp_path, ""))
    for key in ("edition", "embargo", "data_status"):
        assert f"missing key `{key}`" in message


def test_missing_config_file_is_an_input_error(tmp_path):
    """A wrong --config path is the user's mistake, not a crash."""
    message = load_error(tmp_path / "nope.yml")
    assert "nope.yml" in message


def test_relative_paths_are_taken_from_the_config_folder(tmp_path, monkeypatch):
    """The build must find the data whatever folder it is started from."""
    path = write(tmp_path / "project", VALID + "data_dir: invoer/data\nout_dir: ../uit\n")
    monkeypatch.chdir(tmp_path)
    config = load_config(path)
    assert config.data_dir == tmp_path / "project" / "invoer" / "data"
    assert config.out_dir == tmp_path / "project" / ".." / "uit"
    assert config.edition_dir(2026) == tmp_path / "project" / "invoer" / "data" / "2026"


def test_default_paths_are_data_and_site_beside_the_config(tmp_path):
    """Without data_dir/out_dir the edition folders and the site sit next to the config."""
    config = load_config(write(tmp_path / "p", VALID))
    assert config.data_dir == tmp_path / "p" / "data"
    assert config.out_dir == tmp_path / "p" / "site"


def test_absolute_paths_are_kept(tmp_path):
    """An absolute path in the config means exactly that folder."""
    data, out = tmp_path / "elders" / "data", tmp_path / "elders" / "site"
    config = load_config(write(tmp_path / "p", VALID + f"data_dir: {data}\nout_dir: {out}\n"))
    assert config.data_dir == data
    assert config.out_dir == out


def test_data_and_out_overrides_win_over_the_config(tmp_path):
    """`--data` and `--out` on the command line replace the configured folders."""
    path = write(tmp_path, VALID + "data_dir: data\nout_dir: site\n")
    data, out = tmp_path / "andere" / "data", tmp_path / "andere" / "site"
    config = load_config(path, data_dir=data, out_dir=out)
    assert config.data_dir == data
    assert config.out_dir == out
    only_out = load_config(path, out_dir=out)
    assert only_out.data_dir == tmp_path / "data"
    assert only_out.out_dir == out


def test_config_is_frozen(tmp_path):
    """Every stage reads the same settings; nothing may change a threshold halfway a build."""
    config = load_config(write(tmp_path, VALID))
    with pytest.raises(pydantic.ValidationError):
        config.edition = 2030
    with pytest.raises(pydantic.ValidationError):
        config.thresholds.min_n = 5
    assert config.edition == 2026


def test_tiny_config_loads(tiny_config_path):
    """The shared tiny edition's config is valid and points at its own data folder."""
    config = load_config(tiny_config_path)
    assert config.edition == 2026
    assert config.previous_edition == 2024
    assert config.edition_dir(2026).is_dir()


def test_renamed_relevance_setting_fails_loudly_instead_of_changing_meaning(tmp_path):
    """`min_difference_mean` was in points; its successor `min_effect_size_mean` is Cohen's d.
    An old config must stop with a message naming both, not be read with another meaning."""
    from jobmonitor.config import load_config
    from jobmonitor.errors import InputError

    path = tmp_path / "site_config.yml"
    path.write_text("edition: 2026\nembargo: 2026-05-27T14:00:00+02:00\ndata_status: voorlopig\n"
                    "thresholds:\n  min_difference_mean: 0.2\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_config(path)
    assert "min_difference_mean" in str(error.value) and "min_effect_size_mean" in str(error.value)
