"""The compare page's data and tests (issue 15): the static files hold published rows only,
every unit page links to the page with itself chosen first, and the browser's tests give the
Python reference's verdicts on ≥ 200 random pairs of real demo units (read from the same files)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jobmonitor.compute.pairs import compare_pair
from jobmonitor.config import load_config
from jobmonitor.publish import build
from jobmonitor.results import SUPPRESSED
from test_pairs import needs_node, run_js

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compare_site(tmp_path_factory):
    config = load_config(ROOT / "site_config.yml", out_dir=tmp_path_factory.mktemp("compare") / "site")
    report = build(config)
    from jobmonitor.compute.pipeline import compute

    results = compute(config).results
    return config, Path(report.out_dir), results[results["edition"] == config.edition]


def data_files(site: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted((site / "vergelijk" / "data").glob("*.json"))}


def unit_of(key: str) -> tuple[str, str | None, str | None]:
    level, inst, dom = key.split("|")
    return level, inst or None, dom or None


def test_the_data_files_hold_published_rows_only_and_their_figures(compare_site):
    config, site, results = compare_site
    files = data_files(site)
    index = files.pop("eenheden.json")
    cells = {f"{i['id']}-{d}.json" for i in index["institutions"] for d in i["domains"]}
    assert {f["file"] for f in index["institutions"]} | {f["file"] for f in index["domains"]} | {"landelijk.json"} | cells == set(files)
    by_key = {(r.level, r.institution_id if isinstance(r.institution_id, str) else None,
               r.domain_id if isinstance(r.domain_id, str) else None, r.item_id): r for r in results.itertuples()}
    hidden = shown = 0
    for name, content in files.items():
        for key, unit in content["units"].items():
            for var, row in unit["rows"].items():
                truth = by_key[(*unit_of(key), var)]
                if truth.status in SUPPRESSED:
                    hidden += 1
                    assert row == {"status": "suppressed"}, (name, key, var)
                    continue
                shown += 1
                assert row["estimate"] == pytest.approx(truth.estimate, rel=1e-5)
                assert row["n_eff"] == pytest.approx(truth.n_eff, rel=1e-5)
                if truth.measure == "mean":
                    assert row["sd"] == pytest.approx(truth.sd, rel=1e-5)
    assert hidden > 0 and shown > 1000
    # Nothing hidden has a number anywhere in its file's row, and no file names a respondent count.
    assert all("n" not in row for c in files.values() for u in c["units"].values() for row in u["rows"].values())


def test_every_unit_page_links_to_the_compare_page_with_itself_first(compare_site):
    config, site, results = compare_site
    index = json.loads((site / "vergelijk" / "data" / "eenheden.json").read_text(encoding="utf-8"))
    inst = index["institutions"][0]
    page = (site / "instellingen" / Path(inst["url"]).name / "index.html").read_text(encoding="utf-8")
    assert f'href="../../vergelijk/#{inst["id"]}"' in page
    domain_page = next((site / "instellingen" / Path(inst["url"]).name).glob("*/index.html"))
    html = domain_page.read_text(encoding="utf-8")
    assert re.search(rf'href="../../../vergelijk/#D\d+:{inst["id"]}"', html)


def pair_rows(unit: dict, variables: dict) -> pd.DataFrame:
    rows = [{"item_id": var, "measure": variables[var]["measure"], "direction": variables[var]["direction"],
             **{f: row.get(f, np.nan) for f in ("estimate", "n_eff", "sd", "skew", "kurt")}}
            for var, row in unit["rows"].items() if row["status"] != "suppressed" and var in variables]
    columns = ["item_id", "measure", "direction", "estimate", "n_eff", "sd", "skew", "kurt"]
    return pd.DataFrame(rows, columns=columns).astype({f: "float64" for f in columns[3:]})


def js_rows(unit: dict, variables: dict) -> dict:
    return {var: {"measure": variables[var]["measure"], "direction": variables[var]["direction"],
                  **{f: row.get(f) for f in ("estimate", "n_eff", "sd", "skew", "kurt")}}
            for var, row in unit["rows"].items() if row["status"] != "suppressed" and var in variables}


def random_pairs(files: dict, count: int, seed: int = 15) -> list[tuple[dict, dict]]:
    """Institutions against institutions, and institution × domain units within one domain."""
    rng = random.Random(seed)
    institutions = [next(iter(c["units"].values())) for n, c in files.items() if re.fullmatch(r"I\d+\.json", n)]
    by_domain: dict[str, list] = {}
    for name, content in files.items():
        if match := re.fullmatch(r"I\d+-(D\d+)\.json", name):
            by_domain.setdefault(match.group(1), []).append(next(iter(content["units"].values())))
    domains = list(by_domain.values())
    domains = [units for units in domains if len(units) >= 2]
    pairs = []
    while len(pairs) < count:
        pool = institutions if len(pairs) % 2 == 0 else rng.choice(domains)
        own, other = rng.sample(pool, 2)
        pairs.append((own, other))
    return pairs


@needs_node
def test_the_browser_gives_the_python_verdicts_on_random_demo_pairs(compare_site):
    config, site, results = compare_site
    files = data_files(site)
    index = files.pop("eenheden.json")
    variables, thresholds = index["vars"], index["thresholds"]
    pairs = random_pairs(files, 240)
    outputs = run_js([["comparePair", [js_rows(own, variables), js_rows(other, variables), thresholds]] for own, other in pairs])
    compared = marked = 0
    for (own, other), got in zip(pairs, outputs):
        expected = compare_pair(pair_rows(own, variables), pair_rows(other, variables), config.thresholds)
        assert set(got) == set(expected.index)
        for var, row in expected.iterrows():
            compared += 1
            marked += bool(row["marker"])
            assert (got[var]["marker"] or "") == row["marker"] and (got[var]["verdict"] or "") == row["verdict"], (own["name"], other["name"], var)
    # Linked protection hides whole units of the small demo, so fewer pairs share figures.
    assert compared > 5_000 and marked > 50
