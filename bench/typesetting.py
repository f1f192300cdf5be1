"""Typesetting the confidential institution report: Typst (the `typst` package) against
WeasyPrint, on the same full-size document.

    python bench/typesetting.py [--docs 5]

The document is the test fixture grown to 15 themes × 10 items and 3 breakdowns of 12 groups
plus the total (about 24 pages with the Typst template). Each run gets `--docs` different
documents (institution name and question texts vary), so no engine can reuse a previous result
whole. Measured, wall-clock seconds per document:
  typst_first     the first render_pdf in this process (fonts loaded, template parsed)
  typst           render_pdf per document: typst.compile, a fresh compile each call
  typst_compiler  one typst.Compiler reused for all documents (the batch path pdf.py does
                  not offer, because it was not faster)
  weasyprint      HTML → PDF with WeasyPrint, a plain equivalent HTML written below (tables with
                  repeating thead, the same bars as divs, margin boxes for the embargo line)
Prints one line per measurement, the ratios, and a summary line `key=value …`. WeasyPrint needs
`pip install weasyprint` and pango (Debian: libpango-1.0-0 libpangoft2-1.0-0); without it, only
Typst is measured. A benchmark only: nothing in the package imports this.
"""

from __future__ import annotations

import argparse
import html
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import typst

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from jobmonitor.reports.pdf import TEMPLATE, render_pdf  # noqa: E402
from test_report_pdf import expanded  # noqa: E402  (the test's full-size document)

COLOURS = ["#a6520a", "#f0a54a", "#d4d4d4", "#86abd6", "#1b365d"]


def render_with_one_compiler(batch: list[dict]) -> list[bytes]:
    """The candidate batch path: the template parsed and the fonts loaded once."""
    compiler = typst.Compiler(TEMPLATE, root=TEMPLATE.parent, ignore_system_fonts=True)
    return [compiler.compile(sys_inputs={"document": json.dumps(d, ensure_ascii=False)}, pdf_tags=True)
            for d in batch]


def documents(count: int) -> list[dict]:
    """`count` full-size documents that differ in every table (names and question texts)."""
    found = []
    for k in range(count):
        document = expanded(themes=15, items=10, breakdowns=3, groups=12)
        name = f"ROC Voorbeeld {k + 1}"
        document["title"] = f"JOB-monitor 2026 – Instellingsrapport {name}"
        document["institution"] = {**document["institution"], "name": name}
        for theme in document["themes"]:
            for row in theme["rows"]:
                row["text"] = f"{row['text']} [{k + 1}]"
        for breakdown in document["breakdowns"]:
            for row in breakdown["rows"]:
                row["text"] = f"{row['text']} [{k + 1}]"
        found.append(document)
    return found


# --- the equivalent HTML for WeasyPrint --------------------------------------------------------

CSS = """
@page { size: A4; margin: 2.5cm 2cm 2.3cm 2cm;
  @top-left { content: string(confidential); color: #9b1c1c; font-weight: bold; font-size: 8pt; }
  @top-right { content: string(concept); font-weight: bold; font-size: 8pt; }
  @bottom-left { content: string(copyright); font-size: 8pt; color: #555; }
  @bottom-right { content: "pagina " counter(page) " van " counter(pages); font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Serif", serif; font-size: 10pt; hyphens: auto; }
.running-confidential { string-set: confidential content(); display: none; }
.running-concept { string-set: concept content(); display: none; }
.running-copyright { string-set: copyright content(); display: none; }
h1, h2 { color: #1b365d; } h1 { font-size: 16pt; break-before: page; } h2 { font-size: 12.5pt; }
h2 { break-after: avoid; }
.cover { break-after: page; } .cover .title { font-size: 24pt; font-weight: bold; color: #1b365d; }
.confidential { border-left: 3pt solid #9b1c1c; padding-left: 10pt; color: #9b1c1c; font-weight: bold; }
.concept { background: #fff1c2; border: 1pt solid #9b1c1c; padding: 10pt; font-size: 16pt; font-weight: bold; }
table { width: 100%; border-collapse: collapse; font-size: 8pt; table-layout: fixed; }
th { color: #1b365d; text-align: left; border-bottom: 0.9pt solid #1b365d; vertical-align: bottom; }
td { vertical-align: top; border-top: 0.35pt solid #9aa7b8; padding: 3pt; }
tr.bar td { border-top: none; } tr.theme td { background: #e9eef5; font-weight: bold; }
.num { text-align: right; } .note { font-size: 7pt; color: #555; }
.summary { display: flex; gap: 6pt; } .summary div { flex: 1; background: #e9eef5; padding: 8pt; }
.summary b { font-size: 17pt; color: #1b365d; display: block; }
.bar { display: flex; height: 4.5pt; } .bar span { display: block; height: 100%; border-right: 0.6pt solid white; }
.swatch { display: inline-block; width: 5.5pt; height: 5.5pt; border: 0.3pt solid #555; }
tbody tr { break-inside: avoid; }
"""


