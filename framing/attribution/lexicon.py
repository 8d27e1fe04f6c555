"""The word lists the attribution steps read (lexicon tables of framing/lexicons), compiled
once per Resources: phrase tables indexed by first and last word, and the closed word classes of
``attribution_rules.tsv``."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

from framing.lexicons import LexiconError, load_table
from framing.segment import token_spans

PUNCT_STOP = frozenset(",;:—–.!?")


class Who(NamedTuple):
    name: str | None
    type: str
    affiliation: str | None
    kind: str  # person | org | anonymous | unknown
    role: str = ""



def norm(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


def capitalised(word: str, low: str, particles: frozenset[str]) -> bool:
    """Whether a token can be part of a name: capitalised, 'al-Assad', or a particle ('bin')."""
    if not word:
        return False
    if word[0].isupper():
        return True
    if "-" in word and any(c.isupper() for c in word):  # al-Assad
        return True
    return low in particles



def phrase_key(text: str) -> tuple[str, ...]:
    return tuple(norm(text[s:e]) for s, e in token_spans(text))


def table_rows(resources: Any, name: str) -> tuple:
    try:
        return resources.table(name).rows
    except (LexiconError, FileNotFoundError):
        return ()


def split_aliases(value: str) -> list[str]:
    for sep in ("|", ";"):
        if sep in value:
            return [v.strip() for v in value.split(sep) if v.strip()]
    return [v.strip() for v in value.split(",") if v.strip()]



class Phrases:
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
        # the phrases as a trie (word -> [value, children]) for :meth:`match`: one dict lookup a
        # word, where trying every length builds a tuple for each
        self.trie: dict[str, list] = {}

    def add(self, key: tuple[str, ...], value: Any, *, keep_first: bool = True) -> None:
        if not key or (keep_first and key in self.map):
            return
        self.map[key] = value
        children = self.trie
        for word in key[:-1]:
            children = children.setdefault(word, [None, {}])[1]
        children.setdefault(key[-1], [None, {}])[0] = value
        self.longest = max(self.longest, len(key))
        self.first[key[0]] = max(self.first.get(key[0], 0), len(key))
        self.last[key[-1]] = max(self.last.get(key[-1], 0), len(key))
        for lengths, word in ((self.first_lengths, key[0]), (self.last_lengths, key[-1])):
            lengths[word] = sorted({*lengths.get(word, ()), len(key)}, reverse=True)

    def match(self, lows: list[str], i: int, limit: int | None = None) -> tuple[int, Any] | None:
        """The longest phrase starting at ``lows[i]`` and ending by ``limit`` (default: the end),
        as (length, value), or None."""
        if i >= len(lows):
            return None
        if limit is not None and limit > len(lows):
            return self._match_lengths(lows, i, limit)
        node = self.trie.get(lows[i])
        if node is None:
            return None
        end = len(lows) if limit is None else limit
        found = None
        k = i + 1  # node holds the phrase lows[i:k]
        while k <= end:
            if node[0] is not None:
                found = (k - i, node[0])
            if k == end:
                break
            node = node[1].get(lows[k])
            if node is None:
                break
            k += 1
        return found

    def _match_lengths(self, lows: list[str], i: int, limit: int | None = None) -> tuple[int, Any] | None:
        """:meth:`match` by trying every length (kept for a ``limit`` beyond the end of ``lows``)."""
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
        self.verbs = Phrases()
        for row in table_rows(resources, "reporting_verbs"):
            for form in split_aliases(row["forms"]) or [row["lemma"]]:
                self.verbs.add(phrase_key(form), (row["lemma"], row["class"]))
        self.roles = Phrases()
        for row in table_rows(resources, "speaker_roles"):
            self.roles.add(phrase_key(row["term"]), (row["term"], row["speaker_type"]))
        self.affiliations = Phrases()
        for row in table_rows(resources, "affiliations"):
            self.affiliations.add(phrase_key(row["term"]), row["affiliation"])
        self.anonymous = Phrases()
        for row in table_rows(resources, "anonymous_sources"):
            self.anonymous.add(phrase_key(row["term"]), row["term"])
        self.entities = Phrases()
        self.people_by_role: list[Who] = []
        for row in table_rows(resources, "people"):
            who = Who(row["name"], row.get("speaker_type") or "unknown", row.get("affiliation") or None, "person", row.get("role", ""))
            self.people_by_role.append(who)
            for alias in [row["name"], *split_aliases(row.get("aliases", ""))]:
                self.entities.add(phrase_key(alias), who)
        for row in table_rows(resources, "organisations"):
            who = Who(row["name"], row.get("speaker_type") or "unknown", row.get("affiliation") or None, "org", row.get("kind", ""))
            for alias in [row["name"], *split_aliases(row.get("aliases", ""))]:
                key = phrase_key(alias)
                if key and key[0] == "the" and len(key) > 1:
                    key = key[1:]
                self.entities.add(key, who)
        rules: dict[str, set[str]] = {}
        for row in table_rows(resources, "attribution_rules"):
            rules.setdefault(row["category"], set()).add(norm(row["term"]))
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
        self.name_particles = frozenset(rules.get("name_particle", ()))
        self.media_heads = frozenset(rules.get("media_head", ()))
        self.naming_verbs = frozenset(rules.get("naming_verb", ()))
        self.subject_prepositions = frozenset(rules.get("subject_preposition", ()))
        self.possessives = frozenset(rules.get("possessive", ()))
        self.participle_cues = frozenset(rules.get("participle_cue", ()))
        self.not_complementiser = frozenset(rules.get("intensifier_before_that", ()))
        self.relative_pronouns = frozenset(rules.get("relative_pronoun", ()))
        self.time_words = frozenset(rules.get("time_word", ()))
        self.male = frozenset(rules.get("male", ()))  # pronouns and honorifics
        self.female = frozenset(rules.get("female", ()))
        # words that can start anything RuleExtractor._track_mentions records
        self.mention_starts = frozenset(self.entities.first) | frozenset(self.affiliations.first) | self.pronouns
        # a country's government as a speaker: 'Russian government' (the organisation's own
        # name when organisations.tsv lists one), from the country's demonym in affiliations.tsv
        self.governments: dict[str, str] = {}
        for row in table_rows(resources, "affiliations"):
            term, country = row["term"], row["affiliation"]
            if country not in self.governments and " " not in term and term != country and term[:1].isupper() \
                    and not term.endswith("s") and term.endswith(("ese", "ian", "an", "ish", "ch", "i")):
                self.governments[country] = f"{term} government"
        for key, who in self.entities.map.items():
            if who.kind == "org" and key[-1:] == ("government",) and who.affiliation in self.governments \
                    and norm(who.name) == norm(self.governments[who.affiliation]):
                self.governments[who.affiliation] = who.name


def gazetteer(resources: Any) -> Gazetteer:
    return resources.memo("attribution:gazetteer", lambda: Gazetteer(resources))



@lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """Lower-cased first name -> 'male' | 'female' (framing/data/first_names.tsv: the US Census
    1990 lists, public domain; see its header)."""
    from importlib.resources import as_file, files

    with as_file(files("framing.data").joinpath("first_names.tsv")) as path:
        return {row["name"]: row["gender"] for row in load_table(path).rows}
