"""National-scale benchmark of the institution report packs (issue 16: all ~60 institutions in
≤ 60 s on a 2-core machine): every pack of the national editions, with three analysis labels
for every institution (a location, a team nested in it, a free label), against the bare
typesetting time of the same documents measured in the same run.

    python bench/reports.py [--respondents 250000] [--seed 20260527] [--keep DIR]

Prints seconds per pack, then one line:
total_s=… packs=… per_pack_s=… bare_typeset_s=… ratio_to_typesetting=… peak_rss_mb=…
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from national import national_data, peak_rss_mb  # noqa: E402

from jobmonitor.config import load_config  # noqa: E402


def with_labels_everywhere(source: Path, target: Path, seed: int) -> Path:
    """A copy of the national editions (links) whose current edition gives every institution
    three labels: 2–4 locations, 3–8 teams each within one location, and a free 2–5 valued one."""
    for year in sorted(p for p in source.iterdir() if p.is_dir()):
        (target / year.name).mkdir(parents=True)
        for path in year.iterdir():
            if path.name not in ("labels.csv", "labels.yml"):
                (target / year.name / path.name).symlink_to(path)
    current = max(int(p.name) for p in target.iterdir())
    responses = pd.read_parquet(source / str(current) / "responses.parquet", columns=["respondent_id", "institution_id"])
    rng = np.random.default_rng([seed, 16])
    rows, definitions = [], {}
    for inst, part in responses.groupby("institution_id", observed=True):
        locations = [f"Locatie {k}" for k in range(1, rng.integers(2, 5) + 1)]
        teams = [f"Team {k}" for k in range(1, rng.integers(3, 9) + 1)]
        home = {team: locations[k % len(locations)] for k, team in enumerate(teams)}
        extra = [f"Groep {k}" for k in range(1, rng.integers(2, 6) + 1)]
        team = rng.choice(teams, len(part), p=rng.dirichlet(np.full(len(teams), 3.0)))
        rows.append(pd.DataFrame({"respondent_id": part["respondent_id"].to_numpy(), "label_1": [home[t] for t in team],
                                  "label_2": team, "label_3": rng.choice(extra, len(part))}))
        definitions[str(inst)] = {"label_1": {"name": "Locatie", "values": locations},
                                  "label_2": {"name": "Team", "values": teams},
                                  "label_3": {"name": "Cohort", "values": extra}}
    pd.concat(rows).to_csv(target / str(current) / "labels.csv", index=False)
    (target / str(current) / "labels.yml").write_text(yaml.safe_dump(definitions, allow_unicode=True), encoding="utf-8")
    return target


def bare_typesetting(config, institutions: list[str]) -> float:
    """The same documents typeset one after another in one process: the floor of the PDFs."""
    from jobmonitor.reports.document import report_document
    from jobmonitor.reports.packs import institution_report, prepare
    from jobmonitor.reports.pdf import render_pdf
    from jobmonitor.site.wording import load_words, load_wording

    prepared = prepare(config, lambda m: None)
    words, w = load_words("rapport"), load_wording()
    questionnaire = prepared.computed.current.edition.questionnaire
    themes = {t.id: (t.name, t.description) for t in questionnaire.themes}
    documents = [report_document(institution_report(prepared, i, words), config, words, w, prepared.made, themes)
                 for i in institutions]
    start = time.perf_counter()
    for document in documents:
        render_pdf(document)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=20260527)
    parser.add_argument("--keep", type=Path, help="keep the packs in this folder")
    args = parser.parse_args()
    from jobmonitor.reports.packs import build_packs

    work = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        data = with_labels_everywhere(national_data(args.respondents, args.seed), work / "data", args.seed)
        config = load_config(ROOT / "site_config.yml", data_dir=data, out_dir=work / "site")
        out = args.keep or work / "packs"
        start = time.perf_counter()
        report = build_packs(config, out, progress=lambda m: print(f"  · {m}", flush=True))
        total = time.perf_counter() - start
        for inst, seconds in sorted(report.seconds.items()):
            print(f"  {inst}: {seconds:5.2f} s (typesetting {report.typeset_seconds[inst]:4.2f} s)")
        print("  stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.stages.items()))
        rss = peak_rss_mb()
        bare = bare_typesetting(config, sorted(report.seconds))
        packs = len(report.seconds)
        print(f"total_s={total:.1f} packs={packs} per_pack_s={total / packs:.2f} bare_typeset_s={bare:.1f} "
              f"ratio_to_typesetting={total / bare:.2f} peak_rss_mb={rss:.0f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
