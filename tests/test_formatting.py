"""Dutch display strings: numbers, intervals, differences, slugs, escaping and soft hyphens.

Every figure a visitor reads passes through these helpers, so the rules are pinned here:
comma decimals and dot thousands, one decimal for values, two for intervals and differences of
means, a real minus sign, and nothing at all shown for a suppressed cell.
"""

from __future__ import annotations

import html
import re

import markdown
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from jobmonitor.results import RESULT_COLUMNS, Record, UnitKey, index_published, published_results
from jobmonitor.site.formatting import (
    SOFT_HYPHEN,
    format_difference,
    format_interval,
    format_number,
    format_cells,
    format_value,
    markdown_text,
    slugify,
    soft_hyphens,
    sort_key,
)
from jobmonitor.site.wording import load_wording

W = load_wording()
MINUS = "\u2212"
NAN = float("nan")


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (0.0, 1, "0,0"),
    (7.25, 2, "7,25"),
    (73.44, 1, "73,4"),
    (73.46, 1, "73,5"),
    (99.96, 1, "100,0"),
    (998.96, 1, "999,0"),
    (999.0, 1, "999,0"),
    (999.96, 1, "1.000,0"),
    (1234.5, 1, "1.234,5"),
    (1234567.891, 2, "1.234.567,89"),
    (12345, 0, "12.345"),
    (-3.25, 2, "-3,25"),
    (-1234.5, 1, "-1.234,5"),
    (-998.96, 1, "-999,0"),
    (-999.96, 1, "-1.000,0"),
])
def test_numbers_use_dutch_comma_decimals_and_dot_thousands(value, decimals, expected):
    """Dutch readers read 1.234,5 as one thousand two hundred and something; an English
    1,234.5 would read as one comma two."""
    assert format_number(value, decimals) == expected


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.sampled_from([0, 1, 2]))
def test_dutch_number_is_the_rounded_number_with_dutch_separators(value, decimals):
    """For any value: the same digits and rounding as a plain fixed-point format, with only the
    separators swapped, and the integer part grouped by three."""
    got = format_number(value, decimals)
    plain = format(value, f".{decimals}f")
    assert got.replace(".", "").replace(",", ".") == plain
    integer = got.lstrip("-").split(",")[0]
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", integer)
    if decimals:
        assert len(got.split(",")[1]) == decimals
    else:
        assert "," not in got


# ---------------------------------------------------------------- values, intervals, differences


@pytest.mark.parametrize(("value", "measure", "expected"), [
    (73.44, "pct_positive", "73,4" + W["percent_unit"]),
    (100.0, "pct_yes", "100,0" + W["percent_unit"]),
    (7.26, "mean", "7,3"),
    (3.0, "mean", "3,0"),
])
def test_values_have_one_decimal_and_a_percent_unit_only_for_percentages(value, measure, expected):
    """Percentages carry their unit; a mark or theme score is a bare number on its own scale."""
    assert format_value(value, measure, W) == expected


@pytest.mark.parametrize("missing", [NAN, None, pd.NA, np.float64("nan")])
def test_missing_figures_show_the_missing_sign(missing):
    """No estimate must read as "—", never as "nan", "None" or "<NA>"."""
    assert format_value(missing, "pct_positive", W) == W["missing"]
    assert format_interval(missing, 5.0, "mean", W) == W["missing"]
    assert format_interval(5.0, missing, "mean", W) == W["missing"]
    assert format_difference(missing, "pct_yes", W) == W["missing"]


@pytest.mark.parametrize(("low", "high", "measure", "expected"), [
    (61.23, 70.87, "pct_positive", "61,2–70,9"),
    (0.0, 12.04, "pct_yes", "0,0–12,0"),
    (6.853, 7.306, "mean", "6,85–7,31"),
    (3.1, 3.9, "mean", "3,10–3,90"),
])
def test_intervals_use_one_decimal_for_percentages_and_two_for_means(low, high, measure, expected):
    """A relevant difference of means is 0.2 points, so one decimal would hide whether an
    interval clears it; percentages are relevant from 5 points on."""
    assert format_interval(low, high, measure, W) == expected


