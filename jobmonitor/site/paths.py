"""Where every page of the site lives, and the units (institutions, domains) that get one.

Page specs decide their links from these functions before anything is rendered, so a link
never points to a page that is not built.
"""

from __future__ import annotations

import pandas as pd

from jobmonitor.codebook import Theme
from jobmonitor.results import SiteInputs, UnitKey
from jobmonitor.site.formatting import slugify, sort_key, text_or_empty
from jobmonitor.site.specs import Unit

GUIDES = "aan-de-slag"
GUIDES_START = f"{GUIDES}/index.md"
GUIDES_READING = f"{GUIDES}/resultaten-lezen.md"
COMPARE_PAGE = "vergelijk.md"


def compare_fragment(inst_id: str, domain_id: str | None = None) -> str:
    """The compare page's URL fragment that chooses this unit first (`#I001`, `#D03:I001`)."""
    return f"#{domain_id}:{inst_id}" if domain_id else f"#{inst_id}"


def theme_slug(theme: Theme) -> str:
    return slugify(theme.name)


def theme_path(theme: Theme) -> str:
    return f"themas/{theme_slug(theme)}.md"


def institution_path(inst: Unit) -> str:
    return f"instellingen/{inst.slug}/index.md"


def institution_domain_path(inst: Unit, dom: Unit) -> str:
    return f"instellingen/{inst.slug}/{dom.slug}.md"


def domain_path(dom: Unit) -> str:
    return f"domeinen/{dom.slug}.md"


def guide_path(theme: Theme) -> str:
    return f"{GUIDES}/themas/{theme_slug(theme)}.md"


def card_path(inst: Unit, dom: Unit | None = None) -> str:
    return f"{GUIDES}/kaarten/{inst.slug}.md" if dom is None else f"{GUIDES}/kaarten/{inst.slug}/{dom.slug}.md"


def _units(frame: pd.DataFrame, id_column: str, present: set[str], names: dict[str, str]) -> list[Unit]:
    """Units that have results, alphabetical, with unique slugs."""
    lookup = {str(r[id_column]): r for r in frame.to_dict("records")} if len(frame) else {}
    units, used = [], set()
    for unit_id in sorted(present):
        row = lookup.get(unit_id, {})
        name = text_or_empty(row.get("name")) or names.get(unit_id, unit_id)
        slug = text_or_empty(row.get("slug")) or slugify(name)
        while slug in used:
            slug += "-" + slugify(unit_id)
        used.add(slug)
        units.append(Unit(unit_id, name, slug, text_or_empty(row.get("place"))))
    return sorted(units, key=lambda u: (sort_key(u.name), u.id))


def _names(results: pd.DataFrame, id_column: str, name_column: str) -> dict[str, str]:
    pairs = zip(results[id_column].astype("string").tolist(), results[name_column].astype("string").tolist())
    return {i: text_or_empty(n) for i, n in pairs if i is not pd.NA}


def site_units(inputs: SiteInputs) -> tuple[list[Unit], list[Unit]]:
    """Institutions and domains with results in the current edition, alphabetical."""
    keys: list[UnitKey] = list(inputs.index)
    inst_ids = {key.institution_id for key in keys if key.institution_id is not None}
    dom_ids = {key.domain_id for key in keys if key.domain_id is not None}
    return (
        _units(inputs.institutions, "institution_id", inst_ids, _names(inputs.results, "institution_id", "institution")),
        _units(inputs.domains, "domain_id", dom_ids, _names(inputs.results, "domain_id", "domain")),
    )
