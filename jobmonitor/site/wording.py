"""Where the visitor wording and the page templates live, and the wording itself (Dutch)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

REPO_DIR = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = REPO_DIR / "templates"
CONTENT_DIR = REPO_DIR / "content"


@lru_cache(maxsize=1)
def load_wording() -> dict:
    """Visitor wording, read once; a missing key should fail loudly in a template."""
    return yaml.safe_load((TEMPLATES_DIR / "wording.yml").read_text(encoding="utf-8"))


def site_name(config, wording: dict | None = None) -> str:
    wording = wording or load_wording()
    return wording["site_name"].format(title=config.title, edition=config.edition)
