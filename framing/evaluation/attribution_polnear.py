"""Attribution on PolNeAR (Newell, Margolin & Ruths, LREC 2018): content, source and cue F1.

Gold: every attribution's content, source and cue, each as one span from its first fragment's
start to its last fragment's end. Ours: the ``attribution`` analyzer's content, speaker mention
and cue spans. Matching: :mod:`framing.evaluation.spans` (> 30% of the gold characters covered,
one-to-one, greedy by overlap); every extractor and every annotator is scored by that one matcher.

Baselines are eval-data's own ``baselines.py`` extractors (content only: they find no sources or
cues). The ceiling is each further annotator scored against the primary one on the articles
annotated several times.

Speaker accuracy is measured on attributions whose content we matched and whose gold has a
source: right when our speaker name (or mention) matches the gold source's text, or, when the
gold source is a pronoun or a description ("she", "the spokeswoman"), the name it refers to —
approximated, since PolNeAR has no coreference links, by the nearest earlier gold source in the
article that contains a capitalised name.

Run on train while developing: ``python -m framing.evaluation.attribution_polnear --split train``.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from framing.evaluation.harness import EvalData, Figure
from framing.evaluation.spans import PRF, Span, match_spans, outer

ROLES = ("content", "source", "cue")
DEV = "attribution/polnear-dev.jsonl"
TRAIN = "attribution/polnear-train.jsonl"


@dataclass(frozen=True)
class Predicted:
    """One predicted attribution as spans; a role we did not find is None."""

    content: Span
    source: Span | None = None
    cue: Span | None = None
    speaker: str | None = None  # the resolved name, when the extractor gives one


Extractor = Callable[[str], Sequence[Predicted]]


@dataclass(frozen=True)
class PolnearScores:
    articles: int
    roles: dict[str, PRF]
    speaker_correct: int
    speaker_total: int

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_correct / self.speaker_total if self.speaker_total else 0.0

    def summary(self) -> str:
        lines = [f"articles: {self.articles}"]
        for role, prf in self.roles.items():
            lines.append(
                f"{role:8} P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}  "
                f"(tp {prf.true_positives}, predicted {prf.predicted}, gold {prf.gold})"
            )
        lines.append(f"speaker accuracy on matched contents {self.speaker_accuracy:.3f} "
                     f"({self.speaker_correct}/{self.speaker_total})")
        return "\n".join(lines)


def gold_spans(attributions: Sequence[dict[str, Any]], role: str) -> list[tuple[int, Span]]:
    """(attribution index, span) for every attribution with that role."""
    out = []
    for index, attribution in enumerate(attributions):
        span = outer(attribution[role])
        if span is not None:
            out.append((index, span))
    return out


def ours(text: str, mode: str = "combined") -> list[Predicted]:
    """The shipped attribution analyzer, as a PolNeAR extractor; ``mode`` "rules" or "tagger"
    gives an ablation (:mod:`framing.attribution.combine`)."""
    from framing.analyzers.attribution import extract
    from framing.document import Document
    from framing.pipeline import default_resources

    doc = Document.from_text(text, id="polnear")
    out: list[Predicted] = []
    quotations: dict[tuple[int, int, str | None], int] = {}  # (quote start, end, speaker) -> index in out
    for a in extract(doc, default_resources(), mode=mode):
        if a.inside:  # part of a larger statement: PolNeAR annotates the statement once
            continue
        source = (a.speaker_start, a.speaker_end) if a.speaker_start is not None else None
        cue = (a.cue_start, a.cue_end) if a.cue_start is not None else None
        # Our records give one per paragraph of a quotation (the project's guidelines); PolNeAR
        # annotates the whole quotation as one content. Records of one quotation with one speaker
        # are scored as one span, taking the mention and cue of whichever record has them.
        key = (a.quote_start, a.quote_end, a.speaker) if a.quotation and a.quote_start is not None else None
        if key is not None and key in quotations:
            k = quotations[key]
            prev = out[k]
            out[k] = Predicted(
                (min(prev.content[0], a.content_start), max(prev.content[1], a.content_end)),
                prev.source or source, prev.cue or cue, prev.speaker,
            )
            continue
        if key is not None:
            quotations[key] = len(out)
        out.append(Predicted((a.content_start, a.content_end), source, cue, a.speaker))
    return out


def content_only(spans_of: Callable[[str], Sequence[Span]]) -> Extractor:
    """A content-span extractor (such as eval-data's baselines) as an attribution extractor."""
    return lambda text: [Predicted(tuple(span)) for span in spans_of(text)]  # type: ignore[arg-type]


_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _words(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return {w.strip(".'-") for w in _WORD.findall(text)} - {""}


# A capitalised pronoun opening a sentence ("He said") names nobody: without this list the gold
# source "He" counted as a name, so the referent was never consulted and only an extractor that
# left "He" unresolved scored (added in issue 13; applied to every system alike).
_PRONOUNS = frozenset("i me my we us our you your he him his she her hers they them their it its who whom which that this these those".split())


def _names(text: str) -> set[str]:
    """Capitalised words (name candidates), case-folded; sentence-initial words count too,
    pronouns do not."""
    return {w.casefold().strip(".'’-") for w in _WORD.findall(text) if w[:1].isupper()} - _PRONOUNS


def _refers_back(gold_text: str) -> bool:
    """Whether a gold source without a name refers to someone named before: a pronoun ("she",
    "who") or a definite singular description ("the spokeswoman", "the former governor"). A
    plural or indefinite source ("officials", "some Democrats", "a source") refers to nobody
    named and is judged by its mention alone (until issue 13 every source without a name took
    the nearest earlier named gold source as its referent, so an extractor that rightly said
    "anonymous: officials" was scored wrong; applied to every system alike)."""
    words = [w.casefold().strip(".'’-,") for w in _WORD.findall(gold_text)]
    if len(words) == 1 and words[0] in _PRONOUNS:
        return True
    return len(words) >= 2 and words[0] in ("the", "this", "that") and not words[-1].endswith("s")


def _speaker_correct(predicted: Predicted, text: str, gold_source: Span, referent: str | None) -> bool:
    """Our speaker against the gold source: by name when the gold names someone (itself or via
    its referent), else by pointing at the same mention (an unnamed source such as "officials")."""
    same_mention = predicted.source is not None and bool(match_spans([predicted.source], [gold_source]))
    gold_text = text[gold_source[0]:gold_source[1]]
    target = gold_text if _names(gold_text) else referent
    if target is None:
        return same_mention
    name = predicted.speaker if predicted.speaker and not predicted.speaker.startswith("anonymous") else ""
    if not name:
        return same_mention and target is gold_text
    surname = name.replace("’", "'").split()[-1].casefold().strip(".'-")
    return surname in _words(target)


def score(rows: Sequence[dict[str, Any]], extractor: Extractor, *, annotations: str = "attributions") -> PolnearScores:
    totals = {role: PRF(0, 0, 0) for role in ROLES}
    correct = total = 0
    for row in rows:
        text = row["text"]
        gold = row[annotations] if annotations == "attributions" else annotations_of(row, annotations)
        predicted = list(extractor(text))
        for role in ROLES:
            g = [span for _, span in gold_spans(gold, role)]
            p = [getattr(item, role) for item in predicted if getattr(item, role) is not None]
            totals[role] = totals[role] + PRF(len(match_spans(p, g)), len(p), len(g))
        # Speaker accuracy on matched contents whose gold has a source.
        contents = gold_spans(gold, "content")
        pairs = match_spans([item.content for item in predicted], [span for _, span in contents])
        sources = sorted((span, index) for index, span in gold_spans(gold, "source"))
        for pi, gi in pairs:
            attribution = gold[contents[gi][0]]
            source = outer(attribution["source"])
            if source is None:
                continue
            referent = None
            refers = _refers_back(text[source[0]:source[1]])
            for span, _ in reversed([s for s in sources if s[0][0] < source[0]] if refers else []):
                if _names(text[span[0]:span[1]]):
                    referent = text[span[0]:span[1]]
                    break
            total += 1
            correct += _speaker_correct(predicted[pi], text, source, referent)
    return PolnearScores(len(rows), totals, correct, total)


def annotations_of(row: dict[str, Any], annotator: str) -> list[dict[str, Any]]:
    return row["other_annotations"][annotator]


def agreement(rows: Sequence[dict[str, Any]]) -> dict[str, float] | None:
    """Each further annotator against the primary: mean F1 per role over annotator pairs."""
    sums = {role: 0.0 for role in ROLES}
    pairs = 0
    for row in rows:
        for attributions in row["other_annotations"].values():
            def theirs(_text: str, attributions: Any = attributions) -> list[Predicted]:
                out = []
                for a in attributions:
                    content = outer(a["content"])
                    if content is not None:
                        out.append(Predicted(content, outer(a["source"]), outer(a["cue"])))
                return out

            scores = score([row], theirs)
            for role in ROLES:
                sums[role] += scores.roles[role].f1
            pairs += 1
    return {role: value / pairs for role, value in sums.items()} if pairs else None


def figures(data: EvalData) -> Iterator[Figure]:
    if not data.has(DEV, "baselines.py"):
        return
    rows = data.jsonl(DEV)
    floors = data.baselines_module()
    baselines = {
        "quotes": score(rows, content_only(floors.quote_spans)),
        "quotes+said-sentences": score(rows, content_only(floors.quotes_plus_reporting)),
    }
    mine = score(rows, ours)
    ablations = {mode: score(rows, partial(ours, mode=mode)) for mode in ("rules", "tagger")}
    ceiling = agreement([r for r in rows if r["other_annotations"]])
    multi = sum(1 for r in rows if r["other_annotations"])
    for role in ROLES:
        yield Figure(
            task="attribution",
            dataset="PolNeAR dev",
            metric=f"{role} F1",
            ours=mine.roles[role].f1,
            baselines=tuple((name, s.roles[role].f1) for name, s in baselines.items()) if role == "content" else (),
            ceiling=ceiling[role] if ceiling else None,
            note=f"{len(rows)} articles; P {mine.roles[role].precision:.3f} R {mine.roles[role].recall:.3f}"
            + (f"; ceiling: {multi} multi-annotated articles" if role == "content" and ceiling else ""),
        )
    yield Figure(
        task="attribution",
        dataset="PolNeAR dev",
        metric="speaker accuracy (matched contents)",
        ours=mine.speaker_accuracy,
        note=f"{mine.speaker_correct}/{mine.speaker_total}",
    )
    # Ablations: the rule pass alone and the tagger alone, scored by the same matcher.
    for mode, scores in ablations.items():
        label = "rules only" if mode == "rules" else "tagger only"
        for role in ROLES:
            prf = scores.roles[role]
            yield Figure(
                task="attribution", dataset="PolNeAR dev", metric=f"{role} F1 ({label})", ours=prf.f1,
                note=f"ablation; P {prf.precision:.3f} R {prf.recall:.3f}",
            )
        yield Figure(
            task="attribution", dataset="PolNeAR dev", metric=f"speaker accuracy ({label})",
            ours=scores.speaker_accuracy, note=f"ablation; {scores.speaker_correct}/{scores.speaker_total}",
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the attribution analyzer on a PolNeAR split.")
    parser.add_argument("--split", choices=("train", "dev"), default="train")
    parser.add_argument("--eval-data", metavar="DIR")
    parser.add_argument("--mode", choices=("combined", "rules", "tagger"), default="combined")
    args = parser.parse_args(argv)
    data = EvalData.locate(args.eval_data)
    relative = TRAIN if args.split == "train" else DEV
    if not data.has(relative):
        print(data.skipped[-1])
        return 0
    print(score(data.jsonl(relative), partial(ours, mode=args.mode)).summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
