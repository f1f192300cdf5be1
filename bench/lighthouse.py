"""Lighthouse on every page type of a RELEASE build, served gzip-compressed as GitHub Pages
serves it (issue 14: performance ≥ 98, the other three categories 100, ≤ 150 KB transferred).

    python bench/lighthouse.py [--pages home,instelling,…] [--keep DIR]

Builds the demo edition as a release (a copy of site_config.yml with `data_status:
definitief`, its data hashes and a moment after the embargo), serves it on 127.0.0.1 with
`Content-Encoding: gzip` for text files, and runs Lighthouse (via npx, with Debian's Chromium:
CHROME_PATH; npx fetches only the npm package) on one page of every type, mobile emulation
(Lighthouse's default). Prints a table and exits 1 when a page misses a target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import CHROMIUM, serve  # noqa: E402

TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
BUDGET_KB = 150
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text compressed with gzip when the client accepts it (as GitHub Pages)."""

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        if not self.path.split("?")[0].endswith("/") and (Path(self.translate_path(self.path))).is_dir():
            return super().send_head()  # the redirect to the folder
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        import io
        return io.BytesIO(body)


def release_build(work: Path) -> Path:
    """The demo edition built as a release into work/site; returns the site folder."""
    from jobmonitor.config import load_config
    from jobmonitor.publish import build
    from jobmonitor.release import current_hashes

    raw = yaml.safe_load((ROOT / "site_config.yml").read_text(encoding="utf-8"))
    raw.update(data_status="definitief", data_dir=str(ROOT / raw["data_dir"]), out_dir=str(work / "site"))
    config_file = work / "release.yml"
    config_file.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    config = load_config(config_file)
    raw["data_hashes"] = current_hashes(config)
    config_file.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    config = load_config(config_file)
    build(config, release=True, now=config.embargo + dt.timedelta(hours=1))
    return work / "site"


def page_paths(site: Path) -> dict[str, str]:
    inst = sorted(p.parent.name for p in site.glob("instellingen/*/index.html"))[0]
    cell = max(site.glob(f"instellingen/{inst}/*/index.html"), key=lambda p: p.stat().st_size).parent.name
    domain = sorted(p.parent.name for p in site.glob("domeinen/*/index.html"))[0]
    theme = sorted(p.parent.name for p in site.glob("themas/*/index.html"))[0]
    card = sorted(p.parent.name for p in site.glob("aan-de-slag/kaarten/*/index.html"))[0]
    return {"home": "", "landelijk": "landelijk/", "instellingen": "instellingen/", "instelling": f"instellingen/{inst}/",
            "instelling-domein": f"instellingen/{inst}/{cell}/", "domeinen": "domeinen/", "domein": f"domeinen/{domain}/",
            "thema": f"themas/{theme}/", "aan-de-slag": "aan-de-slag/", "actiekaart": f"aan-de-slag/kaarten/{card}/",
            "verantwoording": "verantwoording/", "downloads": "downloads/", "over-deze-cijfers": "over-deze-cijfers/",
            "vergelijk": "vergelijk/#" + ",".join(sorted(p.stem for p in site.glob("vergelijk/data/I[0-9][0-9][0-9].json"))[:6])}


def lighthouse(url: str) -> dict:
    npx = shutil.which("npx")
    if npx is None:
        raise SystemExit("npx is not installed: apt-get install -y nodejs npm")
    env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
    command = [npx, "--yes", "lighthouse", url, "--output=json", "--quiet",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
               "--only-categories=performance,accessibility,best-practices,seo"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}: {(done.stderr or done.stdout)[-500:]}")
    return json.loads(done.stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", help="comma-separated page types (default: all)")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="lighthouse-"))
    work.mkdir(parents=True, exist_ok=True)
    ok = True
    try:
        print(f"release build of the demo edition into {work / 'site'} …", flush=True)
        site = release_build(work)
        paths = page_paths(site)
        wanted = args.pages.split(",") if args.pages else list(paths)
        print(f"{'page':<18} {'perf':>4} {'a11y':>4} {'best':>4} {'seo':>4} {'KB sent':>8}  failing")
        with serve(site, GzipHandler) as base:
            for name in wanted:
                result = lighthouse(f"{base}/{paths[name]}")
                scores = {k: round((c.get("score") or 0) * 100) for k, c in result["categories"].items()}
                sent = result["audits"]["total-byte-weight"]["numericValue"] / 1000
                failing = [a["id"] for a in result["audits"].values()
                           if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") in ("binary", "numeric")]
                missed = [k for k, target in TARGETS.items() if scores.get(k, 0) < target] + (["weight"] if sent > BUDGET_KB else [])
                ok &= not missed
                print(f"{name:<18} {scores['performance']:>4} {scores['accessibility']:>4} {scores['best-practices']:>4} "
                      f"{scores['seo']:>4} {sent:>8.1f}  {', '.join(failing[:6])}{'  ← MISSED ' + ', '.join(missed) if missed else ''}",
                      flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
