"""Deterministic synthetic demo editions (2022, 2024 and 2026) in the input format of DESIGN.md.

`generate_demo()` writes, per edition, `responses.parquet`, `questionnaire.yml`,
`institutions.csv`, `domains.csv` and `population.csv`. Nothing here is about real respondents:
institutions and item texts are invented (`demo_texts`), answers come from a latent model
(P(positive) = sigmoid(item base + edition change + institution effect + domain effect + leerweg
effect + niveau effect + student traits)) with true differences for about a third of the items,
so the statistics have something to find. An item and its predecessors share one model (their
"concept"), so a comparable chain 2022 -> 2024 -> 2026 measures the same thing.

    python -m jobmonitor.demo --scale demo --out data
"""

from __future__ import annotations

import argparse
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from jobmonitor import demo_texts as T

EDITIONS = (2022, 2024, 2026)
DEFAULT_SEED = 20260527
LEERWEGEN = ("BOL", "BBL")
GENDERS = ("man", "vrouw", "anders")
GENDER_OTHER_SHARE = 0.015
MODULES_PER_RESPONDENT = {2022: 1, 2024: 2, 2026: 4}
RESPONSE_RATE_RANGE = (0.32, 0.54)  # per institution and edition; 43 % on average (2024: 44 %)
# Demo scale only: institution x domain cells pinned to a small n (edge cases around min_n = 10).
FIXED_CELLS = {
    2022: {("I002", "D05"): 10, ("I004", "D05"): 7, ("I005", "D12"): 13,
           ("I006", "D02"): 6, ("I007", "D09"): 11, ("I008", "D12"): 9},
    2024: {("I002", "D05"): 12, ("I004", "D05"): 8, ("I005", "D12"): 10,
           ("I006", "D02"): 5, ("I007", "D09"): 9, ("I008", "D12"): 11},
    2026: {("I002", "D05"): 9, ("I004", "D05"): 10, ("I005", "D12"): 11,
           ("I006", "D02"): 4, ("I007", "D09"): 7, ("I008", "D12"): 6},
}
MIN_RESPONDENTS_FOR_FIXED = 1000
MARK_MEANS = {"ALG01": 6.7, "ALG02": 6.5}  # national report marks of recent editions
# The 2024 edition ships without a weight column, so every demo build exercises the
# post-stratification (collapsing, trimming) as well as delivered weights.
SHIPS_WEIGHTS = {2022: True, 2024: False, 2026: True}
NIVEAU_P = {"BOL": (0.0, 0.17, 0.33, 0.50), "BBL": (0.0, 0.30, 0.45, 0.25)}


@dataclass(frozen=True)
class ScaleSpec:
    institutions: int
    respondents: int
    national_items: bool


SCALES = {
    "demo": ScaleSpec(institutions=len(T.DEMO_INSTITUTIONS), respondents=6000,
                      national_items=False),
    "national": ScaleSpec(institutions=60, respondents=250_000, national_items=True),
}


@dataclass(frozen=True)
class ItemParams:
    base: float  # logit of the item's typical share positive (in 2024)
    delta_2026: float  # true change from 2024 to 2026 (0 for most items)
    inst_eff: np.ndarray  # per institution, logits
    dom_eff: np.ndarray  # per domain, logits
    not_applicable: float  # share "n.v.t." (scale5 only)
    missing: float  # item non-response among those asked
    top: float  # P(5 | positive)
    mark_mean: float
    delta_2024: float  # true change from 2022 to 2024 (0 for most items)
    bbl: float  # BBL (work-based) minus BOL, logits
    niveau: np.ndarray  # per niveau 1-4, logits

    def shift(self, year: int) -> float:
        """The item's logit in `year` before unit effects and student traits."""
        return self.base + {2022: -self.delta_2024, 2026: self.delta_2026}.get(year, 0.0)


# ---------------------------------------------------------------- questionnaires


def _selected(entries: list, national: bool) -> list[tuple]:
    """The entries of one theme list, cut at the NATIONAL marker unless national."""
    if T.NATIONAL in entries and not national:
        entries = entries[: entries.index(T.NATIONAL)]
    return [e for e in entries if e != T.NATIONAL]


