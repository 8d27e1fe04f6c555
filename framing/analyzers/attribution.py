"""Who speaks, and how the article introduces them: quotations and reported speech.

Rules over the Document's sentences, tokens and quotations plus the shipped gazetteers
(``reporting_verbs``, ``speaker_roles``, ``people``, ``organisations``, ``affiliations``,
``anonymous_sources``, ``attribution_rules``). No parser: a reporting verb outside quotation
marks is a *cue*; its speaker is the noun phrase before it (or after it, in ``"…," said X``); what
it governs is the quotation next to it, the next paragraph after a colon lead-in, or the clause
after it. Quoted paragraphs without a cue continue the previous speaker (*floating* quotes).
See docs/attribution.md for every rule and its known limits.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import partial
from itertools import accumulate
from operator import attrgetter
from typing import Any, NamedTuple

from framing.analyzers import Analyzer, register
from framing.document import Document
from framing.lexicons import LexiconError
from framing.lexmatch import LexiconMatch, loaded_matcher
from framing.segment import TOKEN_RE, is_common_word, is_word, token_spans

KINDS = ("direct", "indirect", "according_to", "floating")
VERB_CLASSES = ("neutral", "emphatic", "endorsing", "distancing", "pejorative")
_PUNCT_STOP = frozenset(",;:—–.!?")
_NAME_PARTICLES = frozenset({"al", "bin", "de", "van", "von", "der", "la", "du", "el", "ibn"})
_MAX_WINDOW = 12  # tokens searched back from a verb for its speaker
_LEAD_GAP = 12  # tokens allowed between a leading cue and its quotation


# -- results ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attribution:
    kind: str  # direct | indirect | according_to | floating
    speaker: str | None  # canonical name, "anonymous: officials", or None when unresolved
    speaker_start: int | None  # the mention for this attribution
    speaker_end: int | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    content_start: int
    content_end: int
    speaker_type: str
    affiliation: str | None
    verb_class: str | None  # None for according_to and floating
    quotation: bool = False  # content is the inside of a quotation (or one paragraph of it)
    quote_start: int | None = None  # the quotation, marks included
    quote_end: int | None = None
    via: str | None = None  # relaying medium: '... emphasized, TASS reports' -> via "TASS"


@dataclass(frozen=True, slots=True)
class UnattributedAssertion:
    start: int
    end: int
    cues: tuple[LexiconMatch, ...]  # the author-voice wording that makes the sentence evaluative


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    speaker_type: str
    affiliation: str | None
    attributions: int


@dataclass(frozen=True)
class AttributionResult:
    attributions: tuple[Attribution, ...]
    unattributed: tuple[UnattributedAssertion, ...]
    speakers: tuple[Speaker, ...]
    author_sentences: int
    quoted_words: int
    note: str = ""

    @property
    def counts(self) -> dict[str, int]:
        kinds = Counter(a.kind for a in self.attributions)
        return {kind: kinds.get(kind, 0) for kind in KINDS}

    def figures(self) -> dict[str, float | int]:
        counts = self.counts
        with_class = [a.verb_class for a in self.attributions if a.verb_class]
        classes = Counter(with_class)
        out: dict[str, float | int] = {"attribution_count": len(self.attributions)}
        out.update({f"attribution_{kind}": counts[kind] for kind in KINDS})
        out["quoted_words"] = self.quoted_words
        for cls in VERB_CLASSES:
            out[f"attribution_verb_{cls}_share"] = classes[cls] / len(with_class) if with_class else 0.0
        distancing = classes["distancing"] + classes["pejorative"]
        out["attribution_distancing_share"] = distancing / len(with_class) if with_class else 0.0
        out["unattributed_assertions"] = len(self.unattributed)
        out["unattributed_share"] = len(self.unattributed) / self.author_sentences if self.author_sentences else 0.0
        out["anonymous_attributions"] = sum(a.speaker_type == "anonymous" for a in self.attributions)
        return out


# -- gazetteers -------------------------------------------------------------------------------


class _Who(NamedTuple):
    name: str | None
    type: str
    affiliation: str | None
    kind: str  # person | org | anonymous | unknown
    role: str = ""


class _Toks(list):
    """A sentence's tokens, with their lower-cased forms as ``lows`` (computed once)."""

    lows: list[str]


class _Tok(NamedTuple):
    start: int
    end: int
    text: str
    low: str
    quoted: bool  # inside a quotation or a quotation mark


_new_tok = partial(tuple.__new__, _Tok)  # _Tok from a 5-tuple without a Python-level call
_START, _END = attrgetter("start"), attrgetter("end")


class _Sentence:
    """A sentence's tokens as parallel lists (offsets, lower-cased forms, quotedness).

    Every rule scans these; the ``_Tok`` records with each token's surface text, which the
    speaker and content rules read, are built only for a sentence that has a cue."""

    __slots__ = ("starts", "ends", "lows", "quoted", "toks")

    def __init__(self, starts: list[int], ends: list[int], lows: list[str], quoted: list[bool]) -> None:
        self.starts, self.ends, self.lows, self.quoted = starts, ends, lows, quoted
        self.toks: _Toks | None = None