def esc(value) -> str:
    return html.escape(str(value))


def distribution_html(d: dict) -> str:
    total = sum(p["pct"] for p in d["parts"]) or 1
    bar = "".join(f'<span style="width:{p["pct"] / total * 100:.2f}%;background:{COLOURS[i % 5]}"></span>'
                  for i, p in enumerate(d["parts"]) if p["pct"] > 0)
    legend = " ".join(f'<span class="swatch" style="background:{COLOURS[i % 5]}"></span> '
                      f'{esc(p["label"])} {esc(p["text"])}&nbsp;%' for i, p in enumerate(d["parts"]))
    apart = d.get("apart")
    if apart:
        legend += f' · {esc(apart["label"])} {esc(apart["text"])}&nbsp;%'
    return f'<div class="bar">{bar}</div><div class="note">{legend}</div>'


def theme_html(theme: dict) -> str:
    head = "".join(f'<th class="{"" if j == 0 else "num"}">{esc(h)}</th>' for j, h in enumerate(theme["header"]))
    body = []
    for row in theme["rows"]:
        d = row.get("distribution")
        note = f'<div class="note">{esc(row["note"])}</div>' if row.get("note") else ""
        cells = "".join(f'<td class="num">{esc(c)}</td>' for c in row["cells"])
        body.append(f'<tbody><tr class="{row["kind"]}"><td rowspan="{2 if d else 1}">{esc(row["text"])}{note}</td>'
                    f'{cells}</tr>'
                    + (f'<tr class="bar"><td colspan="{len(row["cells"])}">{distribution_html(d)}</td></tr>' if d else "")
                    + "</tbody>")
    return (f'<h2>{esc(theme["name"])}</h2><p>{esc(theme["description"])}</p><p class="note">Schaal: {esc(theme["scale"])}</p>'
            f'<table><colgroup><col style="width:28%"></colgroup><thead><tr>{head}</tr></thead>{"".join(body)}</table>')