def _item(item_id: str, theme: str, text: str, scale: str, kinds: dict[str, str],
          direction: str | None = None) -> dict:
    """One item; `direction` None looks it up by id (a predecessor passes its successor's)."""
    item = {"id": item_id, "theme": theme, "text": text, "scale": scale}
    if kinds[theme] == "module":
        item["module"] = theme
    if direction is None:
        direction = ("lower_better" if item_id in T.LOWER_BETTER
                     else "neutral" if item_id in T.NEUTRAL else "higher_better")
    if direction != "higher_better":
        item["direction"] = direction
    return item


def _predecessors(newer: list[dict], codes: dict[str, str | None], old_versions: dict,
                  prefix_theme: dict[str, str], kinds: dict[str, str]) -> list[dict]:
    """The previous edition's versions of `newer` items; sets their `previous_id`/`comparable`.

    `codes` per newer id (default "="): None new; "=" same id; "XYZ01" another id, same
    wording; a leading "~" other wording or answer options (`old_versions`), not comparable.
    """
    old = []
    for item in newer:
        code = codes.get(item["id"], "=")
        if code is None:
            continue
        old_id = item["id"] if code.lstrip("~") == "=" else code.lstrip("~")
        item["previous_id"] = old_id
        scale, text = item["scale"], item["text"]
        if code.startswith("~"):
            item["comparable"] = False
            scale, text = old_versions[old_id]
        old.append(_item(old_id, prefix_theme[old_id[:3]], text, scale, kinds,
                         item.get("direction", "higher_better")))
    return old


def build_questionnaires(national: bool) -> dict[int, dict]:
    """Every edition's questionnaire as a plain dict in the `questionnaire.yml` layout.

    2026 is listed in `demo_texts`; each earlier edition is derived from the next one: the
    predecessors of its items (which get `previous_id`) plus the items dropped since.
    """
    kinds = {year: {t[0]: t[3 + k] for t in T.THEMES} for k, year in enumerate(EDITIONS)}
    order = {t[0]: k for k, t in enumerate(T.THEMES)}
    entries = [(theme, e) for theme, listed in T.ITEMS_2026.items()
               for e in _selected(listed, national)]
    items = {2026: [_item(e[0], theme, e[2], e[1], kinds[2026]) for theme, e in entries]}
    steps = {  # earlier edition: (later edition, codes, old versions, theme by prefix, dropped)
        2024: (2026, {e[0]: e[3] for _, e in entries}, T.OLD_VERSIONS, T.PREFIX_THEME_2024,
               T.ITEMS_2024_ONLY),
        2022: (2024, T.PREVIOUS_2022, T.OLD_VERSIONS_2022, T.PREFIX_THEME_2022,
               T.ITEMS_2022_ONLY),
    }
    for year, (later, codes, versions, prefix_theme, dropped) in steps.items():
        old = _predecessors(items[later], codes, versions, prefix_theme, kinds[year])
        old += [_item(item_id, theme, text, scale, kinds[year])
                for theme, listed in dropped.items()
                for item_id, scale, text in _selected(listed, national)]
        items[year] = sorted(old, key=lambda i: (order[i["theme"]], i["id"]))
    return {year: {"edition": year, "themes": _themes(kinds[year]), "items": items[year]}
            for year in EDITIONS}


def _themes(kinds: dict[str, str | None]) -> list[dict]:
    return [{"id": tid, "name": name, "description": desc, "kind": kinds[tid]}
            for tid, name, desc, *_ in T.THEMES if kinds[tid] is not None]


# ---------------------------------------------------------------- institutions and population


