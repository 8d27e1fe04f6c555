"""A trained linear-chain CRF as arrays, and tagging with it in NumPy.

CRFsuite (python-crfsuite) trains the tagger; tagging does not go through it. Its ``Tagger.tag``
converts every feature string of every token to C++ and looks it up (about 0.5 µs a feature,
twenty-odd features a token), which made the attribution stage cost 6.6× VADER. Here a token's
score for each label is the sum of the weights of its feature strings, as in CRFsuite, but summed
once per *key* (a word form's features once per word form, a word pair's once per pair, a tag
tuple's once per tuple: :mod:`framing.attribution.features`) and added up for a whole batch of
tokens with array indexing. Decoding is exact Viterbi over all sequences (paragraphs) of a
batch at once, long ones cut into chunks that are decoded together and joined (:func:`viterbi`).
The labels are CRFsuite's own, up to exact ties: ``tests/test_attribution_tagger.py`` checks
scores and labels against ``pycrfsuite.Tagger`` on a model trained in the test; the shipped
model, re-encoded from main's CRFsuite file, gave the same attributions as main on PolNeAR dev,
200 train articles and the 89 benchmark articles.

The model is stored as arrays (:meth:`CRF.to_bytes`): the attribute names, the non-zero state
weights and the transition matrix; loading needs no pickle and no CRFsuite.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from itertools import accumulate

import numpy as np

from framing.attribution.features import (
    CONTEXT_COLUMNS,
    OFFSETS,
    PAIR_PREFIXES,
    PARAGRAPH_FLAGS,
    Batch,
    context_table,
    neighbour_features,
    pad_feature,
    paragraph_flag_features,
    tag_features,
    word_features,
)
from framing.attribution.lexicon import norm

ENCODING = "framing-crf-arrays-1"  # the layout of the model bytes (:meth:`CRF.to_bytes`)
_WORD_CACHE = 50_000  # word forms whose summed weights are kept (then the cache starts again)


_BITS = 3  # the low bits of a fixed-point score that say which label it came from (8 > 7 labels)
_LOW = (1 << _BITS) - 1
_SCALE = 2.0**32  # fixed-point scores: 2^-32 steps, far below any weight's precision that matters


def _fixed(values: np.ndarray) -> np.ndarray:
    return np.rint(values * _SCALE).astype(np.int64)


class _Table:
    """Rows of label scores for keys met at run time (word forms, tag tuples), in a growing
    array; ``rows[0]`` stays zero."""

    def __init__(self, width: int, labels: int, limit: int) -> None:
        self.width, self.labels, self.limit = width, labels, limit
        self.clear()

    def clear(self) -> None:
        self.ids: dict = {(): 0}  # no tags score nothing
        self.rows = np.zeros((1024, self.width, self.labels))
        self.size = 1

    def add(self, key: object, row: np.ndarray) -> int:
        if self.size == len(self.rows):
            grown = np.zeros((2 * len(self.rows), self.width, self.labels))
            grown[: self.size] = self.rows[: self.size]
            self.rows = grown
        self.rows[self.size] = row
        self.ids[key] = self.size
        self.size += 1
        return self.size - 1


class CRF:
    """A linear-chain CRF: ``labels``, state ``weights`` (one row of label scores per attribute
    name) and ``transitions[i, j]`` (from label i to label j)."""

    def __init__(self, labels: Sequence[str], attributes: Sequence[str], weights: np.ndarray, transitions: np.ndarray) -> None:
        self.labels = tuple(labels)
        self.attributes = list(attributes)
        self.weights = np.asarray(weights, dtype=np.float64)
        self.transitions = np.asarray(transitions, dtype=np.float64)
        self.index = {name: k for k, name in enumerate(self.attributes)}
        k = len(self.labels)
        self._zero = np.zeros(k)
        self._bias = self.vector(("bias",))
        self._pads = np.array([self.vector((pad_feature(offset),)) for offset in OFFSETS])
        self._context = context_table({name: np.array([self.vector(s) for s in strings]) for name, strings in CONTEXT_COLUMNS.items()})
        self._flags = np.array([self.vector(paragraph_flag_features(code)) for code in range(1 << len(PARAGRAPH_FLAGS))])
        # word pairs: the pair's score as the right token's -1w|w and as the left token's w|+1w,
        # found by number: every word of a pair has a number, a pair of numbers a row
        pairs: dict[str, int] = {}
        for name in self.attributes:
            for prefix in PAIR_PREFIXES:
                if name.startswith(prefix):
                    pairs.setdefault(name[len(prefix):], len(pairs) + 1)
        self._pairs = np.zeros((len(pairs) + 1, 2, k))
        self._pair_words: dict[str, int] = {}
        keys: dict[tuple[str, str], int] = {}
        for key, row in pairs.items():
            self._pairs[row, 0] = self.vector((PAIR_PREFIXES[0] + key,))
            self._pairs[row, 1] = self.vector((PAIR_PREFIXES[1] + key,))
            for cut in (m for m, ch in enumerate(key) if ch == "|"):  # a word may hold '|' itself
                keys[key[:cut], key[cut + 1:]] = row
        for left, right in keys:
            for word in (left, right):
                self._pair_words.setdefault(word, len(self._pair_words) + 1)
        self._pair_base = len(self._pair_words) + 1
        self._pair_rows = {self._pair_words[a] * self._pair_base + self._pair_words[b]: row for (a, b), row in keys.items()}
        # the same as sorted arrays, to look a whole batch's pairs up at once (key 0 is no pair)
        pair_keys = sorted(self._pair_rows)
        self._pair_keys = np.array(pair_keys or [0], dtype=np.int64)
        self._pair_key_rows = np.array([self._pair_rows[key] for key in pair_keys] or [0], dtype=np.intp)
        self._words = _Table(1 + len(OFFSETS), k, _WORD_CACHE)
        self._word_pair = np.zeros(len(self._words.rows), dtype=np.int64)  # a word form's pair-word number
        self._tags = _Table(3, k, _WORD_CACHE)

    # -- storage --------------------------------------------------------------------------------

    @classmethod
    def from_crfsuite(cls, model: bytes) -> CRF:
        """The weights of a CRFsuite model (as ``pycrfsuite.Trainer.train`` writes it)."""
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(model)
        info = tagger.info()
        labels = list(tagger.labels())
        label_index = {label: k for k, label in enumerate(labels)}
        attributes = sorted({attribute for attribute, _label in info.state_features})
        index = {name: k for k, name in enumerate(attributes)}
        weights = np.zeros((len(attributes), len(labels)))
        for (attribute, label), weight in info.state_features.items():
            weights[index[attribute], label_index[label]] = weight
        transitions = np.zeros((len(labels), len(labels)))
        for (a, b), weight in info.transitions.items():
            transitions[label_index[a], label_index[b]] = weight
        tagger.close()
        return cls(labels, attributes, weights, transitions)

    def to_bytes(self) -> bytes:
        """The model as arrays: attribute names (UTF-8, one a line), the non-zero weights as
        (attribute, label, weight) triples, the transitions, the labels."""
        rows, cols = np.nonzero(self.weights)
        names = "\n".join(self.attributes).encode("utf-8")
        buffer = io.BytesIO()
        np.savez(
            buffer,
            labels=np.frombuffer("\n".join(self.labels).encode("utf-8"), dtype=np.uint8),
            attributes=np.frombuffer(names, dtype=np.uint8),
            rows=rows.astype(np.int32),
            cols=cols.astype(np.int8),
            values=self.weights[rows, cols],
            transitions=self.transitions,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> CRF:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            labels = arrays["labels"].tobytes().decode("utf-8").split("\n")
            attributes = arrays["attributes"].tobytes().decode("utf-8").split("\n")
            weights = np.zeros((len(attributes), len(labels)))
            weights[arrays["rows"], arrays["cols"]] = arrays["values"]
            return cls(labels, attributes, weights, arrays["transitions"])

    # -- scores ---------------------------------------------------------------------------------

    def vector(self, strings: Iterable[str]) -> np.ndarray:
        """The summed label scores of some feature strings (unknown ones score nothing)."""
        rows = [k for k in map(self.index.get, strings) if k is not None]
        return self.weights[rows].sum(axis=0) if rows else self._zero.copy()

    def _word_ids(self, words: list[str]) -> np.ndarray:
        table = self._words
        if len(table.ids) > table.limit:
            table.clear()
        found = list(map(table.ids.get, words))
        if None in found:
            for m, word in enumerate(words):
                if found[m] is None:
                    k = table.ids.get(word)
                    if k is None:
                        row = [self.vector(word_features(word))] + [self.vector(neighbour_features(word, o)) for o in OFFSETS]
                        k = table.add(word, np.array(row))
                        if len(self._word_pair) < len(table.rows):
                            self._word_pair = np.resize(self._word_pair, len(table.rows))
                        self._word_pair[k] = self._pair_words.get(norm(word), 0)
                    found[m] = k
        return np.array(found, dtype=np.intp)

    def _tag_ids(self, tags: list[tuple[str, ...]]) -> np.ndarray:
        table = self._tags
        if len(table.ids) > table.limit:
            table.clear()
        ids = table.ids
        found = list(map(ids.get, tags))  # no tags: row 0
        if None in found:
            for t, k in enumerate(found):
                if k is None:
                    tag = tags[t]
                    k = ids.get(tag)
                    if k is None:
                        k = table.add(tag, np.array([self.vector(tag_features(tag, p)) for p in ("", "-1", "+1")]))
                    found[t] = k
        return np.array(found, dtype=np.intp)

    def emissions(self, b: Batch) -> np.ndarray:
        """Each token's score for each label: the summed weights of its features."""
        n = len(b)
        if not n:
            return np.zeros((0, len(self.labels)))
        words = self._word_ids(b.words)
        rows = self._words.rows[words]  # (token, slot, label): the word's own scores, then as a neighbour
        scores = rows[:, 0] + self._bias
        pos = np.arange(n)
        first, last = b.para_first, b.para_last
        for slot, offset in enumerate(OFFSETS, start=1):
            # token i takes the scores of token i + offset as that neighbour, or the pad's beyond
            # its paragraph
            if offset < 0:
                scores[-offset:] += rows[:offset, slot]
                outside = np.flatnonzero(pos + offset < first)
            else:
                scores[:-offset] += rows[offset:, slot]
                outside = np.flatnonzero(pos + offset > last)
            at = outside + offset
            inside_array = (at >= 0) & (at < n)
            scores[outside] += self._pads[slot - 1]
            scores[outside[inside_array]] -= rows[at[inside_array], slot]
        # word pairs (none across a paragraph's start): pairs[i] is the pair (i - 1, i)
        numbers = self._word_pair[words]
        keys = numbers[:-1] * self._pair_base + numbers[1:]
        keys[(numbers[:-1] == 0) | (numbers[1:] == 0)] = 0  # a word in no pair: no key
        pairs = np.zeros(n, dtype=np.intp)
        at = np.searchsorted(self._pair_keys, keys)  # the keys in pair_keys, sorted: row 0 for the rest
        at[at == len(self._pair_keys)] = 0
        pairs[1:] = np.where(self._pair_keys[at] == keys, self._pair_key_rows[at], 0)
        pairs[b.para_start] = 0
        scores += self._pairs[pairs, 0]
        scores[:-1] += self._pairs[pairs[1:], 1]
        tags = self._tag_ids(b.tags)
        table = self._tags.rows
        scores += table[tags, 0]
        left = tags[:-1].copy()
        left[b.para_start[1:]] = 0
        scores[1:] += table[left, 1]
        right = tags[1:].copy()
        right[b.para_end[:-1]] = 0
        scores[:-1] += table[right, 2]
        scores += self._context[b.context.code]
        scores += self._flags[b.context.paragraph]
        return scores

    def viterbi(self, scores: np.ndarray, sequences: Sequence[tuple[int, int]]) -> np.ndarray:
        """The best label index of every token, each sequence ``[lo, hi)`` decoded on its own
        (:func:`viterbi`)."""
        return viterbi(scores, self.transitions, sequences)

    def tag(self, b: Batch) -> list[str]:
        """A label for every token of the batch."""
        labels = self.labels
        return [labels[k] for k in self.viterbi(self.emissions(b), b.sequences).tolist()]