def _norm(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


def _capitalised(word: str, low: str) -> bool:
    """Whether a token can be part of a name: capitalised, 'al-Assad', or a particle ('bin')."""
    if not word:
        return False
    if word[0].isupper():
        return True
    if "-" in word and any(c.isupper() for c in word):  # al-Assad
        return True
    return low in _NAME_PARTICLES


def _lows(toks: list[_Tok]) -> list[str]:
    lows = getattr(toks, "lows", None)
    return lows if lows is not None else [t.low for t in toks]


def _key(text: str) -> tuple[str, ...]:
    return tuple(_norm(text[s:e]) for s, e in token_spans(text))


def _rows(resources: Any, name: str) -> tuple:
    try:
        return resources.table(name).rows
    except (LexiconError, FileNotFoundError):
        return ()


def _split_aliases(value: str) -> list[str]:
    for sep in ("|", ";"):
        if sep in value:
            return [v.strip() for v in value.split(sep) if v.strip()]
    return [v.strip() for v in value.split(",") if v.strip()]


class _Phrases:
    """Longest-match lookup of token tuples, indexed by first and by last word so that the
    common case (a word that starts or ends no phrase) is one dict lookup."""

    def __init__(self) -> None:
        self.map: dict[tuple[str, ...], Any] = {}
        self.longest = 0
        self.first: dict[str, int] = {}  # first word -> longest phrase starting with it
        self.last: dict[str, int] = {}  # last word -> longest phrase ending with it
        # first / last word -> the lengths of the phrases starting / ending with it, longest first
        self.first_lengths: dict[str, list[int]] = {}
        self.last_lengths: dict[str, list[int]] = {}

    def add(self, key: tuple[str, ...], value: Any, *, keep_first: bool = True) -> None:
        if not key or (keep_first and key in self.map):
            return
        self.map[key] = value
        self.longest = max(self.longest, len(key))
        self.first[key[0]] = max(self.first.get(key[0], 0), len(key))
        self.last[key[-1]] = max(self.last.get(key[-1], 0), len(key))
        for lengths, word in ((self.first_lengths, key[0]), (self.last_lengths, key[-1])):
            lengths[word] = sorted({*lengths.get(word, ()), len(key)}, reverse=True)

    def match(self, lows: list[str], i: int, limit: int | None = None) -> tuple[int, Any] | None:
        lengths = self.first_lengths.get(lows[i]) if i < len(lows) else None
        if lengths is None:
            return None
        room = (len(lows) if limit is None else limit) - i
        get = self.map.get
        for n in lengths:  # longest first; only lengths some phrase starting with the word has
            if n <= room:
                value = get(tuple(lows[i : i + n]))
                if value is not None:
                    return n, value
        return None

    def ending_at(self, lows: list[str], end: int, lo: int = 0) -> tuple[int, Any] | None:
        lengths = self.last_lengths.get(lows[end - 1]) if 0 < end <= len(lows) else None
        if lengths is None:
            return None
        get = self.map.get
        for n in lengths:
            if n <= end - lo:
                value = get(tuple(lows[end - n : end]))
                if value is not None:
                    return n, value
        return None


class Gazetteer:
    """Everything the rules look up, compiled once per Resources."""

    def __init__(self, resources: Any) -> None:
        self.verbs = _Phrases()
        for row in _rows(resources, "reporting_verbs"):
            for form in _split_aliases(row["forms"]) or [row["lemma"]]:
                self.verbs.add(_key(form), (row["lemma"], row["class"]))
        self.roles = _Phrases()
        for row in _rows(resources, "speaker_roles"):
            self.roles.add(_key(row["term"]), (row["term"], row["speaker_type"]))
        self.affiliations = _Phrases()
        for row in _rows(resources, "affiliations"):
            self.affiliations.add(_key(row["term"]), row["affiliation"])
        self.anonymous = _Phrases()
        for row in _rows(resources, "anonymous_sources"):
            self.anonymous.add(_key(row["term"]), row["term"])
        self.entities = _Phrases()
        self.people_by_role: list[_Who] = []
        for row in _rows(resources, "people"):
            who = _Who(row["name"], row.get("speaker_type") or "unknown", row.get("affiliation") or None, "person", row.get("role", ""))
            self.people_by_role.append(who)
            for alias in [row["name"], *_split_aliases(row.get("aliases", ""))]:
                self.entities.add(_key(alias), who)
        for row in _rows(resources, "organisations"):
            who = _Who(row["name"], row.get("speaker_type") or "unknown", row.get("affiliation") or None, "org", row.get("kind", ""))
            for alias in [row["name"], *_split_aliases(row.get("aliases", ""))]:
                key = _key(alias)
                if key and key[0] == "the" and len(key) > 1:
                    key = key[1:]
                self.entities.add(key, who)
        rules: dict[str, set[str]] = {}
        for row in _rows(resources, "attribution_rules"):
            rules.setdefault(row["category"], set()).add(_norm(row["term"]))
        self.weak_verbs = frozenset(rules.get("weak_verb", ()))
        self.adverbs = frozenset(rules.get("adverb", ()))
        self.pronouns = frozenset(rules.get("pronoun", ()))
        self.boundaries = frozenset(rules.get("boundary", ()))
        self.determiners = frozenset(rules.get("determiner", ()))
        self.org_heads = frozenset(rules.get("org_head", ()))
        self.speech_nouns = frozenset(rules.get("speech_noun", ()))
        self.group_pronouns = frozenset(rules.get("group_pronoun", ()))
        self.self_reference = frozenset(rules.get("self_reference", ()))
        self.expletives = frozenset(rules.get("expletive", ()))
        self.group_person = frozenset(rules.get("group_person", ()))
        self.group_state = frozenset(rules.get("group_state", ()))
        # words that can start anything _Extractor._track_mentions records
        self.mention_starts = frozenset(self.entities.first) | frozenset(self.affiliations.first) | self.pronouns
        # a country's government as a speaker: 'Russian government' (the organisation's own
        # name when organisations.tsv lists one), from the country's demonym in affiliations.tsv
        self.governments: dict[str, str] = {}
        for row in _rows(resources, "affiliations"):
            term, country = row["term"], row["affiliation"]
            if country not in self.governments and " " not in term and term != country and term[:1].isupper() \
                    and not term.endswith("s") and term.endswith(("ese", "ian", "an", "ish", "ch", "i")):
                self.governments[country] = f"{term} government"
        for key, who in self.entities.map.items():
            if who.kind == "org" and key[-1:] == ("government",) and who.affiliation in self.governments \
                    and _norm(who.name) == _norm(self.governments[who.affiliation]):
                self.governments[who.affiliation] = who.name


def gazetteer(resources: Any) -> Gazetteer:
    return resources.memo("attribution:gazetteer", lambda: Gazetteer(resources))


# -- the per-document pass --------------------------------------------------------------------


class _Claim(NamedTuple):
    priority: int  # 1 trailing cue, 2 leading cue, 3 lead-in paragraph, 4 floating
    distance: int
    attribution: Attribution


class _Cue(NamedTuple):
    i: int  # token index of the verb in the sentence
    j: int  # token index after the verb
    lemma: str
    cls: str


class _Extractor:
    def __init__(self, doc: Document, gaz: Gazetteer) -> None:
        self.doc = doc
        self.text = doc.text
        self.gaz = gaz
        self.quotes = [q for q in doc.quotations if q.level == 0]
        self.marks = set()
        for q in self.quotes:
            self.marks.add(q.start)
            if q.closed:
                self.marks.add(q.end - 1)
        self.para_starts = [p.start for p in doc.paragraphs]
        self.pieces = self._pieces()  # (start, end, quote index, paragraph index)
        self.claims: dict[int, list[_Claim]] = {}  # piece index -> claims
        self.others: list[Attribution] = []  # indirect / according_to
        self.topic: _Who | None = None
        self.mentions: list[_Who] = []  # entities in order of mention
        self.registry: dict[tuple[str, ...], _Who] = {}  # names seen in this document
        self.registry_words: set[str] = set()  # w for every one-word key (w,) of the registry
        self.lead_ins: dict[int, tuple[Attribution, str]] = {}  # paragraph index -> template
        self._sentences: list[_Sentence] | None = None
        self.sentence_index = 0
        self.group: tuple[int, _Who] | None = None  # (sentence index, joint speaker) last named
        self.countries: dict[str, int] = {}  # country -> sentence of its latest mention (insertion = first mention)

    # quotation pieces: one per paragraph of each level-0 quotation
    def _pieces(self) -> list[tuple[int, int, int, int]]:
        out = []
        text = self.text
        for qi, q in enumerate(self.quotes):
            for pi in range(max(0, self._para(q.start)), len(self.doc.paragraphs)):
                p = self.doc.paragraphs[pi]
                if p.start >= q.content_end:
                    break
                lo, hi = max(q.content_start, p.start), min(q.content_end, p.end)
                if lo == p.start and pi != self._para(q.start) and text[lo] in "\"“„«'‘":
                    lo += 1
                while lo < hi and text[lo].isspace():
                    lo += 1
                while hi > lo and text[hi - 1].isspace():
                    hi -= 1
                if hi > lo:
                    out.append((lo, hi, qi, pi))
        return out

    def _para(self, offset: int) -> int:
        return bisect_right(self.para_starts, offset) - 1

    def _sentence(self, si: int) -> _Sentence:
        if self._sentences is None:
            self._sentences = self._all_sentences()
        return self._sentences[si]

    def _tokens(self, si: int) -> _Toks:
        """The ``_Tok`` records of sentence ``si`` (built on first use)."""
        sentence = self._sentence(si)
        if sentence.toks is None:
            text = self.text
            starts, ends = sentence.starts, sentence.ends
            words = map(text.__getitem__, map(slice, starts, ends))
            sentence.toks = _Toks(map(_new_tok, zip(starts, ends, words, sentence.lows, sentence.quoted)))
            sentence.toks.lows = sentence.lows
        return sentence.toks

    def _all_sentences(self) -> list[_Sentence]:
        """Tokens of every sentence, built in one sweep from the document's cached sentence
        tokens. The per-token work runs in C (``map`` over offsets and slices): lower-cased forms
        are sliced from one lower-cased copy of the text, and quotedness comes from walking the
        sorted quotations once per sentence, token by token only in a sentence where a quotation
        or a quotation mark begins or ends."""
        text = self.text
        low_text = _norm(text)
        if len(low_text) != len(text):  # lower() changed a length (e.g. 'İ'): normalise per token
            low_text = None
        outer = [(q.content_start, q.content_end) for q in self.quotes]
        marks = sorted(self.marks)
        qi, nq = 0, len(outer)
        out = []
        for sentence_spans in self.doc.sentence_tokens():
            if not sentence_spans:
                out.append(_Sentence([], [], [], []))
                continue
            starts = list(map(_START, sentence_spans))
            ends = list(map(_END, sentence_spans))
            if low_text is not None:
                lows = list(map(low_text.__getitem__, map(slice, starts, ends)))
            else:
                lows = [_norm(text[s:e]) for s, e in zip(starts, ends)]
            first, last = starts[0], starts[-1]
            while qi < nq and outer[qi][1] <= first:
                qi += 1
            m = bisect_left(marks, first)
            marked = m < len(marks) and marks[m] <= last
            steady = qi == nq or outer[qi][1] > last  # the same quotation is next for every token
            if steady and not marked and (qi == nq or outer[qi][0] > last):
                quoted = [False] * len(starts)
            elif steady and outer[qi][0] <= first:
                quoted = [True] * len(starts)
            else:
                quoted = []
                for s in starts:
                    while qi < nq and outer[qi][1] <= s:
                        qi += 1
                    quoted.append(s in self.marks or (qi < nq and outer[qi][0] <= s))
            out.append(_Sentence(starts, ends, lows, quoted))
        return out

    # -- speakers ---------------------------------------------------------------------------

    def _remember(self, who: _Who, tokens: tuple[str, ...] = ()) -> None:
        if who.name is None or who.kind == "anonymous":
            return
        self.mentions.append(who)
        if who.kind == "person":
            key = _key(who.name)
            self.registry[key] = who
            if key:
                self.registry.setdefault(key[-1:], who)
                self.registry_words.add(key[-1])
        if tokens:
            self.registry.setdefault(tokens, who)
            if len(tokens) == 1:
                self.registry_words.add(tokens[0])

    def _recent(self, wanted_type: str | None, affiliation: str | None, kind: str | None) -> _Who | None:
        for who in reversed(self.mentions[-60:]):
            if kind and who.kind != kind:
                continue
            if wanted_type and who.type != wanted_type and not (
                wanted_type in ("media", "state_media") and who.type in ("media", "state_media")
            ):
                continue
            if affiliation and who.affiliation and who.affiliation != affiliation:
                continue
            return who
        return None

    def _by_role(self, role: str, wanted_type: str, affiliation: str | None) -> _Who | None:
        if affiliation is None:
            return None
        found = [
            p for p in self.gaz.people_by_role
            if p.affiliation == affiliation and (role in _norm(p.role) or (p.type == wanted_type and wanted_type == "head_of_state"))
        ]
        return found[0] if len(found) == 1 else None

    def _is_cap(self, tok: _Tok) -> bool:
        return not tok.quoted and _capitalised(tok.text, tok.low)

    def _affiliation_in(self, lows: list[str], lo: int, hi: int) -> str | None:
        for i in range(lo, hi):
            found = self.gaz.affiliations.match(lows, i, hi)
            if found:
                return found[1]
        return None

    def _role_in(self, lows: list[str], lo: int, hi: int) -> tuple[int, int, str, str] | None:
        """The rightmost role in lows[lo:hi]: (start, end, term, type)."""
        best = None
        i = lo
        while i < hi:
            found = self.gaz.roles.match(lows, i, hi)
            if found:
                n, (term, typ) = found
                best = (i, i + n, term, typ)
                i += n
            else:
                i += 1
        return best

    def _head(self, toks: list[_Tok], lo: int, hi: int) -> tuple[_Who, int, int] | None:
        """Resolve the speaker noun phrase in toks[lo:hi]; returns (who, mention start, end index)."""
        if hi <= lo:
            return None
        lows = _lows(toks)
        gaz = self.gaz
        # drop a trailing parenthesis "(GT)" but keep it as an alias
        end = hi
        if toks[end - 1].text == ")":
            k = end - 1
            while k > lo and toks[k].text != "(":
                k -= 1
            if k > lo:
                end = k
        first = lo
        while first < end and lows[first] in gaz.determiners:
            first += 1
        if first >= end:
            return None
        # anonymous sources: "officials", "sources close to the Kremlin", "experts"
        anon = gaz.anonymous.match(lows, first, end)
        if anon and not any(self._is_cap(t) for t in toks[first + anon[0] : end]):
            return _Who(f"anonymous: {toks[first].text if anon[0] == 1 else anon[1]}", "anonymous", self._affiliation_in(lows, lo, end), "anonymous"), toks[lo].start, end
        if anon and first + anon[0] <= end and anon[0] >= 2:
            label = anon[1]
            if lows[first + anon[0] - 1] in ("to", "with", "of"):  # 'sources close to the Kremlin'
                label = _norm(self.text[toks[first].start : toks[end - 1].end])
            return _Who(f"anonymous: {label}", "anonymous", self._affiliation_in(lows, lo, end), "anonymous"), toks[lo].start, end
        # a group: 'They', 'Both leaders', 'the two governments', 'both China and Russia'
        group = self._group(toks, lows, lo, first, end)
        if group is not None:
            return group, toks[lo].start, end
        # a possessed speech noun: 'His New Year greetings … expressed hope'
        if lows[lo] in ("his", "her") and any(w in gaz.speech_nouns for w in lows[lo + 1 : end]):
            return (self.topic or _Who(None, "unknown", None, "unknown")), toks[lo].start, lo + 1
        # a pronoun subject
        if end - first == 1 and lows[first] in gaz.pronouns:
            return (self.topic or _Who(None, "unknown", None, "unknown")), toks[first].start, end
        # 'I said', 'you told us': the text's own voice (a speech, an interview), not a cited source
        if end - first == 1 and lows[first] in gaz.self_reference:
            return _Who(None, "unknown", None, "self"), toks[first].start, end
        # 'It was confirmed that …', 'There were reports …': agentless, no speaker to name
        if end - first == 1 and lows[first] in gaz.expletives:
            return _Who(None, "unknown", None, "unknown"), toks[first].start, end
        # a speech noun: "the Chinese Foreign Ministry read-out on the call"
        for k in range(first, end):
            if lows[k] in gaz.speech_nouns and k > first:
                found = self._named(toks, lows, lo, k)
                if found:
                    return found[0], found[1], k + 1
        found = self._named(toks, lows, lo, end)
        if found:
            return found[0], found[1], end
        # a description: "Russia's president", "the Chinese President", "the daily", "the editors"
        role = self._role_in(lows, first, end)
        if role:
            rs, re_, term, typ = role
            affiliation = self._affiliation_in(lows, lo, end)
            want_kind = "person" if typ in ("head_of_state", "official", "expert", "politician", "citizen") and not lows[re_ - 1].endswith("s") else None
            if typ in ("media", "state_media"):
                who = self._recent(typ, affiliation, "org") or self._recent(typ, affiliation, None)
            else:
                who = self._recent(typ, affiliation, want_kind) if (affiliation or lows[lo] in ("the",)) else None
                who = who or self._by_role(term, typ, affiliation)
            if who is None and lows[re_ - 1].endswith("s") and typ != "media":
                who = _Who(f"anonymous: {toks[re_ - 1].text}", "anonymous", affiliation, "anonymous")
            if who is None:
                who = _Who(None, typ, affiliation, "unknown")
            return who, toks[first].start, end
        return None

    def _joint(self, members: list[_Who]) -> _Who:
        affiliation = "; ".join(x for x in dict.fromkeys(m.affiliation for m in members) if x) or None
        types = {m.type for m in members}
        who = _Who("; ".join(m.name or "" for m in members), types.pop() if len(types) == 1 else "unknown", affiliation, "group")
        self.group = (self.sentence_index, who)
        return who

    def _group(self, toks: list[_Tok], lows: list[str], lo: int, first: int, end: int) -> _Who | None:
        """A plural speaker. 'They'/'We' take the group named or speaking in the last two
        sentences (else stay unresolved, never a name); 'both leaders' / 'the two presidents' the
        two most recently named people of one type; 'both countries' / 'the two governments' the
        governments of the two most recently named countries; 'both China and Russia' theirs."""
        gaz = self.gaz
        words = lows[lo:end]
        recent = self.group if self.group and self.sentence_index - self.group[0] <= 2 else None
        if len(words) == 1 and words[0] in gaz.group_pronouns:
            return recent[1] if recent else _Who(None, "unknown", None, "unknown")
        pair = len(words) >= 2 and (words[0] == "both" or words[:2] == ["the", "two"])
        if pair and words[-1] in gaz.group_person:
            if recent and recent[1].kind == "group" and ";" in (recent[1].name or ""):
                return recent[1]
            people: list[_Who] = []
            for who in reversed(self.mentions[-60:]):
                if who.kind == "person" and who.name and who not in people and (not people or who.type == people[0].type):
                    people.append(who)
                    if len(people) == 2:
                        order = {w.name: n for n, w in enumerate(self.mentions)}
                        return self._joint(sorted(people, key=lambda w: order[w.name]))
            return None
        if pair and words[-1] in gaz.group_state:
            countries = [c for c in self.countries if c in gaz.governments]
            latest = sorted(countries, key=lambda c: -self.countries[c])[:2]
            if len(latest) == 2:
                members = [c for c in countries if c in latest]  # in order of first mention
                return self._joint([_Who(gaz.governments[c], "official", c, "org") for c in members])
            return None
        # 'both China and Russia', 'China and Russia' as speakers: their governments
        names = [w for w in words if w not in ("both", "and", ",")]
        if 2 <= len(names) <= 3 and "and" in words:
            members = []
            for w in names:
                found = gaz.affiliations.match([w], 0)
                if not found or found[1] not in gaz.governments:
                    return None
                members.append(found[1])
            return self._joint([_Who(gaz.governments[c], "official", c, "org") for c in members])
        return None

    def _named(self, toks: list[_Tok], lows: list[str], lo: int, end: int) -> tuple[_Who, int] | None:
        """A capitalised name (known or not) ending at ``end``."""
        gaz = self.gaz
        found = gaz.entities.ending_at(lows, end, lo)
        k = end
        while k > lo and (self._is_cap(toks[k - 1]) or (lows[k - 1] in ("'s", "of") and k - 1 > lo and self._is_cap(toks[k - 2]) and lows[k - 1] == "of")):
            k -= 1
        if k == end and not found:
            return None
        if found:
            n, who = found
            start = end - n
            mention = self._extend_left(toks, lows, lo, start)
            if who.affiliation is None:
                who = who._replace(affiliation=self._affiliation_in(lows, lo, end))
            self._remember(who)
            return who, toks[mention].start
        # a capitalised sentence opener that is an ordinary word ("However", "Incidentally",
        # "Instead of") is not part of a name; "The" stays: it opens names ("The Daily
        # Telegraph", "The U.S. Department of Agriculture") and titles read as names
        while k < end and (k == 0 or toks[k - 1].text in ':"“(') and lows[k] != "the" and is_common_word(lows[k]):
            k += 1
            while k < end and lows[k] in ("of", "'s"):
                k += 1
        if k >= end:
            return None
        # strip leading roles and affiliations from the capitalised chunk
        i = k
        while i < end:
            role = gaz.roles.match(lows, i, end)
            aff = gaz.affiliations.match(lows, i, end)
            step = max(role[0] if role else 0, aff[0] if aff else 0)
            if not step or lows[i] in ("'s",):
                if lows[i] in ("'s", "of"):
                    i += 1
                    continue
                break
            i += step
        if i >= end:
            return None  # only titles: "the Chinese President" is a description
        name_key = tuple(lows[i:end])
        known = self.registry.get(name_key) or (self.registry.get(name_key[-1:]) if len(name_key) == 1 else None)
        mention = self._extend_left(toks, lows, lo, k)
        if known:
            return known, toks[mention].start
        role = self._role_in(lows, lo, end)
        affiliation = self._affiliation_in(lows, lo, end)
        name = self.text[toks[i].start : toks[end - 1].end]
        if lows[end - 1] in gaz.org_heads:
            typ = "media" if lows[end - 1] in ("times", "news", "post", "journal", "daily", "channel", "outlook", "herald", "tribune", "gazette", "magazine") else (role[3] if role else "unknown")
            who = _Who(name, typ, affiliation, "org")
        else:
            who = _Who(name, role[3] if role else "unknown", affiliation, "person", role[2] if role else "")
        self._remember(who, name_key)
        return who, toks[mention].start

    def _extend_left(self, toks: list[_Tok], lows: list[str], lo: int, k: int) -> int:
        gaz = self.gaz
        while k > lo:
            prev = toks[k - 1]
            low = prev.low
            if prev.quoted or (low in _PUNCT_STOP) or (low in gaz.boundaries and low not in ("of",)):
                break
            if not (self._is_cap(prev) or low in gaz.determiners or low == "'s" or gaz.roles.ending_at(lows, k, lo) or "-" in low or low in ("of",)):
                break
            k -= 1
        while k < len(lows) and lows[k] in ("of",):
            k += 1
        return k

    def _subject(self, toks: list[_Tok], i: int) -> tuple[_Who, int, int] | None:
        """Speaker before the verb at token i: (who, mention start offset, mention end offset)."""
        gaz = self.gaz
        end = i
        while end > 0 and not toks[end - 1].quoted and toks[end - 1].low in gaz.adverbs:
            end -= 1
        for _ in range(3):
            lo = end
            while lo > 0 and end - lo < _MAX_WINDOW:
                prev = toks[lo - 1]
                if prev.quoted or prev.low in _PUNCT_STOP or prev.text == '"':
                    break
                if prev.low in gaz.boundaries and prev.low not in ("of", "to", "on", "at", "in", "for") :
                    break
                if prev.low in ("to", "for", "in", "at", "on") and not (lo < len(toks) and (self._is_cap(toks[lo]) or toks[lo].low in gaz.determiners or toks[lo].low in gaz.speech_nouns or toks[lo].low == "the")):
                    break
                lo -= 1
            while lo < end and toks[lo].low in gaz.boundaries and toks[lo].low != "the":
                lo += 1
            found = self._head(toks, lo, end)
            if found:
                who, mstart, mend = found
                if lo >= 2 and toks[lo - 1].low == "and" and self._is_cap(toks[lo - 2]) and who.kind == "person":
                    k = lo - 1
                    while k > 0 and self._is_cap(toks[k - 1]):
                        k -= 1
                    other = self._head(toks, k, lo - 1)
                    if other and other[0].kind == "person" and other[0].name and who.name:
                        a, b = other[0], who
                        affiliation = "; ".join(x for x in dict.fromkeys([a.affiliation, b.affiliation]) if x) or None
                        joint = _Who(f"{a.name}; {b.name}", a.type if a.type == b.type else "unknown", affiliation, "group")
                        self.group = (self.sentence_index, joint)
                        return joint, other[1], toks[mend - 1].end
                return who, mstart, toks[mend - 1].end
            # skip back over one comma-separated segment (apposition, participle clause)
            if lo > 0 and toks[lo - 1].low == "," and not toks[lo - 1].quoted:
                end = lo - 1
                continue
            return None
        return None

    def _after(self, toks: list[_Tok], j: int) -> tuple[_Who, int, int, int] | None:
        """Inverted speaker after the verb: '"…," said Putin.' -> (who, start, end, next index)."""
        k = j
        while k < len(toks) and not toks[k].quoted and toks[k].low not in _PUNCT_STOP and k - j < 8:
            k += 1
        found = self._head(toks, j, k)
        if found:
            who, mstart, mend = found
            return who, mstart, toks[mend - 1].end, mend
        return None

    # -- cues ---------------------------------------------------------------------------------

    def _cues(self, sentence: _Sentence) -> list[_Cue]:
        lows, quoted, text, starts = sentence.lows, sentence.quoted, self.text, sentence.starts
        verbs = self.gaz.verbs
        out = []
        i = 0  # the next token a cue may start at
        for c in [c for c, low in enumerate(lows) if low in verbs.first]:
            if c < i or quoted[c] or not text[starts[c]].islower():
                continue
            found = verbs.match(lows, c)
            if found:
                n, (lemma, cls) = found
                prev = lows[c - 1] if c else ""
                if prev not in self.gaz.determiners and prev not in ("'s", "his", "her", "my", "your", "their"):
                    out.append(_Cue(c, c + n, lemma, cls))
                i = c + n
        return out

    def _attr(self, kind: str, who: _Who, mention: tuple[int, int] | None, toks: list[_Tok] | None, cue: _Cue | None, content: tuple[int, int], *, quote: Any = None, via: str | None = None) -> Attribution:
        cue_start = toks[cue.i].start if cue else None
        cue_end = toks[cue.j - 1].end if cue else None
        return Attribution(
            kind=kind,
            speaker=who.name,
            speaker_start=mention[0] if mention else None,
            speaker_end=mention[1] if mention else None,
            cue=self.text[cue_start:cue_end] if cue else None,
            cue_start=cue_start,
            cue_end=cue_end,
            content_start=content[0],
            content_end=content[1],
            speaker_type=who.type,
            affiliation=who.affiliation,
            verb_class=cue.cls if cue and kind in ("direct", "indirect") else None,
            quotation=quote is not None,
            quote_start=quote.start if quote is not None else None,
            quote_end=quote.end if quote is not None else None,
            via=via,
        )

    def _claim(self, piece: int, priority: int, distance: int, attribution: Attribution) -> None:
        self.claims.setdefault(piece, []).append(_Claim(priority, distance, attribution))

    def _piece_attr(self, template: Attribution, piece: int, kind: str | None = None) -> Attribution:
        lo, hi, qi, _ = self.pieces[piece]
        q = self.quotes[qi]
        fields = {"content_start": lo, "content_end": hi, "quotation": True, "quote_start": q.start, "quote_end": q.end}
        if kind:
            fields["kind"] = kind
        if kind == "floating":
            fields.update(speaker_start=None, speaker_end=None, cue=None, cue_start=None, cue_end=None, verb_class=None)
        return _replace(template, **fields)

    def _content_span(self, toks: list[_Tok], lo: int, hi: int, keep_quotes: bool = True) -> tuple[int, int] | None:
        while lo < hi and (toks[lo].low in (",", ":", "that", "—", "–") and not toks[lo].quoted):
            lo += 1
        for k in range(lo + 1, hi):  # the author's own comment after a dash is not reported
            if toks[k].low in ("—", "–") and not toks[k].quoted:
                hi = k
                break
        while hi > lo and toks[hi - 1].low in (",", ".", ":", ";", "!", "?", "—", "–") and not toks[hi - 1].quoted:
            hi -= 1
        while hi > lo and toks[hi - 1].quoted and toks[hi - 1].low in (",", ".") and hi - 1 > lo:
            hi -= 1
        if sum(is_word(t.text) for t in toks[lo:hi]) < 2:
            return None
        return toks[lo].start, toks[hi - 1].end

    def run(self) -> list[Attribution]:
        doc = self.doc
        sentence_paras = [self._para(s.start) for s in doc.sentences]
        piece_starts = [p[0] for p in self.pieces]
        for si, sentence in enumerate(doc.sentences):
            tokens = self._sentence(si)
            if not tokens.lows:
                continue
            pi = sentence_paras[si]
            self.sentence_index = si
            self._track_mentions(tokens)
            last_speaker = None
            if "according" in tokens.lows:
                last_speaker = self._according_to(self._tokens(si), si, pi, sentence_paras)
            cues = self._cues(tokens)
            if not cues:
                continue
            toks = self._tokens(si)
            consumed: set[int] = set()
            for ci, cue in enumerate(cues):
                if ci in consumed:
                    continue
                i, j = cue.i, cue.j
                lows = _lows(toks)
                if cue.lemma == "accord" or lows[i] == "according":
                    continue
                subject = None
                inverted = False
                participle = lows[i].endswith("ing") and cue.lemma not in ("bring",)
                if participle and i > 0 and toks[i - 1].low == "," and last_speaker:
                    subject = (last_speaker[0], *last_speaker[1])
                else:
                    subject = self._subject(toks, i)
                    if subject is None and i > 0 and (toks[i - 1].quoted or toks[i - 1].low == ","):
                        after = self._after(toks, j)
                        if after:
                            subject = after[:3]
                            inverted = True
                if subject is None:
                    continue
                who, ms, me = subject
                if who.kind == "self":
                    continue
                if who.kind == "person" and who.name:
                    self.topic = who
                last_speaker = (who, (ms, me))
                mention = (ms, me) if not (participle and toks[i - 1].low == ",") else None
                # a relaying medium: '..., X emphasized, TASS reports.'
                via = None
                nxt = ci + 1
                if nxt < len(cues):
                    c2 = cues[nxt]
                    tail = [t for t in toks[c2.j :] if t.low not in (".", "!", "?")]
                    if not tail and toks[j].low == "," if j < len(toks) else False:
                        s2 = self._subject(toks, c2.i)
                        if s2 and s2[0].type in ("media", "state_media"):
                            via = s2[0].name
                # which quotation pieces does the cue govern?
                subject_first = min((k for k, t in enumerate(toks) if t.start >= ms), default=i)
                if inverted:
                    subject_first = i
                before = [t for t in toks[:subject_first]]
                trailing = False
                governed: list[int] = []
                k = subject_first
                while k > 0 and toks[k - 1].low in (",", "—", "–") and not toks[k - 1].quoted:
                    k -= 1
                if k > 0 and toks[k - 1].quoted:
                    trailing = True
                    close = toks[k - 1].end
                    governed = [p for p, piece in enumerate(self.pieces) if piece[1] <= close and piece[1] > sentence.start - 1 and piece[0] < toks[k - 1].end and self._piece_in_sentence(p, sentence, close)]
                if not governed:
                    gap_start = toks[j - 1].end if not inverted else toks[-1].end
                    idx = bisect_right(piece_starts, gap_start)
                    prev_end = None
                    for p in range(idx, len(self.pieces)):
                        lo_, hi_, qi, ppi = self.pieces[p]
                        if ppi != pi or lo_ >= sentence.end + 1:
                            break
                        anchor = prev_end if prev_end is not None else (toks[j - 1].end if not inverted else me)
                        between = [t for t in toks if anchor <= t.start < lo_ - 1 and not t.quoted]
                        limit = _LEAD_GAP if prev_end is None else 10
                        if len(between) > limit or any(t.low in (".", ";", "!", "?") for t in between):
                            break
                        governed.append(p)
                        prev_end = self.quotes[qi].end
                        if self.quotes[qi].paragraphs > 1:
                            break
                del before
                weak = cue.lemma in self.gaz.weak_verbs
                if governed:
                    template = self._attr("direct", who, mention, toks, cue, (0, 0), via=via)
                    for n, p in enumerate(governed):
                        self._claim(p, 2 if trailing else 1, n, self._piece_attr(template, p))
                    if trailing:
                        self._spread_multi(governed, template)
                        author_words = [t for t in toks[:k] if not t.quoted and is_word(t.text)]
                        if len(author_words) >= 2:
                            span = self._content_span(toks, 0, k, keep_quotes=True)
                            if span:
                                self.others.append(self._attr("indirect", who, mention, toks, cue, span, via=via))
                    else:
                        self._mixed_clause(toks, cue, governed, who, mention, via)
                    continue
                # a colon lead-in: the next paragraph is the content
                rest = [t for t in toks[j:] if not t.quoted]
                if rest and rest[-1].low in (":", "how") and si + 1 < len(doc.sentences) and sentence_paras[si + 1] != pi:
                    self.lead_ins[pi + 1] = (self._attr("direct", who, mention, toks, cue, (0, 0), via=via), "direct")
                    continue
                if rest and rest[-1].low == ":" and j < len(toks) and toks[-1].low == ":":
                    pass
                # reported speech
                after_verb = j
                # an addressee between the verb and 'that': 'told TASS that', 'assured him that'
                for k2 in range(j + 1, min(j + 5, len(toks))):
                    if toks[k2].quoted or toks[k2].low in _PUNCT_STOP:
                        break
                    if toks[k2].low == "that" and toks[k2 - 1].low not in ("so", "such"):
                        after_verb = k2
                        break
                if after_verb < len(toks) and toks[after_verb].low in ("that", ":"):
                    after_verb += 1
                elif weak:
                    if not (trailing or self._trailing_position(toks, j)):
                        continue
                if self._trailing_position(toks, j) and subject_first > 0:
                    start_tok = 0
                    end_tok = k
                    span = self._content_span(toks, start_tok, end_tok)
                else:
                    if j < len(toks) and toks[j].low == ",":
                        after_verb = j + 1
                        if toks[0].low == "as":
                            span = self._content_span(toks, after_verb, len(toks))
                            if span:
                                self.others.append(_replace(self._attr("indirect", who, mention, toks, cue, span, via=via), kind="according_to"))
                            continue
                    stop = len(toks)
                    for c2 in cues[ci + 1 :]:
                        if toks[c2.i].low.endswith("ing") and toks[c2.i - 1].low == ",":
                            stop = c2.i - 1
                            break
                    span = self._content_span(toks, after_verb, stop)
                if span is None:
                    continue
                self.others.append(self._attr("indirect", who, mention, toks, cue, span, via=via))
        self._apply_lead_ins()
        return self._resolve()

    def _mixed_clause(self, toks: list[_Tok], cue: _Cue, governed: list[int], who: _Who, mention: Any, via: str | None) -> None:
        """'explained that "a gradual departure …" already began': one indirect record for the clause
        besides the direct one, unless the whole complement is the quotation or a naming verb."""
        if cue.lemma in ("call", "describe", "name", "dub", "label", "brand", "term", "wish"):
            return
        j = cue.j
        if j < len(toks) and toks[j].low in ("that", ":", ","):
            j += 1
        first = self.pieces[governed[0]][0]
        span = self._content_span(toks, j, len(toks))
        if span is None:
            return
        last = self.quotes[self.pieces[governed[-1]][2]].end
        author = [t for t in toks[j:] if not t.quoted and is_word(t.text) and (t.start < first - 1 or last <= t.start < span[1])]
        if not author:
            return
        if span:
            self.others.append(self._attr("indirect", who, mention, toks, cue, span, via=via))

    def _piece_in_sentence(self, p: int, sentence: Any, close: int) -> bool:
        lo, hi, qi, _ = self.pieces[p]
        q = self.quotes[qi]
        return hi <= close and (q.start >= sentence.start or q.end >= close - 1 or lo >= sentence.start)

    def _spread_multi(self, governed: list[int], template: Attribution) -> None:
        """Earlier paragraphs of a multi-paragraph quotation float with its speaker."""
        for p in governed:
            qi = self.pieces[p][2]
            for q2, piece in enumerate(self.pieces):
                if piece[2] == qi and q2 != p and q2 not in governed:
                    self._claim(q2, 4, 0, self._piece_attr(template, q2, "floating"))

    def _trailing_position(self, toks: list[_Tok], j: int) -> bool:
        rest = [t for t in toks[j:] if t.low not in (".", "!", "?")]
        return not rest

    def _according_to(self, toks: list[_Tok], si: int, pi: int, sentence_paras: list[int]) -> tuple[_Who, tuple[int, int]] | None:
        lows = _lows(toks)
        last = None
        for i in range(len(toks) - 1):
            if lows[i] != "according" or lows[i + 1] != "to" or toks[i].quoted:
                continue
            k = i + 2
            while k < len(toks) and not toks[k].quoted and lows[k] not in _PUNCT_STOP and k - i < 14:
                if lows[k] == "(":
                    break
                k += 1
            found = self._head(toks, i + 2, k)
            if not found:
                continue
            who, ms, mend = found
            if who.type == "unknown":
                # an apposition after the name: "Welt, German TV channel."
                tail_lo = k + 1 if k < len(toks) and lows[k] == "," else len(toks)
                role = self._role_in(lows, tail_lo, len(toks))
                if role:
                    who = who._replace(type=role[3], affiliation=who.affiliation or self._affiliation_in(lows, tail_lo, len(toks)))
            mention = (ms, toks[mend - 1].end)
            last = (who, mention)
            cue = _Cue(i, i + 2, "according to", "")
            if who.kind == "person":
                self.topic = who
            if i == 0 or (i == 1 and lows[0] in ("but", "and")):
                if k < len(toks) and lows[k] == ":" and si + 1 < len(self.doc.sentences) and sentence_paras[si + 1] != pi and k >= len(toks) - 1:
                    self.lead_ins[pi + 1] = (self._attr("according_to", who, mention, toks, cue, (0, 0)), "according_to")
                    continue
                stop = len(toks)
                for n in range(k + 1, len(toks) - 1):
                    if lows[n] == "," and lows[n + 1] in ("adding", "saying", "noting", "stressing"):
                        stop = n
                        break
                span = self._content_span(toks, k + 1, stop)
            else:
                span = self._content_span(toks, 0, i)
            if span:
                content_pieces = [p for p, piece in enumerate(self.pieces) if span[0] <= piece[0] and piece[1] <= span[1] + 1]
                attribution = self._attr("according_to", who, mention, toks, cue, span)
                if content_pieces and all(self.pieces[p][0] - span[0] <= 2 for p in content_pieces[:1]):
                    for p in content_pieces:
                        self._claim(p, 2, 0, self._piece_attr(attribution, p, "according_to"))
                else:
                    self.others.append(attribution)
        return last

    def _apply_lead_ins(self) -> None:
        for pi, (template, kind) in self.lead_ins.items():
            if pi >= len(self.doc.paragraphs):
                continue
            para = self.doc.paragraphs[pi]
            if any(para.start <= a.content_start < para.end for a in self.others):
                continue
            pieces = [p for p, piece in enumerate(self.pieces) if piece[3] == pi]
            if pieces:
                for n, p in enumerate(pieces):
                    self._claim(p, 3, n, self._piece_attr(template, p, kind if kind != "direct" else None))
                continue
            lo, hi = para.start, para.end
            while lo < hi and self.text[lo] in "-*•–— ":
                lo += 1
            if hi > lo:
                self.others.append(_replace(template, kind="indirect" if kind == "direct" else kind, content_start=lo, content_end=hi))

    def _track_mentions(self, sentence: _Sentence) -> None:
        """Entities named in author text, and the sentence topic for pronouns.

        Only tokens that can start an entity, a country, a pronoun or a one-word known name are
        visited: every other token leaves all state as it is. (The registry grows only when a
        person is named, which sets the sentence's person, after which it is no longer read.)"""
        lows, quoted, starts, ends = sentence.lows, sentence.quoted, sentence.starts, sentence.ends
        text = self.text
        first_person: _Who | None = None
        entities, pronouns, registry = self.gaz.entities, self.gaz.pronouns, self.registry
        starts_entity = entities.first
        starts_country = self.gaz.affiliations.first
        visit, names = self.gaz.mention_starts, self.registry_words
        n_toks = len(lows)
        i = 0  # the next token not inside an entity already matched
        for c in [c for c, low in enumerate(lows) if low in visit or low in names]:
            if c < i or quoted[c]:
                continue
            low = lows[c]
            capitalised = _capitalised(text[starts[c] : ends[c]], low)
            if low in starts_entity and capitalised:
                found = entities.match(lows, c)
                if found:
                    n, who = found
                    self._remember(who)
                    if who.kind == "person" and first_person is None:
                        first_person = who
                    i = c + n
                    continue
            if low in starts_country and capitalised:
                found = self.gaz.affiliations.match(lows, c)
                if found:
                    self.countries[found[1]] = self.sentence_index  # keeps the first-mention order
            if first_person is None:
                if low in pronouns:
                    if self.topic is not None:
                        first_person = self.topic
                elif c + 1 < n_toks and (low,) in registry and capitalised:
                    who = registry[(low,)]
                    if who.kind == "person":
                        first_person = who
        if first_person is not None:
            self.topic = first_person

    def _resolve(self) -> list[Attribution]:
        chosen: dict[int, Attribution] = {}
        for p, claims in self.claims.items():
            best = min(claims, key=lambda c: (c.priority, c.distance))
            chosen[p] = best.attribution
        # floating quotes: a quoted paragraph with no cue continues the previous speaker
        all_attrs = sorted([*chosen.values(), *self.others], key=lambda a: a.content_start)
        starts = [a.content_start for a in all_attrs]
        for p, (lo, hi, qi, pi) in enumerate(self.pieces):
            if p in chosen:
                continue
            words = _count_words(self.text, lo, hi)
            para = self.doc.paragraphs[pi]
            head = self.text[para.start : self.quotes[qi].start if self._para(self.quotes[qi].start) == pi else lo]
            initial = not head.strip(" -*•–—\t") or self._para(self.quotes[qi].start) != pi
            previous: Attribution | None = None
            index = bisect_right(starts, lo) - 1
            if index >= 0:
                candidate = all_attrs[index]
                cand_para = self._para(candidate.content_start)
                if initial and words >= 3 and cand_para in (pi - 1, pi):
                    previous = candidate
                elif not initial and words >= 6 and cand_para == pi:
                    previous = candidate
            if previous is None or (previous.speaker is None and previous.speaker_type == "unknown"):
                continue
            attribution = self._piece_attr(previous, p, "floating") if previous.quotation else _replace(
                previous, kind="floating", content_start=lo, content_end=hi, quotation=True,
                quote_start=self.quotes[qi].start, quote_end=self.quotes[qi].end,
                speaker_start=None, speaker_end=None, cue=None, cue_start=None, cue_end=None, verb_class=None,
            )
            chosen[p] = attribution
            all_attrs.insert(index + 1, attribution)
            starts.insert(index + 1, attribution.content_start)
        out = sorted([*chosen.values(), *self.others], key=lambda a: (a.content_start, a.content_end))
        # an indirect content that only repeats a claimed quotation is dropped
        quoted = [(a.content_start, a.content_end) for a in chosen.values()]
        return [
            a for a in out
            if a.quotation or not any(lo >= a.content_start and hi <= a.content_end and (hi - lo) >= 0.98 * (a.content_end - a.content_start) for lo, hi in quoted)
        ]


def _count_words(text: str, start: int, end: int) -> int:
    """Word tokens of ``text[start:end]``: the tokens of ``token_spans``, as strings straight
    from the regex (TOKEN_RE has no groups) rather than as spans to slice."""
    return sum(map(is_word, TOKEN_RE.findall(text, start, end)))


def _replace(attribution: Attribution, **fields: Any) -> Attribution:
    from dataclasses import replace

    return replace(attribution, **fields)


# -- unattributed assertions ------------------------------------------------------------------


# Hedges soften a claim rather than make one, so they do not make a sentence evaluative.
EVALUATIVE_CATEGORIES = frozenset({"pejorative", "emotive", "hyperbole", "booster", "doubt", "intensifier"})


def _evaluative_in(doc: Document, resources: Any, prior: Any) -> Any:
    """A function sentence index -> loaded-lexicon matches in that sentence. Reuses the spans of
    the ``loaded`` analyzer when it ran before (same matcher, so the same matches) rather than
    matching the lexicon a second time."""
    loaded = (prior or {}).get("loaded") if hasattr(prior, "get") else None
    spans = getattr(loaded, "spans", None)
    if spans is None:
        matcher = loaded_matcher(resources)
        sentence_tokens = doc.sentence_tokens()
        return lambda si: matcher.find_in_tokens(doc.text, sentence_tokens[si])
    starts = [s.start for s in doc.sentences]
    by_sentence: dict[int, list[LexiconMatch]] = {}
    for span in spans:
        if span.lexicon_category in EVALUATIVE_CATEGORIES:
            si = bisect_right(starts, span.start) - 1
            by_sentence.setdefault(si, []).append(LexiconMatch(span.start, span.end, span.term, span.lexicon_category, span.weight))
    return lambda si: by_sentence.get(si, ())


def _unattributed(
    doc: Document, ex: _Extractor, attributions: list[Attribution], resources: Any, prior: Any = None
) -> tuple[list[UnattributedAssertion], int]:
    cue_offsets = sorted(a.cue_start for a in attributions if a.cue_start is not None)
    contents = sorted((a.content_start, a.content_end) for a in attributions if not a.quotation)
    content_starts = [lo for lo, _ in contents]
    reach = list(accumulate((hi for _, hi in contents), max))  # furthest end among contents so far
    out, author = [], 0
    evaluative_in = _evaluative_in(doc, resources, prior)
    for si, sentence in enumerate(doc.sentences):
        quoted = ex._sentence(si).quoted
        if not quoted or len(quoted) - quoted.count(True) < 0.5 * len(quoted):
            continue  # no tokens, or mostly quoted
        index = bisect_right(cue_offsets, sentence.end - 1) - 1
        if index >= 0 and cue_offsets[index] >= sentence.start:
            continue  # the sentence carries an attribution
        index = bisect_right(content_starts, sentence.start) - 1
        if index >= 0 and reach[index] + 1 >= sentence.end:
            continue  # the sentence is the content of an indirect report
        author += 1
        hits = [
            m
            for m in evaluative_in(si)
            if m.category in EVALUATIVE_CATEGORIES and not doc.in_quotation(m.start)
        ]
        if hits:
            out.append(UnattributedAssertion(sentence.start, sentence.end, tuple(hits)))
    return out, author


# -- entry point ------------------------------------------------------------------------------


def _paraphrase_words(doc: Document, attribution: Attribution) -> int:
    """Words of an attribution's content that lie outside quotation marks."""
    return sum(
        1
        for m in TOKEN_RE.finditer(doc.text, attribution.content_start, attribution.content_end)
        if is_word(word := m.group()) and not doc.in_quotation(m.start()) and not word.isdigit()
    )


def _without_bare_quote_reports(doc: Document, attributions: list[Attribution]) -> list[Attribution]:
    """Drop an indirect record whose clause is nothing but a quotation (plus marks like [3]).

    The guidelines pair an indirect record with direct ones only when a clause mixes the
    author's paraphrase with quoted fragments; `X forewarned, "…"[3][4]` is one direct quote.
    """
    return [a for a in attributions if a.kind != "indirect" or _paraphrase_words(doc, a) > 0]


def _real_speakers(attributions: list[Attribution], gaz: Gazetteer) -> list[Attribution]:
    """Whatever path found a subject, 'I'/'you' is the text's own voice (a speech, a transcript)
    and is no cited source; a one-word 'name' that is an ordinary word ("However", "Others")
    names nobody, so the source stays unnamed."""
    out = []
    for a in attributions:
        name = a.speaker or ""
        if name.lower() in gaz.self_reference:
            continue
        if a.speaker_type == "unknown" and " " not in name and name and is_common_word(name):
            a = _replace(a, speaker=None, speaker_start=None, speaker_end=None)
        out.append(a)
    return out


def _finish(doc: Document, attributions: list[Attribution], gaz: Gazetteer) -> list[Attribution]:
    return _real_speakers(_without_bare_quote_reports(doc, attributions), gaz)


def extract(doc: Document, resources: Any) -> list[Attribution]:
    """Attributions of one document, in text order."""
    gaz = gazetteer(resources)
    return _finish(doc, _Extractor(doc, gaz).run(), gaz)


def analyze(doc: Document, resources: Any, prior: Any = None) -> AttributionResult:
    ex = _Extractor(doc, gazetteer(resources))
    attributions = _finish(doc, ex.run(), ex.gaz)
    unattributed, author_sentences = _unattributed(doc, ex, attributions, resources, prior)
    speakers: dict[str, list[Attribution]] = {}
    for a in attributions:
        if a.speaker:
            speakers.setdefault(a.speaker, []).append(a)
    speaker_list = tuple(
        Speaker(name, group[0].speaker_type, group[0].affiliation, len(group)) for name, group in speakers.items()
    )
    quoted_words = sum(_count_words(doc.text, a.content_start, a.content_end) for a in attributions if a.quotation)
    return AttributionResult(
        attributions=tuple(attributions),
        unattributed=tuple(unattributed),
        speakers=speaker_list,
        author_sentences=author_sentences,
        quoted_words=quoted_words,
    )


ANALYZER = register(
    Analyzer(
        name="attribution",
        version="5",
        analyze=analyze,
        description="quotations and reported speech: speaker, cue verb class, content; unattributed assertions",
        after=("loaded",),  # reuses its lexicon matches for evaluative reporting
    )
)