def breakdown_html(breakdown: dict, most: int = 6) -> str:
    n = len(breakdown["groups"])
    blocks = -(-n // most)
    size = -(-n // blocks)
    out = [f'<h2>{esc(breakdown["title"])}</h2><p>{esc(breakdown["intro"])}</p>']
    for b in range(blocks):
        groups = range(b * size, min(n, (b + 1) * size))
        head = f'<th>{esc(breakdown["header"][0])}</th>' + "".join(
            f'<th class="num">{esc(breakdown["header"][g + 1])}</th>' for g in groups)
        rows = []
        for row in breakdown["rows"]:
            cells = "".join(
                f'<td class="num">{esc(c["value"])}' + (f'<div class="note">n = {esc(c["n"])}</div>' if c["n"] else "")
                + (f'<div class="note">{esc(c["verdict"])}</div>' if c["verdict"] else "") + "</td>"
                for c in (row["cells"][g] for g in groups))
            rows.append(f'<tr class="{row["kind"]}"><td>{esc(row["text"])}</td>{cells}</tr>')
        out.append(f'<p class="note">Deel {b + 1} van {blocks}</p><table><colgroup><col style="width:4.6cm"></colgroup>'
                   f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return "".join(out)


def report_html(doc: dict) -> str:
    response = doc["response"]
    resp_head = "".join(f'<th class="{"num" if k else ""}">{esc(h)}</th>' for h, k in zip(response["header"], response["numeric"]))
    resp_rows = "".join("<tr>" + "".join(f'<td class="{"num" if k else ""}">{esc(c)}</td>' for c, k in zip(row, response["numeric"]))
                        + "</tr>" for row in response["rows"] + [response["total"]])
    summary = "".join(f'<div><b>{esc(s["value"])}</b>{esc(s["label"])}<div class="note">{esc(s.get("note", ""))}</div></div>'
                      for s in doc["summary"])
    settings = "".join(f"<tr><td>{esc(k)}</td><td class='num'>{esc(v)}</td><td>{esc(d)}</td></tr>"
                       for k, v, d in doc["methods"]["settings"])
    concept = doc["concept"] or ""
    return f"""<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{esc(doc["title"])}</title>
<meta name="author" content="JOB"><style>{CSS}</style></head><body>
<div class="running-confidential">{esc(doc["confidential"])}</div><div class="running-concept">{esc(concept)}</div>
<div class="running-copyright">{esc(doc["copyright"])}</div>
<section class="cover"><p>JOB-monitor · editie {doc["edition"]}</p><p class="title">{esc(doc["title"])}</p>
<p>{esc(doc["institution"]["name"])}<br>{esc(doc["institution"]["place"])}</p>
<p class="confidential">{esc(doc["confidential"])}</p>{f'<p class="concept">{esc(concept)}</p>' if concept else ""}
<p>Gemaakt {esc(doc["made"])}</p><p>{esc(doc["copyright"])}</p></section>
<h1>Samenvatting</h1><div class="summary">{summary}</div>
<h2>Respons</h2><p><b>{esc(response["caption"])}</b></p><table><thead><tr>{resp_head}</tr></thead><tbody>{resp_rows}</tbody></table>
<h1>Resultaten per thema</h1>{"".join(theme_html(t) for t in doc["themes"])}
<h1>Uitsplitsingen</h1>{"".join(breakdown_html(b) for b in doc["breakdowns"])}
<h1>Verantwoording</h1>{"".join(f"<p>{esc(p)}</p>" for p in doc["methods"]["paragraphs"])}
<table><thead><tr><th>Instelling</th><th class="num">Waarde</th><th>Betekenis</th></tr></thead><tbody>{settings}</tbody></table>
</body></html>"""


# --- measurement --------------------------------------------------------------------------------

def seconds(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True).stdout
    return int(next((line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")), "0"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5, help="documents per measurement")
    args = parser.parse_args()
    first, *_ = docs = documents(args.docs + 1)
    results: dict[str, float] = {}

    pdf = None

    def once():
        nonlocal pdf
        pdf = render_pdf(first)

    results["typst_first"] = seconds(once)
    typst_pages = pages(pdf)
    # Two rounds in swapped order, each on documents neither way has seen, since Typst keeps a
    # cache across compiles in the process (what did not change, e.g. the cover, is reused).
    fresh = iter(documents(4 * args.docs + 1)[1:])
    compile_times, compiler_times = [], []
    for round_ in range(2):
        sets = [[next(fresh) for _ in range(args.docs)] for _ in range(2)]
        for d in sets[0] + sets[1]:
            d["institution"]["name"] += f" r{round_}"
        ways = [("compile", lambda b: [render_pdf(d) for d in b]), ("compiler", render_with_one_compiler)]
        for (way, func), batch_ in zip(ways if round_ == 0 else ways[::-1], sets):
            (compile_times if way == "compile" else compiler_times).append(seconds(lambda: func(batch_)) / len(batch_))
    results["typst"] = statistics.mean(compile_times)
    results["typst_compiler"] = statistics.mean(compiler_times)
    print(f"typst: {typst_pages} pages; first {results['typst_first']:.3f} s, "
          f"per document {results['typst']:.3f} s (typst.compile), {results['typst_compiler']:.3f} s (Compiler reused)")

    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: pango missing
        print(f"weasyprint not measured: {error}")
        print(" ".join(f"{k}={v:.4f}" for k, v in results.items()))
        return
    htmls = [report_html(d) for d in docs]
    weasy_pdf = None

    def weasy_once():
        nonlocal weasy_pdf
        weasy_pdf = weasyprint.HTML(string=htmls[0]).write_pdf()

    results["weasyprint_first"] = seconds(weasy_once)
    results["weasyprint"] = seconds(lambda: [weasyprint.HTML(string=h).write_pdf() for h in htmls[1:]]) / (len(htmls) - 1)
    print(f"weasyprint {weasyprint.__version__}: {pages(weasy_pdf)} pages; first {results['weasyprint_first']:.3f} s, "
          f"per document {results['weasyprint']:.3f} s")
    results["ratio_weasyprint_typst"] = results["weasyprint"] / results["typst"]
    results["ratio_compile_compiler"] = results["typst"] / results["typst_compiler"]
    print(f"weasyprint / typst: {results['ratio_weasyprint_typst']:.1f}×; "
          f"typst.compile / reused Compiler: {results['ratio_compile_compiler']:.2f}×")
    print(" ".join(f"{k}={v:.4f}" for k, v in results.items()))


if __name__ == "__main__":
    main()