def _institutions(spec: ScaleSpec, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """Institutions frame and their relative size per domain (0 = domain not offered)."""
    dom_ids = [d[0] for d in T.DOMAINS]
    names, places, offer = [], [], np.zeros((spec.institutions, len(dom_ids)))
    for k, (name, place, size, domains) in enumerate(T.DEMO_INSTITUTIONS[: spec.institutions]):
        names.append(name)
        places.append(place)
        offer[k, [dom_ids.index(d) for d in domains.split()]] = size
    for k in range(len(names), spec.institutions):
        kind, offered, size = _generated_profile(rng)
        stem = T.NAME_STEMS[k - len(T.DEMO_INSTITUTIONS)]
        form = {"aoc": 3, "vak": 2}.get(kind, k % 2)
        names.append(T.NAME_FORMS[form].format(stem))
        places.append(T.PLACES[k % len(T.PLACES)])
        offer[k, offered] = size
    shares = np.array([d[2] for d in T.DOMAINS])
    offer *= shares * rng.lognormal(0.0, 0.4, offer.shape)
    ids = [f"I{k + 1:03d}" for k in range(spec.institutions)]
    frame = pd.DataFrame({"institution_id": ids, "name": names, "place": places})
    return frame, offer


def _generated_profile(rng: np.random.Generator) -> tuple[str, np.ndarray, float]:
    """Kind, offered domain indices and size of one invented national-scale institution.

    Domain indices are 0-based: 3 = D04 economie, 4 = D05 Entree, 6 = D07 horeca,
    15 = D16 voedsel/natuur, 16 = D17 zorg en welzijn.
    """
    u = rng.random()
    if u < 0.12:  # agrarian training centre: food, nature and living environment plus a few
        extra = np.flatnonzero(rng.random(17) < 0.25)
        return "aoc", np.union1d([15], extra[np.isin(extra, [4, 6, 16])]), 2.0
    if u < 0.27:  # specialised school: one to three domains
        return "vak", rng.choice(17, size=rng.integers(1, 4), replace=False), 1.5
    offered = np.flatnonzero(rng.random(17) < np.where(np.arange(17) == 15, 0.3, 0.85))
    return "roc", np.union1d(offered, [3, 16]), float(rng.lognormal(0.0, 0.5))


def _cell_shape(offer: np.ndarray) -> np.ndarray:
    """Relative population per institution x domain x leerweg x gender (shape I, D, 2, 3)."""
    bbl = np.array([d[3] for d in T.DOMAINS])
    women = np.array([d[4] for d in T.DOMAINS]) * (1 - GENDER_OTHER_SHARE)
    leerweg = np.stack([1 - bbl, bbl], axis=-1)  # (D, 2)
    gender = np.stack([1 - GENDER_OTHER_SHARE - women, women,
                       np.full_like(women, GENDER_OTHER_SHARE)], axis=-1)  # (D, 3)
    return offer[:, :, None, None] * leerweg[None, :, :, None] * gender[None, :, None, :]


def _allocate(shape: np.ndarray, rates: np.ndarray, total: int, fixed: dict[tuple[int, int], int],
              rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Population and respondents per cell: respondents multinomial ∝ population x rate."""
    free = shape > 0
    for i, d in fixed:
        free[i, d] = False
    n_free = total - sum(fixed.values())
    scale = n_free / (shape * rates[:, None, None, None])[free].sum()
    pop = np.where(free, np.rint(shape * scale), 0).astype(np.int64)
    expected = (pop * rates[:, None, None, None]).ravel()
    n = rng.multinomial(n_free, expected / expected.sum()).reshape(pop.shape)
    for (i, d), n_cell in fixed.items():
        share = (shape[i, d] / shape[i, d].sum()).ravel()
        n[i, d] = rng.multinomial(n_cell, share).reshape(shape[i, d].shape)
        pop[i, d] = np.rint(shape[i, d] / shape[i, d].sum() * n_cell / rates[i])
    return np.maximum(pop, n), n


def _population_frame(pop: np.ndarray, inst_ids: list[str]) -> pd.DataFrame:
    i, d, lw, g = np.nonzero(pop)
    return pd.DataFrame({
        "institution_id": np.array(inst_ids)[i], "domain_id": [T.DOMAINS[k][0] for k in d],
        "leerweg": np.array(LEERWEGEN)[lw], "gender": np.array(GENDERS)[g],
        "population": pop[i, d, lw, g],
    })


# ---------------------------------------------------------------- respondents


def _background(year: int, pop: np.ndarray, n: np.ndarray, inst_ids: list[str],
                rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """One row per respondent with background and weight; also institution and domain indices."""
    cell = rng.permutation(np.repeat(np.arange(n.size), n.ravel()))
    i, d, lw, g = np.unravel_index(cell, n.shape)
    responded = n > 0
    pop_share = pop / pop[responded].sum()
    # Post-stratification: population share / response share of the respondent's cell.
    weight = (pop_share.ravel()[cell]) / (n.ravel()[cell] / cell.size)
    frame = pd.DataFrame({
        "respondent_id": [f"R{year}-{k:06d}" for k in range(1, cell.size + 1)],
        "institution_id": np.array(inst_ids)[i],
        "domain_id": np.array([dm[0] for dm in T.DOMAINS])[d],
        "leerweg": np.array(LEERWEGEN)[lw],
        "niveau": _niveau(d, lw, rng),
        "gender": np.array(GENDERS)[g],
        "weight": weight,
    })
    return frame, i, d


def _niveau(dom: np.ndarray, leerweg: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Level 1 is Entree (D05) only; levels 2-4 depend on leerweg."""
    cum = np.cumsum(np.array([NIVEAU_P[lw] for lw in LEERWEGEN]), axis=1)[leerweg]
    level = 1 + (rng.random(dom.size)[:, None] > cum[:, :-1]).sum(axis=1)
    return np.where(dom == 4, 1, level).astype(np.int64)


def _modules_asked(n: int, modules: list[str], per_respondent: int,
                   rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Each respondent answers exactly `per_respondent` randomly chosen modules."""
    rank = np.argsort(rng.random((n, len(modules))), axis=1).argsort(axis=1)
    return {m: rank[:, k] < per_respondent for k, m in enumerate(modules)}


# ---------------------------------------------------------------- answers


def item_params(concept: str, n_inst: int, seed: int = DEFAULT_SEED) -> ItemParams:
    """The true model of one item, shared by its versions in every edition (`concept`: the id
    in its latest edition, or `<year>:<id>` for an item dropped after `year`)."""
    rng = np.random.default_rng([seed, zlib.crc32(concept.encode())])
    target = rng.uniform(0.29, 0.77)
    # Student traits (sd ≈ 0.94 logits) flatten shares; scale the base so that the national
    # share stays near the target.
    base = float(np.log(target / (1 - target)) * 1.16)
    has_effects = rng.random() < 1 / 3
    effects = []
    for size in (n_inst, len(T.DOMAINS)):
        eff = rng.choice([-1.0, 1.0], size) * rng.uniform(0.3, 0.6, size)
        effects.append(np.where(has_effects & (rng.random(size) < 0.3), eff, 0.0))
    delta = rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 0.4) if rng.random() < 0.3 else 0.0
    nvt = rng.uniform(0.05, 0.10) if rng.random() < 0.35 else 0.0
    missing, top = float(rng.uniform(0.02, 0.05)), float(rng.uniform(0.25, 0.45))
    mark_mean = MARK_MEANS.get(concept, float(rng.uniform(6.4, 6.9)))
    # A stream of its own, so these effects depend on the concept alone (not on n_inst).
    rng = np.random.default_rng([seed, zlib.crc32(concept.encode()), 1])
    delta_2024 = rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 0.4) if rng.random() < 0.3 else 0.0
    # BBL students (4 days at work) see school differently on some items; the levels too.
    bbl = rng.choice([-1.0, 1.0]) * rng.uniform(0.1, 0.4) if rng.random() < 0.4 else 0.0
    slope = rng.choice([-1.0, 1.0]) * rng.uniform(0.1, 0.2) if rng.random() < 0.4 else 0.0
    niveau = slope * (np.arange(1, 5) - 3.0)  # level 3 is the reference
    return ItemParams(base, float(delta), effects[0], effects[1], float(nvt), missing, top,
                      mark_mean, float(delta_2024), float(bbl), niveau)


def _answers(scale: str, eta: np.ndarray, params: ItemParams,
             rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Answer codes from the latent logit, and which answers are left empty (non-response)."""
    n = eta.size
    u, v = rng.random(n), rng.random(n)
    if scale == "mark":
        mark = params.mark_mean + 0.5 * (eta - params.base) + rng.normal(0.0, 1.2, n)
        codes = np.clip(np.rint(mark), 1, 10)
    else:
        positive = u < 1 / (1 + np.exp(-eta))
        if scale == "yesno":
            codes = positive.astype(float)
        else:
            negative = np.where(v < 0.15, 1, np.where(v < 0.45, 2, 3))
            codes = np.where(positive, np.where(v < params.top, 5, 4), negative)
            codes = np.where(rng.random(n) < params.not_applicable, 9, codes)
    return codes.astype(np.int8), rng.random(n) < params.missing


def _concepts(questionnaires: dict[int, dict]) -> dict[int, dict[str, str]]:
    """Item id -> concept key per edition; an item shares the concept of its successor (along
    the chain 2022 -> 2024 -> 2026), an item dropped after `year` has `<year>:<id>`."""
    latest = EDITIONS[-1]
    concepts = {latest: {i["id"]: i["id"] for i in questionnaires[latest]["items"]}}
    for year, later in zip(EDITIONS[-2::-1], EDITIONS[:0:-1]):
        successor = {i["previous_id"]: concepts[later][i["id"]]
                     for i in questionnaires[later]["items"] if "previous_id" in i}
        concepts[year] = {i["id"]: successor.get(i["id"], f"{year}:{i['id']}")
                          for i in questionnaires[year]["items"]}
    return concepts


def _item_columns(year: int, questionnaire: dict, concepts: dict[str, str],
                  background: pd.DataFrame, inst: np.ndarray, dom: np.ndarray, n_inst: int,
                  seed: int, rng: np.random.Generator) -> dict[str, pd.arrays.IntegerArray]:
    n = inst.size
    bbl = (background["leerweg"] == "BBL").to_numpy()
    level = background["niveau"].to_numpy() - 1
    general = rng.normal(0.0, 0.8, n)  # a student's overall positivity
    modules = [t["id"] for t in questionnaire["themes"] if t["kind"] == "module"]
    asked = _modules_asked(n, modules, MODULES_PER_RESPONDENT[year], rng)
    theme_trait: dict[str, np.ndarray] = {}
    codes, empty = {}, {}
    for item in questionnaire["items"]:
        params = item_params(concepts[item["id"]], n_inst, seed)
        if item["theme"] not in theme_trait:
            theme_trait[item["theme"]] = rng.normal(0.0, 0.5, n)
        eta = (params.shift(year) + params.inst_eff[inst] + params.dom_eff[dom]
               + params.bbl * bbl + params.niveau[level] + general + theme_trait[item["theme"]])
        codes[item["id"]], empty[item["id"]] = _answers(item["scale"], eta, params, rng)
    for module in modules:
        ids = [i["id"] for i in questionnaire["items"] if i.get("module") == module]
        # Whoever gets a module answers at least one of its items; the others none of them.
        empty[ids[0]] &= ~np.logical_and.reduce([empty[k] for k in ids])
        for k in ids:
            empty[k] |= ~asked[module]
    return {k: pd.arrays.IntegerArray(codes[k], empty[k]) for k in codes}


# ---------------------------------------------------------------- writing


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def _write_edition(folder: Path, questionnaire: dict, responses: pd.DataFrame,
                   tables: dict[str, pd.DataFrame]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "responses.parquet", folder / "questionnaire.yml"]
    table = pa.Table.from_pandas(responses, preserve_index=False)
    pq.write_table(table, written[0], compression="zstd")
    text = yaml.safe_dump(questionnaire, sort_keys=False, allow_unicode=True)
    written[1].write_text(text, encoding="utf-8")
    return written + [_write_csv(frame, folder / name) for name, frame in tables.items()]


def generate_demo(out_dir: Path, scale: str = "demo", seed: int = DEFAULT_SEED,
                  respondents: int | None = None) -> list[Path]:
    """Write the synthetic editions (`EDITIONS`) under `out_dir`; return the files written."""
    if scale not in SCALES:
        raise ValueError(f"`scale` must be one of {', '.join(SCALES)}, not {scale!r}")
    spec = SCALES[scale]
    total = spec.respondents if respondents is None else int(respondents)
    if total < 100:
        raise ValueError(f"`respondents` must be at least 100, not {total}")
    scale_code = list(SCALES).index(scale)
    institutions, offer = _institutions(spec, np.random.default_rng([seed, 0, scale_code]))
    inst_ids = institutions["institution_id"].tolist()
    domains = pd.DataFrame({"domain_id": [d[0] for d in T.DOMAINS],
                            "name": [d[1] for d in T.DOMAINS]})
    questionnaires = build_questionnaires(spec.national_items)
    concepts = _concepts(questionnaires)
    written = []
    for year in EDITIONS:
        rng = np.random.default_rng([seed, year, scale_code])
        shape = _cell_shape(offer * rng.lognormal(0.0, 0.05, offer.shape))
        rates = rng.uniform(*RESPONSE_RATE_RANGE, len(inst_ids))
        fixed = {}
        if scale == "demo" and total >= MIN_RESPONDENTS_FOR_FIXED:
            fixed = {(inst_ids.index(i), [d[0] for d in T.DOMAINS].index(d)): n_cell
                     for (i, d), n_cell in FIXED_CELLS[year].items()}
        pop, n = _allocate(shape, rates, total, fixed, rng)
        background, inst, dom = _background(year, pop, n, inst_ids, rng)
        items = _item_columns(year, questionnaires[year], concepts[year], background, inst,
                              dom, len(inst_ids), seed, rng)
        if year == EDITIONS[-1]:
            background = _with_report_columns(background, np.random.default_rng([seed, 98]))
        responses = pd.concat([background, pd.DataFrame(items)], axis=1)
        if not SHIPS_WEIGHTS[year]:
            responses = responses.drop(columns="weight")
        tables = {"institutions.csv": institutions, "domains.csv": domains,
                  "population.csv": _population_frame(pop, inst_ids)}
        written += _write_edition(Path(out_dir) / str(year), questionnaires[year], responses,
                                  tables)
    return written + _write_labels(Path(out_dir) / str(EDITIONS[-1]), responses, seed)


def _with_report_columns(background: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The optional `voltijd` and `opleiding` columns (institution reports only), from their own
    random stream so every other column stays as it was."""
    bbl = (background["leerweg"] == "BBL").to_numpy()
    part_time = bbl | (rng.random(len(background)) < T.BOL_PART_TIME)
    names = dict((d[0], d[1]) for d in T.DOMAINS)
    programme = [T.PROGRAMME.format(domain=names[d], niveau=k) for d, k in zip(background["domain_id"], background["niveau"])]
    at = background.columns.get_loc("gender") + 1
    return pd.concat([background.iloc[:, :at],
                      pd.DataFrame({"voltijd": np.where(part_time, "deeltijd", "voltijd"), "opleiding": programme},
                                   index=background.index),
                      background.iloc[:, at:]], axis=1)


def _write_labels(folder: Path, responses: pd.DataFrame, seed: int) -> list[Path]:
    """`labels.csv` and `labels.yml` of two institutions (the institution reports' own input)."""
    rng = np.random.default_rng([seed, 99])
    rows, definitions = [], {}
    for inst, labels in T.LABELS.items():
        ids = responses.loc[responses["institution_id"] == inst, "respondent_id"].to_numpy()
        drawn = {column: rng.choice(list(shares), len(ids), p=list(shares.values()))
                 for column, (_, shares) in labels.items()}
        if inst == "I001":  # the team lies within a location
            drawn["label_1"] = np.array([T.TEAM_LOCATION[team] for team in drawn["label_2"]])
        rows.append(pd.DataFrame({"respondent_id": ids, **drawn}))
        definitions[inst] = {column: {"name": name, "values": list(shares)} for column, (name, shares) in labels.items()}
        if inst in T.LABEL_STANDARD:
            definitions[inst]["standard"] = T.LABEL_STANDARD[inst]
    paths = [folder / "labels.csv", folder / "labels.yml"]
    _write_csv(pd.concat(rows, ignore_index=True), paths[0])
    paths[1].write_text(yaml.safe_dump(definitions, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jobmonitor.demo",
        description="Write synthetic JOB-monitor editions (2022, 2024 and 2026) for demos and "
                    "tests.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--out", type=Path, required=True, help="folder for <year>/ editions")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--respondents", type=int, default=None,
                        help="respondents per edition (default: 6000 demo, 250000 national)")
    args = parser.parse_args(argv)
    for path in generate_demo(args.out, args.scale, args.seed, args.respondents):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
