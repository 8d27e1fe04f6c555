"""Reading saved web pages: extraction quality (the with/without check), metadata, speed.

Run:  PYTHONPATH=. python benchmarks/bench_html.py [--seconds 3]

Pages: the 42 saved pages of tests/fixtures/html (article bodies from corpus/open in page
templates written for the tests; see tests/fixtures/html/make_pages.py). ``train`` pages are
the ones the reader's settings were chosen on; ``test`` pages (two templates written
afterwards, and more pages of the wiki and magazine templates) were held out.

Printed:

1. The with/without check (framing.evaluation.extraction): precision, recall and F1 of the
   article snippets kept and the chrome snippets dropped, per reader, split and page kind;
   trafilatura in precision mode (the default), in recall mode, and our old HTMLParser reader.
2. Wiki source lists kept: entries of the pages' "Sources" lists found in the text (framing's
   sources analyzer reads them as citations).
3. Page metadata against what the pages declare: title, author, date, outlet (site name).
4. Speed: pages/s of each reader (decoding included; best of whole passes repeated for
   ``--seconds``), and reading a page against analysing its extracted text, each the best of
   repeated runs per page (resources loaded before timing): the analysis alone (segmentation
   and all analyzers) and with what ``framing score`` adds per article (the JSON record and
   the CSV row). Target: reading under 20% of the full analysis's time per article.

A script, not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from framing import webpage
from framing.document import Document
from framing.evaluation.extraction import READERS, SnippetCounts, check, load_gold, read_with
from framing.output import flat_row
from framing.pipeline import Resources, analyze

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "html"


def quality(gold: list[dict], pages: dict[str, bytes]) -> None:
    print("## With/without check (P / R / F1 of snippets)\n")
    kinds = sorted({g["kind"] for g in gold})
    print(f"| reader | split | {' | '.join(kinds)} | all |")
    print("|---|---|" + "---|" * (len(kinds) + 1))
    for reader in READERS:
        texts = {g["file"]: read_with(reader, pages[g["file"]]) for g in gold}
        for split in ("train", "test", "all"):
            chosen = [g for g in gold if split == "all" or g["split"] == split]
            by_kind: dict[str, SnippetCounts] = {}
            for g in chosen:
                by_kind[g["kind"]] = by_kind.get(g["kind"], SnippetCounts()) + check(texts[g["file"]], g["with"], g["without"])
            total = sum(by_kind.values(), SnippetCounts())
            cells = [_cell(by_kind[k]) if k in by_kind else "–" for k in kinds]
            print(f"| {reader} | {split} ({len(chosen)} pages) | {' | '.join(cells)} | **{_cell(total)}** |")
    print()
    print("## Wiki source lists kept (entries found in the text)\n")
    wiki = [g for g in gold if g.get("references")]
    for reader in READERS:
        found = sum(e in " ".join(read_with(reader, pages[g["file"]]).split()) for g in wiki for e in g["references"])
        print(f"- {reader}: {found} of {sum(len(g['references']) for g in wiki)} entries")
    print()


def _cell(c: SnippetCounts) -> str:
    return f"{c.precision:.2f} / {c.recall:.2f} / {c.f1:.2f}"


def metadata(gold: list[dict], pages: dict[str, bytes]) -> None:
    print("## Page metadata (trafilatura) against what the pages declare\n")
    fields = {"title": "title", "author": "author", "date": "date", "outlet": "site", "url": "url"}
    right = dict.fromkeys(fields, 0)
    given = dict.fromkeys(fields, 0)
    for g in gold:
        page = webpage.read_page(webpage.decode_page(pages[g["file"]]).text)
        for ours, theirs in fields.items():
            if g.get(theirs):
                given[ours] += 1
                right[ours] += page.metadata.get(ours) == g[theirs]
    for ours in fields:
        print(f"- {ours}: {right[ours]} of {given[ours]} pages exactly as declared")
    print()


def best_pass(run, seconds: float) -> float:
    times = []
    deadline = time.perf_counter() + seconds
    while not times or time.perf_counter() < deadline:
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def speed(gold: list[dict], pages: dict[str, bytes], seconds: float) -> None:
    print("## Speed\n")
    files = [g["file"] for g in gold]
    megabytes = sum(len(pages[f]) for f in files) / 1e6
    for reader in READERS:
        read_with(reader, pages[files[0]])   # warm-up: imports
        best = best_pass(lambda r=reader: [read_with(r, pages[f]) for f in files], seconds)
        print(f"- {reader}: {len(files) / best:.0f} pages/s ({megabytes / best:.1f} MB of HTML/s; "
              f"{1000 * best / len(files):.1f} ms/page)")
    print()
    resources = Resources()
    resources.vader()
    resources.sentence_model()
    resources.frames_model()
    analyze(Document.from_text("Warm-up text. It has two sentences.", id="w"), resources=resources)

    def score(text: str, doc_id: str) -> None:   # what `framing score` does with a record's text
        result = analyze(Document.from_text(text, id=doc_id), resources=resources)
        json.dumps(result.to_dict(), ensure_ascii=False)
        flat_row(result)

    budget = seconds / len(files)
    reading, analysing, scoring = [], [], []
    for f in files:
        reading.append(best_pass(lambda f=f: webpage.read_page(webpage.decode_page(pages[f]).text), budget))
        text = webpage.read_page(webpage.decode_page(pages[f]).text).text
        analysing.append(best_pass(lambda t=text, f=f: analyze(Document.from_text(t, id=f), resources=resources), budget))
        scoring.append(best_pass(lambda t=text, f=f: score(t, f), budget))
    n = len(files)
    print("Reading HTML (decode + trafilatura in precision mode + metadata) against the analysis of the extracted "
          f"text ({statistics.mean(len(webpage.read_page(webpage.decode_page(pages[f]).text).text) for f in files):.0f} "
          "characters on average), per page:")
    print(f"- reading {1000 * sum(reading) / n:.1f} ms; analysis (segmentation + all analyzers) "
          f"{1000 * sum(analysing) / n:.1f} ms; analysis + JSON record + CSV row (what `framing score` does per "
          f"article) {1000 * sum(scoring) / n:.1f} ms")
    ratios = [r / a for r, a in zip(reading, analysing)]
    print(f"- reading / analysis: {100 * sum(reading) / sum(analysing):.1f}% over all pages "
          f"(per page median {100 * statistics.median(ratios):.1f}%, max {100 * max(ratios):.1f}%)")
    ratios = [r / a for r, a in zip(reading, scoring)]
    print(f"- reading / (analysis + record): {100 * sum(reading) / sum(scoring):.1f}% over all pages "
          f"(per page median {100 * statistics.median(ratios):.1f}%, max {100 * max(ratios):.1f}%)")
    print("- target: reading under 20% of the full analysis's time per article")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time budget of each speed measurement")
    args = parser.parse_args()
    gold = load_gold(FIXTURES / "gold.jsonl")
    pages = {g["file"]: (FIXTURES / "pages" / g["file"]).read_bytes() for g in gold}
    print(f"{len(gold)} pages ({sum(g['split'] == 'train' for g in gold)} train, "
          f"{sum(g['split'] == 'test' for g in gold)} test), {sum(map(len, pages.values())) / 1e3:.0f} KB of HTML\n")
    quality(gold, pages)
    metadata(gold, pages)
    speed(gold, pages, args.seconds)


if __name__ == "__main__":
    main()
