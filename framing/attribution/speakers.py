"""Speakers: the noun phrase before (or after) a cue, resolved to a named person, an
organisation, an anonymous source, a group, or left unknown; mentions tracked in text order so
that pronouns and descriptions take the latest compatible entity."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import islice
from typing import Any, NamedTuple

from framing.attribution.lexicon import PUNCT_STOP, Who, capitalised, first_names, norm, phrase_key
from framing.attribution.tokens import Sentence, Tok, lows_of
from framing.segment import is_common_word

MAX_WINDOW = 12  # tokens searched back from a verb for its speaker


class SpeakerSteps:
    """Speaker resolution (mixed into the rule extractor)."""

    def _remember(self, who: Who, tokens: tuple[str, ...] = ()) -> None:
        if who.name is None or who.kind == "anonymous":
            return
        self.mentions.append(who)
        if who.kind == "person":
            key = phrase_key(who.name)
            self.registry[key] = who
            if key:
                self.registry.setdefault(key[-1:], who)
                self.registry_words.add(key[-1])
        if tokens:
            self.registry.setdefault(tokens, who)
            if len(tokens) == 1:
                self.registry_words.add(tokens[0])

    def _recent(self, wanted_type: str | None, affiliation: str | None, kind: str | None) -> Who | None:
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

    def _by_role(self, role: str, wanted_type: str, affiliation: str | None) -> Who | None:
        if affiliation is None:
            return None
        found = [
            p for p in self.gaz.people_by_role
            if p.affiliation == affiliation and (role in norm(p.role) or (p.type == wanted_type and wanted_type == "head_of_state"))
        ]
        return found[0] if len(found) == 1 else None

    def _is_cap(self, tok: Tok) -> bool:
        return not tok.quoted and capitalised(tok.text, tok.low, self.gaz.name_particles)

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

    def _head(self, toks: list[Tok], lo: int, hi: int) -> tuple[Who, int, int] | None:
        """Resolve the speaker noun phrase in toks[lo:hi]; returns (who, mention start, end index)."""
        if hi <= lo:
            return None
        lows = lows_of(toks)
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
            return Who(f"anonymous: {toks[first].text if anon[0] == 1 else anon[1]}", "anonymous", self._affiliation_in(lows, lo, end), "anonymous"), toks[lo].start, end
        if anon and first + anon[0] <= end and anon[0] >= 2:
            label = anon[1]
            if lows[first + anon[0] - 1] in ("to", "with", "of"):  # 'sources close to the Kremlin'
                label = norm(self.text[toks[first].start : toks[end - 1].end])
            return Who(f"anonymous: {label}", "anonymous", self._affiliation_in(lows, lo, end), "anonymous"), toks[lo].start, end
        # a group: 'They', 'Both leaders', 'the two governments', 'both China and Russia'
        group = self._group(toks, lows, lo, first, end)
        if group is not None:
            return group, toks[lo].start, end
        # a possessed speech noun: 'His New Year greetings … expressed hope'
        if lows[lo] in ("his", "her") and any(w in gaz.speech_nouns for w in lows[lo + 1 : end]):
            return (self.topic or Who(None, "unknown", None, "unknown")), toks[lo].start, lo + 1
        # a pronoun subject
        if end - first == 1 and lows[first] in gaz.pronouns:
            return (self.topic or Who(None, "unknown", None, "unknown")), toks[first].start, end
        # 'I said', 'you told us': the text's own voice (a speech, an interview), not a cited source
        if end - first == 1 and lows[first] in gaz.self_reference:
            return Who(None, "unknown", None, "self"), toks[first].start, end
        # 'It was confirmed that …', 'There were reports …': agentless, no speaker to name
        if end - first == 1 and lows[first] in gaz.expletives:
            return Who(None, "unknown", None, "unknown"), toks[first].start, end
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
                who = Who(f"anonymous: {toks[re_ - 1].text}", "anonymous", affiliation, "anonymous")
            if who is None:
                who = Who(None, typ, affiliation, "unknown")
            return who, toks[first].start, end
        return None

    def _joint(self, members: list[Who]) -> Who:
        affiliation = "; ".join(x for x in dict.fromkeys(m.affiliation for m in members) if x) or None
        types = {m.type for m in members}
        who = Who("; ".join(m.name or "" for m in members), types.pop() if len(types) == 1 else "unknown", affiliation, "group")
        self.group = (self.sentence_index, who)
        return who

    def _group(self, toks: list[Tok], lows: list[str], lo: int, first: int, end: int) -> Who | None:
        """A plural speaker. 'They'/'We' take the group named or speaking in the last two
        sentences (else stay unresolved, never a name); 'both leaders' / 'the two presidents' the
        two most recently named people of one type; 'both countries' / 'the two governments' the
        governments of the two most recently named countries; 'both China and Russia' theirs."""
        gaz = self.gaz
        words = lows[lo:end]
        recent = self.group if self.group and self.sentence_index - self.group[0] <= 2 else None
        if len(words) == 1 and words[0] in gaz.group_pronouns:
            return recent[1] if recent else Who(None, "unknown", None, "unknown")
        pair = len(words) >= 2 and (words[0] == "both" or words[:2] == ["the", "two"])
        if pair and words[-1] in gaz.group_person:
            if recent and recent[1].kind == "group" and ";" in (recent[1].name or ""):
                return recent[1]
            people: list[Who] = []
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
                return self._joint([Who(gaz.governments[c], "official", c, "org") for c in members])
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
            return self._joint([Who(gaz.governments[c], "official", c, "org") for c in members])
        return None

    def _named(self, toks: list[Tok], lows: list[str], lo: int, end: int) -> tuple[Who, int] | None:
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
            typ = "media" if lows[end - 1] in gaz.media_heads else (role[3] if role else "unknown")
            who = Who(name, typ, affiliation, "org")
        else:
            who = Who(name, role[3] if role else "unknown", affiliation, "person", role[2] if role else "")
        self._remember(who, name_key)
        return who, toks[mention].start

    def _extend_left(self, toks: list[Tok], lows: list[str], lo: int, k: int) -> int:
        gaz = self.gaz
        while k > lo:
            prev = toks[k - 1]
            low = prev.low
            if prev.quoted or (low in PUNCT_STOP) or (low in gaz.boundaries and low not in ("of",)):
                break
            if not (self._is_cap(prev) or low in gaz.determiners or low == "'s" or gaz.roles.ending_at(lows, k, lo) or "-" in low or low in ("of",)):
                break
            k -= 1
        while k < len(lows) and lows[k] in ("of",):
            k += 1
        return k

    def _subject(self, toks: list[Tok], i: int) -> tuple[Who, int, int] | None:
        """Speaker before the verb at token i: (who, mention start offset, mention end offset)."""
        gaz = self.gaz
        end = i
        while end > 0 and not toks[end - 1].quoted and toks[end - 1].low in gaz.adverbs:
            end -= 1
        for _ in range(3):
            lo = end
            while lo > 0 and end - lo < MAX_WINDOW:
                prev = toks[lo - 1]
                if prev.quoted or prev.low in PUNCT_STOP or prev.text == '"':
                    break
                if prev.low in gaz.boundaries and prev.low != "of" and prev.low not in gaz.subject_prepositions:
                    break
                if prev.low in gaz.subject_prepositions and not (lo < len(toks) and (self._is_cap(toks[lo]) or toks[lo].low in gaz.determiners or toks[lo].low in gaz.speech_nouns or toks[lo].low == "the")):
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
                        joint = Who(f"{a.name}; {b.name}", a.type if a.type == b.type else "unknown", affiliation, "group")
                        self.group = (self.sentence_index, joint)
                        return joint, other[1], toks[mend - 1].end
                return who, mstart, toks[mend - 1].end
            # skip back over one comma-separated segment (apposition, participle clause)
            if lo > 0 and toks[lo - 1].low == "," and not toks[lo - 1].quoted:
                end = lo - 1
                continue
            return None
        return None

    def _after(self, toks: list[Tok], j: int) -> tuple[Who, int, int, int] | None:
        """Inverted speaker after the verb: '"…," said Putin.' -> (who, start, end, next index)."""
        k = j
        while k < len(toks) and not toks[k].quoted and toks[k].low not in PUNCT_STOP and k - j < 8:
            k += 1
        found = self._head(toks, j, k)
        if found:
            who, mstart, mend = found
            return who, mstart, toks[mend - 1].end, mend
        return None

    def _track_mentions(self, sentence: Sentence) -> None:
        """Entities named in author text, and the sentence topic for pronouns.

        Only tokens that can start an entity, a country, a pronoun or a one-word known name are
        visited: every other token leaves all state as it is. (The registry grows only when a
        person is named, which sets the sentence's person, after which it is no longer read.)"""
        lows, quoted, starts, ends = sentence.lows, sentence.quoted, sentence.starts, sentence.ends
        text = self.text
        first_person: Who | None = None
        entities, pronouns, registry = self.gaz.entities, self.gaz.pronouns, self.registry
        starts_entity = entities.first
        starts_country = self.gaz.affiliations.first
        visit, names = self.gaz.mention_starts, self.registry_words
        particles = self.gaz.name_particles
        n_toks = len(lows)
        i = 0  # the next token not inside an entity already matched
        for c in [c for c, low in enumerate(lows) if low in visit or low in names]:
            if c < i or quoted[c]:
                continue
            low = lows[c]
            is_name_word = capitalised(text[starts[c] : ends[c]], low, particles)
            if low in starts_entity and is_name_word:
                found = entities.match(lows, c)
                if found:
                    n, who = found
                    self._remember(who)
                    if who.kind == "person" and first_person is None:
                        first_person = who
                    i = c + n
                    continue
            if low in starts_country and is_name_word:
                found = self.gaz.affiliations.match(lows, c)
                if found:
                    self.countries[found[1]] = self.sentence_index  # keeps the first-mention order
            if first_person is None:
                if low in pronouns:
                    if self.topic is not None:
                        first_person = self.topic
                elif c + 1 < n_toks and (low,) in registry and is_name_word:
                    who = registry[(low,)]
                    if who.kind == "person":
                        first_person = who
        if first_person is not None:
            self.topic = first_person


# -- sources the tagger found: resolved against the speakers named before them ---------------


class Named(NamedTuple):
    offset: int  # where the name is mentioned
    who: Who
    gender: str  # "male" | "female" | ""
    speaker: bool = False  # named as the source of an attribution (not only mentioned)


def gender_of(words: list[str], gaz: Any) -> str:
    """'male' / 'female' from an honorific or a first name in ``words`` (lower case), else ''."""
    names = first_names()
    for w in words:
        if w in gaz.male and w not in gaz.pronouns:
            return "male"
        if w in gaz.female and w not in gaz.pronouns:
            return "female"
    for w in words:
        if w in names:
            return names[w]
    return ""


def role_gender(words: list[str]) -> str:
    """The gender a role word states: 'spokeswoman', 'congresswoman' / 'spokesman', 'chairman'."""
    for w in words:
        if w.endswith("woman") or w.endswith("women"):
            return "female"
        if w.endswith("man") and len(w) > 4:
            return "male"
    return ""


class SourceResolver:
    """Resolves a source span the tagger found, with the rule pass's lexicons and state.

    A span that names someone resolves as the rules resolve a subject (known people and
    organisations, surnames named earlier, anonymous phrases, groups). A pronoun or a bare role
    ("she", "the spokeswoman", "the minister") resolves to the nearest *earlier* named speaker or
    named person of compatible gender (from an honorific, the first-name list or the role word)
    and, for a role, of the same speaker type when the role says one; an organisation stays an
    organisation; what none of this settles stays unknown (no name), never a guess."""

    def __init__(self, ex: Any, view: Any) -> None:
        self.ex = ex
        self.view = view
        self.gaz = ex.gaz
        self.named: list[Named] = []  # in the order they were added
        self._by_offset: list[Named] = []  # by offset, then in the order they were added
        self._keys: list[tuple[int, int]] = []  # (offset, -order) of each of _by_offset
        gaz = ex.gaz
        lows, tags, starts, text = view.lows, view.tags, view.starts, ex.text
        names = first_names()
        n_toks = len(lows)
        # only tokens tagged as a known person, or a first name, can start a named person
        person = [t for t, tag in enumerate(tags) if tag and "ent=person" in tag]
        for t in sorted({*person, *(t for t, low in enumerate(lows) if low in names)}):
            tag = tags[t]
            if "ent=person" in tag:
                found = gaz.entities.match(lows, t)
                if found:
                    n, who = found
                    self._add(Named(starts[t], who, gender_of(lows[t : t + n], gaz)))
            elif lows[t] in names and text[starts[t]].isupper() and not view.quoted[t] and t + 1 < n_toks \
                    and text[starts[t + 1]].isupper() and "ent=person" not in tags[t + 1]:
                # a first name and a capitalised word: a person named in passing ("John Bolton")
                k = t + 1
                while k < n_toks and text[starts[k]].isupper() and k - t < 4:
                    k += 1
                name = text[starts[t] : view.ends[k - 1]]
                self._add(Named(starts[t], Who(name, "unknown", None, "person"), names[lows[t]]))

    def add(self, offset: int, who: Who, mention: tuple[int, int] | None) -> None:
        """A speaker resolved by a name (by the rules or here): a referent for later pronouns."""
        if who.name and who.kind == "person":
            words = norm(self.ex.text[mention[0] : mention[1]]).split() if mention else []
            self._add(Named(offset, who, gender_of(words + norm(who.name).split(), self.gaz), True))

    def _add(self, named: Named) -> None:
        key = (named.offset, -len(self.named))
        at = bisect_left(self._keys, key)
        self._keys.insert(at, key)
        self._by_offset.insert(at, named)
        self.named.append(named)

    def _before(self, offset: int) -> Iterator[Named]:
        """The names mentioned before ``offset``, nearest first (the earlier added first on a tie)."""
        by_offset = self._by_offset
        for k in range(bisect_left(self._keys, (offset, -len(self.named))) - 1, -1, -1):
            yield by_offset[k]

    def _nearest(self, offset: int, gender: str, speaker_type: str | None) -> Who | None:
        """The nearest earlier compatible speaker; failing one, the nearest person mentioned."""
        before = list(islice(self._before(offset), 60))
        for speakers_only in (True, False):
            for named in before:
                if speakers_only and not named.speaker:
                    continue
                if gender and named.gender and named.gender != gender:
                    continue
                if speaker_type and named.who.type not in (speaker_type, "unknown"):
                    continue
                return named.who
        return None

    def resolve(self, start: int, end: int) -> Who:
        ex, gaz = self.ex, self.gaz
        unknown = Who(None, "unknown", None, "unknown")
        si = ex._sentence_at(start)
        if si is None:
            return unknown
        toks = ex._tokens(si)
        sentence = ex._sentence(si)  # tokens in order, without overlaps: offsets found by bisection
        lo = bisect_right(sentence.ends, start)  # the first token ending after ``start``
        hi = bisect_left(sentence.starts, end)  # the first token starting at or after ``end``
        if lo >= hi:
            return unknown
        lows = lows_of(toks)
        # 'the White House press secretary, Josh Earnest,': the name in the apposition
        for k in range(lo + 1, hi - 1):
            if lows[k] == "," and not any(ex._is_cap(t) and t.low not in gaz.determiners for t in toks[lo + 1 : k]):
                seg_end = next((m for m in range(k + 1, hi) if lows[m] == ","), hi)
                if any(ex._is_cap(t) for t in toks[k + 1 : seg_end]):
                    found = ex._head(toks, k + 1, seg_end)
                    if found is not None and found[0].name and found[0].kind == "person":
                        return found[0]
                break
        # the head of the span: not an apposition (", a Michigan Republican who …"), a relative
        # clause or a time ("Trump on Monday")
        for k in range(lo + 1, hi):
            if lows[k] in (",", "(", "—", "–") or lows[k] in gaz.relative_pronouns or lows[k] in gaz.time_words:
                hi = k
                if lows[k] in gaz.time_words and hi - 1 > lo and lows[hi - 1] in gaz.subject_prepositions:
                    hi -= 1
                break
        if lows[lo] in gaz.time_words:
            return unknown
        words = lows[lo:hi]
        content_words = [w for w in words if w not in gaz.determiners]
        if len(content_words) == 1 and content_words[0] in gaz.relative_pronouns:
            return self._nearest(start, "", None) or unknown
        if len(content_words) == 1 and content_words[0] in gaz.pronouns:
            pronoun = content_words[0]
            gender = "male" if pronoun in gaz.male else "female" if pronoun in gaz.female else ""
            return self._nearest(start, gender, None) or unknown
        # a bare role ("the spokeswoman", "the Republican nominee"): the nearest earlier named
        # speaker of that type and a compatible gender
        role = ex._role_in(words, 0, len(words))
        named_in_span = any(ex._is_cap(t) and t.low not in gaz.determiners for t in toks[lo + 1 : hi]) or (
            ex._is_cap(toks[lo]) and toks[lo].low not in gaz.determiners and not ex.gaz.roles.match(lows, lo, hi)
            and not ex.gaz.affiliations.match(lows, lo, hi)
        )
        if role is not None and not words[role[1] - 1].endswith("s") and not named_in_span:
            who = self._nearest(start, role_gender(words), role[3])
            if who is not None:
                return who
        found = ex._head(toks, lo, hi)
        if found is not None and (found[0].name or found[0].kind in ("anonymous", "self", "group")):
            who = found[0]
            if who.name and " " not in who.name and who.kind == "person":  # a surname named in full before
                surname = norm(who.name)
                for named in self._before(start):
                    if named.who.name and norm(named.who.name).split()[-1] == surname:
                        return named.who
            return who
        return found[0] if found is not None else unknown