@pytest.mark.parametrize(("value", "measure", "expected"), [
    (-3.24, "pct_positive", MINUS + "3,2" + W["difference_unit_pct"]),
    (5.0, "pct_yes", "+5,0" + W["difference_unit_pct"]),
    (0.0, "pct_positive", "±0,0" + W["difference_unit_pct"]),
    (-0.04, "pct_positive", "±0,0" + W["difference_unit_pct"]),
    (0.04, "pct_positive", "±0,0" + W["difference_unit_pct"]),
    (-12.5, "pct_positive", MINUS + "12,5" + W["difference_unit_pct"]),
    (0.256, "mean", "+0,26"),
    (-0.2, "mean", MINUS + "0,20"),
    (-0.004, "mean", "±0,00"),
    (1.0, "mean", "+1,00"),
])
def test_differences_have_a_sign_and_unit_and_zero_after_rounding_is_plus_minus(value, measure, expected):
    """The sign follows the number as shown: a difference that rounds to zero is "±0", never
    "−0,0". Percentages differ in percentage points; means get two decimals and no unit.
    The minus is the typographic U+2212, which screen readers read as "min"."""
    assert format_difference(value, measure, W) == expected


# ---------------------------------------------------------------- slugs and sorting


@pytest.mark.parametrize(("text", "expected"), [
    ("Afbouw, hout en onderhoud", "afbouw-hout-en-onderhoud"),
    ("Zorg & Welzijn (MBO 2)", "zorg-welzijn-mbo-2"),
    ("Café Ébène Çà ïë", "cafe-ebene-ca-ie"),
    ("  ROC  Twente!  ", "roc-twente"),
    ("Bouw/Infra -- 's-Hertogenbosch", "bouw-infra-s-hertogenbosch"),
    ("", "x"),
    ("!!! ---", "x"),
    ("日本", "x"),
])
def test_slugs_are_lowercase_ascii_words_joined_by_hyphens(text, expected):
    """Page addresses must survive accents, commas and spaces; a name with no usable letters
    still needs a non-empty path segment."""
    assert slugify(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gives_a_url_safe_slug_that_is_stable(text):
    """Whatever an institution is called, its slug is a valid, non-empty path segment, and
    slugging a slug changes nothing (links stay the same when rebuilt from a slug)."""
    slug = slugify(text)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert slugify(slug) == slug


def test_dutch_alphabetical_order_ignores_accents_and_case():
    """Lists of institutions are in the order a Dutch reader expects: É sorts with E and
    lowercase names are not pushed after Z."""
    names = ["Zadkine", "école Noord", "Albeda", "Élan", "deltion", "Ede Campus"]
    assert sorted(names, key=sort_key) == ["Albeda", "deltion", "école Noord", "Ede Campus", "Élan", "Zadkine"]
    assert sort_key("École") == sort_key("ecole")


# ---------------------------------------------------------------- markdown_text


@pytest.mark.parametrize(("text", "expected"), [
    ("Zorg & Welzijn", "Zorg &amp; Welzijn"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
    ("a*b_c", "a\\*b\\_c"),
    ("[link](https://x)", "\\[link\\]\\(https://x\\)"),
    ("#1 school!", "\\#1 school\\!"),
    ("C++ `code` {x}", "C\\+\\+ \\`code\\` \\{x\\}"),
    ("back\\slash", "back\\\\slash"),
    ("Gewone naam", "Gewone naam"),
])
def test_names_in_markdown_are_html_escaped_and_markdown_escaped(text, expected):
    """A name like "A*B" or "<b>" must print as written in running markdown, not turn into
    emphasis, a link or HTML."""
    got = markdown_text(text)
    assert str(got) == expected
    assert isinstance(got, Markup)  # already safe: Jinja must not escape it a second time


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcXYZ 09.,&<>'\"\\`*_{}[]()#+!", min_size=1, max_size=30))
def test_escaped_names_render_as_the_same_text_in_markdown(name):
    """Property: a name set in a sentence and rendered by python-markdown reads exactly as the
    name itself (no markup swallowed, nothing added)."""
    sentence = f"Over {name} hier."
    rendered = markdown.markdown(str(markdown_text(sentence)))
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    inner = rendered[3:-4]
    assert "<" not in inner  # no element was created
    assert html.unescape(inner) == sentence


# ---------------------------------------------------------------- soft hyphens


def test_long_words_get_soft_hyphens_at_syllable_breaks():
    """A 24-letter word cannot fit a table cell on a phone; the build marks where it may
    break, and only between syllables."""
    got = soft_hyphens("De studieloopbaanbegeleider helpt")
    assert SOFT_HYPHEN in got
    word = got.split()[1]
    assert word.replace(SOFT_HYPHEN, "") == "studieloopbaanbegeleider"
    parts = word.split(SOFT_HYPHEN)
    assert all(len(part) >= 2 for part in parts)
    assert len(parts[0]) >= 4 and len(parts[-1]) >= 4


@pytest.mark.parametrize("text", ["De lessen beginnen op tijd.", "Stagebedrijf", "Stagebedrijf, examen!", ""])
def test_short_words_are_left_alone(text):
    """Words under 13 letters fit a cell; hyphenating them would only break copy-paste and
    search for nothing."""
    assert soft_hyphens(text) == text


WORD_TEXT = st.text(alphabet=st.sampled_from(list("abcdeiklmnoprstuvwz" "éëïöü" "ABCZ" "0123" " ,.-'()\n")),
                    max_size=80)


@settings(max_examples=300, deadline=None)
@given(WORD_TEXT)
def test_removing_soft_hyphens_gives_back_the_text(text):
    """Soft hyphens are invisible marks only: the text itself (what search and copy-paste
    see) must not change."""
    assert soft_hyphens(text).replace(SOFT_HYPHEN, "") == text


@settings(max_examples=300, deadline=None)
@given(WORD_TEXT)
def test_soft_hyphens_only_appear_inside_long_words(text):
    """Only words of 13 or more letters are marked, and never at their very start or end."""
    for match in re.finditer(rf"[\w{SOFT_HYPHEN}]+", soft_hyphens(text)):
        word = match.group(0)
        if SOFT_HYPHEN in word:
            assert len(word.replace(SOFT_HYPHEN, "")) >= 13
            assert not word.startswith(SOFT_HYPHEN) and not word.endswith(SOFT_HYPHEN)


# ---------------------------------------------------------------- format_cells (one results row)

NUMBER_DEFAULT = float("nan")


def record(**values) -> Record:
    """A results row as renderers get it: NaN for empty numbers, '' for empty marker texts."""
    fields = {f: NUMBER_DEFAULT for f in Record._fields}
    fields.update(status="published", kind="item", measure="pct_positive", direction="higher_better", marker="",
                  verdict="", change_marker="", change_verdict="")
    fields.update(values)
    return Record(**fields)


PUBLISHED_PCT = dict(measure="pct_positive", n=1234.0, n_eff=1100.0, estimate=73.44, ci_low=68.1, ci_high=78.2,
                     benchmark=65.0, difference=8.44, marker="+", verdict="favourable", previous_estimate=70.0,
                     change=3.44, change_marker="▲", change_verdict="improved")
PUBLISHED_MEAN = dict(kind="item", measure="mean", n=40.0, n_eff=35.2, estimate=7.26, ci_low=6.853, ci_high=7.606,
                      benchmark=7.3, difference=-0.04, marker="", verdict="no_difference")
SUPPRESSED_WITH_NUMBERS = dict(measure="pct_yes", n=7.0, n_eff=6.5, estimate=55.0, ci_low=30.0, ci_high=80.0,
                               benchmark=60.0, difference=-5.0, marker="-", previous_estimate=50.0, change=5.0,
                               change_marker="▼")
INDICATIVE = dict(status="indicative", measure="pct_yes", n=14.0, n_eff=12.0, estimate=50.0, ci_low=25.5,
                  ci_high=74.5)


def test_published_row_shows_every_figure_in_dutch_format():
    """A published row shows value, interval, n, benchmark, difference, marker, previous
    figure and change, each in the formats above, with marker and change in words."""
    cells = format_cells(record(**PUBLISHED_PCT), W)
    assert cells.status == "published"
    assert cells.value == "73,4" + W["percent_unit"]
    assert cells.interval == "68,1–78,2"
    assert cells.n == "1.234"
    assert cells.benchmark == "65,0" + W["percent_unit"]
    assert cells.difference == "+8,4" + W["difference_unit_pct"]
    assert cells.marker == W["verdict"]["favourable"] == "gunstiger"
    assert cells.previous == "70,0" + W["percent_unit"]
    assert cells.change == "▲ verbeterd"


def test_mean_row_without_previous_edition_shows_the_missing_sign_for_change():
    """Means get one decimal for the value and two for interval and difference; a row with
    no previous figure (new item) says so instead of showing an empty or stale change."""
    cells = format_cells(record(**PUBLISHED_MEAN), W)
    assert (cells.value, cells.interval, cells.n) == ("7,3", "6,85–7,61", "40")
    assert cells.benchmark == "7,3"
    assert cells.difference == MINUS + "0,04"
    assert cells.marker == W["verdict"]["no_difference"]
    assert cells.previous == cells.change == W["missing"]


@pytest.mark.parametrize("status", ["suppressed_primary", "suppressed_secondary"])
def test_suppressed_rows_show_no_figure_at_all(status):
    """Disclosure control: a suppressed cell (primary or complementary) prints nothing, even
    if numbers were left in the row by mistake; only its status remains."""
    cells = format_cells(record(status=status, **SUPPRESSED_WITH_NUMBERS), W)
    assert cells.status == status
    assert tuple(cells)[1:] == ("",) * (len(cells) - 1)


def test_indicative_rows_are_published_with_a_label():
    """A cell below the required response is published but marked "indicatief*", so the
    reader knows to read it with care; without a benchmark it has no difference or marker."""
    cells = format_cells(record(**INDICATIVE), W)
    assert cells.status == "indicative"
    assert cells.value == f"50,0{W['percent_unit']} ({W['indicative']}*)"
    assert cells.interval == "25,5–74,5"
    assert cells.n == "14"
    assert cells.benchmark == cells.difference == cells.marker == W["missing"]
    assert cells.previous == cells.change == W["missing"]


def test_table_rows_format_through_the_published_view():
    """End to end from a few rows of the results table: what a renderer formats after
    `published_results` is the published figures, and nothing of the suppressed row."""
    def row(institution_id, item_id, status, **values):
        base = {c: NUMBER_DEFAULT for c in RESULT_COLUMNS}
        base.update(edition=2026, level="institution", institution_id=institution_id, institution=institution_id,
                    domain_id=None, domain=None, item_id=item_id, kind="item", marker=None, change_marker=None)
        base.update(values, status=status)
        return base

    table = pd.DataFrame([
        row("I1", "Q1", "published", **PUBLISHED_PCT),
        row("I1", "Q4", "published", **PUBLISHED_MEAN),
        row("I2", "Q3", "suppressed_primary", **SUPPRESSED_WITH_NUMBERS),
        row("I3", "Q3", "indicative", **{k: v for k, v in INDICATIVE.items() if k != "status"}),
    ])[RESULT_COLUMNS]
    index = index_published(published_results(table))
    cells = {(key.institution_id, item): format_cells(rec, W) for key, items in index.items() for item, rec in items.items()}
    assert set(cells) == {("I1", "Q1"), ("I1", "Q4"), ("I2", "Q3"), ("I3", "Q3")}
    assert cells[("I1", "Q1")].value == "73,4" + W["percent_unit"]
    assert cells[("I1", "Q4")].difference == MINUS + "0,04"
    hidden = cells[("I2", "Q3")]
    assert hidden.status == "suppressed" and set(tuple(hidden)[1:]) == {""}
    assert cells[("I3", "Q3")].value.endswith(f"({W['indicative']}*)")
    assert UnitKey("institution", "I2", None) in index


def test_distribution_markup_shows_rounded_shares_and_nothing_for_a_hidden_row():
    from jobmonitor.site.distribution import distribution_markup
    from jobmonitor.site.wording import load_wording

    w = load_wording()
    shares = dict(pct_answer_1=4.6, pct_answer_2=10.2, pct_answer_3=17.9, pct_answer_4=44.8, pct_answer_5=22.4,
                  pct_answer_9=6.4)
    html = str(distribution_markup(record(**PUBLISHED_PCT, **shares), w))
    assert re.findall(r'<span class="dn"><i class="s\d"></i>(\d+)</span>', html) == ["5", "10", "18", "45", "22"]
    assert "n.v.t. 6\u00a0%" in html and "van helemaal oneens tot helemaal eens" in html and 'aria-hidden="true"' in html
    assert re.findall(r"width:([\d.]+)%", html) == ["4.6", "10.2", "17.9", "44.8", "22.4"]
    assert str(distribution_markup(record(status="suppressed", **shares), w)) == ""
    yes = str(distribution_markup(record(measure="pct_yes", pct_answer_1=61.5, pct_answer_0=38.5), w))
    assert re.findall(r'<span class="dn"><i class="y\d"></i>(\d+)</span>', yes) == ["62", "38"] and "n.v.t." not in yes
    assert str(distribution_markup(record(**PUBLISHED_MEAN), w)) == ""
