"""Command line: `python build.py [--config FILE] [--data DIR] [--out DIR] [--release [--now ISO]]`,
`--serve`, and the sub-commands `demo`, `audit`, `hashes`, `bundle`, `rapportages` (the confidential
institution report packs) and `databestand` (the national data file at programme level).

A user's mistake ends in a short message and a non-zero exit code, never in a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import time
from pathlib import Path

from jobmonitor.compute.load import file_sha256
from jobmonitor.config import load_config
from jobmonitor.errors import AuditFailed, InputError, ReleaseRefused

ROOT = Path(__file__).resolve().parent.parent
EXIT_INPUT, EXIT_REFUSED, EXIT_AUDIT = 2, 3, 4


def _iso(value: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 moment: {value!r} (e.g. 2026-05-27T14:00:00+02:00)") from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=ROOT / "site_config.yml", help="edition config (site_config.yml)")
    parser.add_argument("--data", type=Path, help="folder with one sub-folder per edition (overrides the config)")
    parser.add_argument("--out", type=Path, help="output folder of the site (overrides the config)")


def _writes(parser: argparse.ArgumentParser, config_help: str, out_help: str) -> None:
    """The options of a command that writes one output of its own (bundle, packs, data file)."""
    parser.add_argument("--config", type=Path, default=ROOT / "site_config.yml", help=config_help)
    parser.add_argument("--data", type=Path, help="folder with one sub-folder per edition (overrides the config)")
    parser.add_argument("--out", type=Path, required=True, help=out_help)
    parser.add_argument("--quiet", action="store_true", help="print only the summary")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the JOB-monitor results site.")
    _common(parser)
    parser.add_argument("--release", action="store_true", help="public release: embargo, definitive data, hashes checked")
    parser.add_argument("--now", type=_iso, help="for tests: pretend it is this moment (can only move time back)")
    parser.add_argument("--bundle", type=Path, help="build from this publishable bundle instead of the data (the release workflow)")
    parser.add_argument("--serve", action="store_true", help="build a preview and serve it on http://127.0.0.1:8000")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    return parser


def sub_parsers() -> dict[str, argparse.ArgumentParser]:
    demo = argparse.ArgumentParser(prog="build.py demo", description="Generate the synthetic demo editions.")
    demo.add_argument("--scale", choices=["demo", "national"], default="demo")
    demo.add_argument("--out", type=Path, default=ROOT / "data")
    demo.add_argument("--seed", type=int, default=None)
    demo.add_argument("--respondents", type=int, default=None)
    audit = argparse.ArgumentParser(prog="build.py audit", description="Disclosure audit of the results and a built site.")
    _common(audit)
    audit.add_argument("--site", type=Path, help="built site to scan (default: the config's out folder)")
    audit.add_argument("--bundle", type=Path, help="scan the site against this publishable bundle's statuses (no data "
                                                   "here: the bundle passed the full audit when it was made)")
    bundle = argparse.ArgumentParser(
        prog="build.py bundle",
        description="Compute and audit the edition here (where the data may be processed) and write the publishable "
                    "bundle the release workflow builds the public site from: published rows only, no respondent.")
    _writes(bundle, "edition config (the release config)", "the bundle file to write, e.g. bundle-2026.zip")
    hashes = argparse.ArgumentParser(prog="build.py hashes", description="Print data_hashes for the config.")
    _common(hashes)
    packs = argparse.ArgumentParser(prog="build.py rapportages",
                                    description="Build the confidential institution report packs (never public).")
    _writes(packs, "edition config (site_config.yml)", "folder for the packs (outside the site)")
    packs.add_argument("--institution", help="only this institution id (e.g. I001)")
    data_file = argparse.ArgumentParser(
        prog="build.py databestand",
        description="Build the national data file at programme level (institution × opleiding; for researchers and "
                    "third parties, never inside the site), per edition whose responses have an opleiding column.")
    _writes(data_file, "edition config (site_config.yml)", "folder for the data file (outside the site)")
    return {"demo": demo, "audit": audit, "hashes": hashes, "rapportages": packs, "bundle": bundle,
            "databestand": data_file}


def _config(args):
    return load_config(args.config, data_dir=args.data, out_dir=args.out)


def run_build(args) -> int:
    from jobmonitor.publish import build

    config = _config(args)
    say = (lambda m: None) if args.quiet else (lambda m: print(f"· {m}", file=sys.stderr, flush=True))
    start = time.perf_counter()
    report = build(config, release=args.release, now=args.now, bundle=args.bundle, progress=say)
    print(_summary(report, time.perf_counter() - start, args.release))
    if args.bundle:
        print(f"  built from the bundle {args.bundle} (sha256 {file_sha256(args.bundle)})")
    if args.serve:
        return serve(report.out_dir)
    return 0


def _summary(report, seconds: float, release: bool) -> str:
    kind = "release" if release else "preview (not public)"
    lines = [f"Built {kind} site in {report.out_dir} — {report.pages} pages, {seconds:.1f} s"]
    for year, counts in sorted(report.counts.items(), reverse=True):
        lines.append(f"  edition {year}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for year, info in sorted(report.weighting.items(), reverse=True):
        lowest = min(info["efficiency_by_institution"].items(), key=lambda kv: kv[1], default=("-", float("nan")))
        if info["method"] == "poststratification":
            lines.append(f"  weighting {year}: {info['collapsed_cells']} cells collapsed ({info['collapsed_respondents']} "
                         f"respondents), {info['trimmed_respondents']} weights trimmed")
        lines.append(f"  weighting {year}: {info['method']}, efficiency {info['efficiency']:.3f} "
                     f"(design effect {info['design_effect']:.2f}; lowest institution {lowest[0]} {lowest[1]:.3f})")
    lines.append("  seconds per stage: " + ", ".join(f"{k} {v:.2f}" for k, v in report.timings.items()))
    return "\n".join(lines)


def serve(site_dir: Path) -> int:
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site_dir))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 8000), handler) as server:
        print("Serving on http://127.0.0.1:8000 (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


def run_demo(args) -> int:
    from jobmonitor.demo import generate_demo

    kwargs = {"scale": args.scale, "respondents": args.respondents}
    if args.seed is not None:
        kwargs["seed"] = args.seed
    for path in generate_demo(args.out, **kwargs):
        print(path)
    return 0


def run_audit(args) -> int:
    from jobmonitor.site.scan import scan_site

    config = _config(args)
    site = args.site or config.out_dir
    if args.bundle:
        import pandas as pd

        from jobmonitor.bundle import read_bundle

        inputs = read_bundle(args.bundle, config).inputs
        results, findings, what = pd.concat([e.results for e in inputs.editions]), [], "the bundle's hidden cells"
    else:
        from jobmonitor.compute.pipeline import audit_computed, compute

        computed = compute(config)
        results, findings, what = computed.results, audit_computed(computed, config.thresholds.min_n), "no hidden cell"
    if Path(site).is_dir():
        findings += scan_site(Path(site), results, config.edition)
    else:
        print(f"(no built site at {site}; only the results were audited)", file=sys.stderr)
    if findings:
        raise AuditFailed(findings)
    if args.bundle:
        print(f"Audit passed: no figure of {what} found in {site}.")
    else:
        print(f"Audit passed: no hidden cell can be derived or found in {site}.")
    return 0


def run_bundle(args) -> int:
    import tempfile

    from jobmonitor.publish import build
    from jobmonitor.release import check_data_hashes

    say = (lambda m: None) if args.quiet else (lambda m: print(f"· {m}", file=sys.stderr, flush=True))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jobmonitor-bundle-") as folder:
        # The site is built (and scanned with the hidden values at hand) only to check the bundle.
        config = load_config(args.config, data_dir=args.data, out_dir=Path(folder) / "site")
        if config.data_hashes:
            # A release config: the bundle is made from exactly the files it names, or not at all.
            check_data_hashes(config)
        report = build(config, bundle_out=args.out, progress=say)
    print(f"Wrote the publishable bundle {args.out} in {time.perf_counter() - start:.1f} s — sha256 {report.bundle_sha256}")
    print("  published rows and names only, audited and scanned; send it to the release workflow (RELEASING.md).")
    return 0


def run_hashes(args) -> int:
    from jobmonitor.release import hashes_yaml

    print(hashes_yaml(_config(args)), end="")
    return 0


def run_packs(args) -> int:
    from jobmonitor.reports.packs import build_packs

    config = load_config(args.config, data_dir=args.data)
    say = (lambda m: None) if args.quiet else (lambda m: print(f"· {m}", file=sys.stderr, flush=True))
    start = time.perf_counter()
    report = build_packs(config, args.out, args.institution, progress=say)
    seconds = time.perf_counter() - start
    print(f"Built {len(report.seconds)} confidential report pack(s) in {report.out_dir} — {seconds:.1f} s "
          f"(embargo {config.embargo.isoformat()}; data {config.data_status})")
    for institution, took in sorted(report.seconds.items()):
        print(f"  {institution}: {took:.2f} s ({report.typeset_seconds[institution]:.2f} s typesetting) → "
              f"{report.out_dir / (institution + '.zip')}")
    return 0


def run_data_file(args) -> int:
    from jobmonitor.reports.databestand import build_databestand

    config = load_config(args.config, data_dir=args.data)
    say = (lambda m: None) if args.quiet else (lambda m: print(f"· {m}", file=sys.stderr, flush=True))
    start = time.perf_counter()
    report = build_databestand(config, args.out, progress=say)
    print(f"Built the national data file in {report.out_dir} — {time.perf_counter() - start:.1f} s "
          f"(embargo {config.embargo.isoformat()}; data {config.data_status})")
    for year, levels in sorted(report.counts.items()):
        counts = "; ".join(f"{level}: {c['published']} published, {c['suppressed']} suppressed" for level, c in levels.items())
        print(f"  edition {year}: {counts} → {report.out_dir / str(year)}")
    for year, reason in sorted(report.skipped.items()):
        print(f"  edition {year} skipped: {reason}")
    print("  seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in report.seconds.items()))
    return 0


# Sub-commands whose output is private (outside the site): what a failure leaves untouched.
PRIVATE_OUTPUTS = {"rapportages": "the previous report packs are", "databestand": "the previous data file is"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    commands = {"demo": run_demo, "audit": run_audit, "hashes": run_hashes, "rapportages": run_packs, "bundle": run_bundle,
                "databestand": run_data_file}
    packs = bool(argv) and argv[0] in PRIVATE_OUTPUTS
    untouched = PRIVATE_OUTPUTS[argv[0]] if packs else "the previous site is"
    try:
        if argv and argv[0] in commands:
            return commands[argv[0]](sub_parsers()[argv[0]].parse_args(argv[1:]))
        return run_build(build_parser().parse_args(argv))
    except InputError as exc:
        print(exc.message(), file=sys.stderr)
        return EXIT_INPUT
    except ReleaseRefused as exc:
        print(f"{'Refused' if packs else 'Release refused'}: {exc}\nNothing was written; {untouched} untouched.", file=sys.stderr)
        return EXIT_REFUSED
    except AuditFailed as exc:
        print(f"{exc}\nNothing was written; {untouched} untouched.", file=sys.stderr)
        return EXIT_AUDIT