_NONE = -(1 << 60)  # the score of a path that cannot be (a chunk's start label other than its own)


def _runs(lengths: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, list[int], list[int]]:
    """Runs of ``lengths`` (sorted longest first) advancing together, one position a step:
    the (step, run) pairs in step-major order as run index and position, and for each step how
    many runs are still going and where its pairs start."""
    active = np.searchsorted(-lengths, -np.arange(width), side="left").tolist()  # runs longer than t
    grid = np.arange(width)[:, None] < lengths[None, :]
    steps, runs = np.nonzero(grid)
    return runs, steps, active, [0, *accumulate(active)]


def viterbi(scores: np.ndarray, transitions: np.ndarray, sequences: Sequence[tuple[int, int]]) -> np.ndarray:
    """Exact Viterbi decoding of every sequence ``[lo, hi)`` of ``scores`` (token, label), with
    ``transitions[i, j]`` from label i to label j: the best label index of every token.

    Scores are fixed-point integers (2^-32 steps), so that sums are exact whatever their order,
    with the label a maximum came from in the lowest bits (the first label on a tie, as
    CRFsuite). A long paragraph would take one NumPy step a token; instead every sequence is cut
    into chunks of about sqrt(longest) tokens, all chunks of all sequences are decoded at once
    from each possible first label (one step a chunk position), the chunks are then joined
    sequence by sequence (one step a chunk), and the best path is read back the same two ways.
    """
    n, labels = len(scores), len(transitions)
    out = np.zeros(n, dtype=np.intp)
    spans = [(lo, hi) for lo, hi in sequences if hi > lo]
    if not spans:
        return out
    code = np.arange(labels)[::-1]  # added to a candidate: the lowest label wins a tie
    into = (_fixed(transitions) << _BITS) + code[:, None]  # into[i, j]: from i to j
    emit = _fixed(scores) << _BITS
    los = np.array([lo for lo, _ in spans])
    lengths = np.array([hi - lo for lo, hi in spans])
    width = max(8, int(np.ceil(np.sqrt(lengths.max()))))  # tokens a chunk
    counts = -(-lengths // width)  # chunks a sequence
    order = np.argsort(-counts, kind="stable")
    los, lengths, counts = los[order], lengths[order], counts[order]
    # chunks in (k, sequence) order: chunk k of every sequence that has one
    seq_of, k_of, seq_active, seq_offsets = _runs(counts, int(counts[0]))
    starts = los[seq_of] + k_of * width
    sizes = np.minimum(width, lengths[seq_of] - k_of * width)
    # 1. every chunk from every first label: best[j, c, s], the best score at the chunk's
    #    current position with label j of a path that took label s at its first token (labels
    #    first: the maximum over the previous label runs over contiguous blocks)
    by_size = np.argsort(-sizes, kind="stable")  # chunk rows, longest first
    row_of = np.empty_like(by_size)
    row_of[by_size] = np.arange(len(by_size))
    rows, steps, active, offsets = _runs(sizes[by_size], width)
    tokens = starts[by_size][rows] + steps  # the token of each (step, row)
    e = np.ascontiguousarray(emit[tokens].T)  # e[j, (step, row)]
    count = len(by_size)
    best = np.where(np.eye(labels, dtype=bool)[:, None, :], e[:, :count, None], _NONE)  # the first token: its own label only
    back = np.zeros((labels, len(tokens), labels), dtype=np.int8)  # back[j, (t, c), s]: the label at t - 1
    last = np.empty_like(best)  # best at each chunk's last token
    into_rows = into[:, :, None, None]
    for t in range(1, width + 1):
        a = active[t] if t < width else 0
        if a < active[t - 1]:
            last[:, a : active[t - 1]] = best[:, a : active[t - 1]]  # the chunks that ended at t - 1
        if not a:
            break
        lo = offsets[t]
        step = (best[:, None, :a] + into_rows).max(axis=0)
        low = np.bitwise_and(step, _LOW)
        back[:, lo : lo + a] = low  # the code of the label at t - 1 (made a label after the loop)
        step -= low
        step += e[:, lo : lo + a, None]
        best = step  # the chunks still going, in the same order (longest first)
    np.subtract(labels - 1, back, out=back)
    # 2. chunk by chunk along each sequence: the best score into each first label, the best
    #    first label for each last label, and each sequence's best last label
    last = last[:, row_of].transpose(1, 2, 0) + code[None, :, None]  # last[c, s, j], by chunk, with s's code
    first_of = np.zeros((count, labels), dtype=np.intp)  # the best first label for each last label
    before = np.zeros((count, labels), dtype=np.intp)  # the label before the chunk for each first label
    final = np.zeros(len(los), dtype=np.intp)
    entry = np.zeros((len(los), labels), dtype=np.int64)  # best score into each first label
    for k, a in enumerate(seq_active):
        chunk = slice(seq_offsets[k], seq_offsets[k] + a)  # chunk k of sequences 0 .. a - 1
        end = (entry[:a, :, None] + last[chunk]).max(axis=1)
        low = np.bitwise_and(end, _LOW)
        first_of[chunk] = low  # codes, made labels after the loop
        end -= low
        following = seq_active[k + 1] if k + 1 < len(seq_active) else 0
        if following < a:  # the sequences that end with this chunk: their best last label
            final[following:a] = (labels - 1) - np.bitwise_and((end[following:] + code).max(axis=1), _LOW)
        if following:
            step = (end[:following, :, None] + into).max(axis=1)
            low = np.bitwise_and(step, _LOW)
            before[seq_offsets[k + 1] : seq_offsets[k + 1] + following] = low  # codes, as first_of
            step -= low
            np.subtract(step, step.max(axis=1, keepdims=True), out=entry[:following])  # the same for every label: sums stay small
    np.subtract(labels - 1, first_of, out=first_of)
    np.subtract(labels - 1, before, out=before)
    # 3. back along each sequence: each chunk's last and first labels
    chunk_last = np.zeros(count, dtype=np.intp)
    chunk_first = np.zeros(count, dtype=np.intp)
    label = final
    every = np.arange(max(len(los), active[1] if len(active) > 1 else 0))
    for k in range(len(seq_active) - 1, -1, -1):
        a = seq_active[k]
        chunk = slice(seq_offsets[k], seq_offsets[k] + a)
        first = first_of[chunk][every[:a], label[:a]]
        chunk_last[chunk], chunk_first[chunk] = label[:a], first
        label[:a] = before[chunk][every[:a], first]
    # 4. back through every chunk at once
    path = np.zeros(len(tokens), dtype=np.intp)
    label = chunk_last[by_size]
    first = chunk_first[by_size]
    for t in range(len(active) - 1, 0, -1):
        a, lo = active[t], offsets[t]
        if not a:
            continue
        path[lo : lo + a] = label[:a]
        label[:a] = back[label[:a], lo + every[:a], first[:a]]
    path[: active[0]] = label
    out[tokens] = path
    return out

