"""Stories: articles grouped by the event or developing story they report, so that outlets can
be compared on the same story rather than on whatever each chose to cover.

    >>> from framing.stories import find_stories
    >>> stories = find_stories(records)              # doctest: +SKIP
    >>> stories.stories                               # one row per story (DataFrame)
    >>> stories.articles                              # one row per article, with its story

How (every number below is a keyword of :meth:`StoryIndex.cluster` or :class:`StoryIndex`):

1. **Vectors.** Each article is three bags of words: its title, its lead (the first
   ``lead_words`` words of the text) and its body (the first ``body_words`` words, the lead
   included). Words are lower-cased, English stop words dropped; term frequency is sublinear
   (1 + log tf) and weighted by IDF learned from the articles given. Each bag is L2-normalised,
   then the article's vector is ``title_weight · title + lead_weight · lead + body``,
   normalised again: the title and the lead weigh as much as the whole body when both weights
   are 1, because they name the event where the body wanders.
2. **Neighbours.** The cosine of two articles is the dot product of their vectors. Articles
   are sorted by date and compared in chunks, each only with the articles dated within
   ``window_days`` of it (a month or a year stands for all its days; articles without a date
   are compared with all). Each article
   keeps its ``neighbours`` most similar articles at cosine ``>= threshold``. Memory is bounded
   by the chunk size; time grows with the number of articles times the articles in a window.
3. **Stories.** Two articles are linked when each is among the other's neighbours (mutual
   neighbours, which keeps one very general article from joining unrelated stories); a story
   is a connected component of the links. An article without links is a story of its own.
   Against chaining: a group of linked undated articles keeps only its strongest link to a
   dated article, and a story of ``COHESION_MIN_SIZE`` articles or more whose articles lie on
   average at cosine < ``MIN_COHESION`` from its centroid is cut again with the threshold
   raised by ``COHESION_STEP`` at a time.

The defaults (``THRESHOLD``, ``WINDOW_DAYS``...) were chosen on labelled events, see
``framing/evaluation/stories.py`` and ``docs/stories.md``: what was chosen on what, and the
figures on held-out events.

A story is found from words only: a press release or a quotation shared by reports of two
events can join them, and one event told in different words can be split. Read the articles.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import sys
import tempfile
import weakref
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

THRESHOLD = 0.20
WINDOW_DAYS = 7
NEIGHBOURS = 10
TITLE_WEIGHT = 2.0
LEAD_WEIGHT = 1.0
LEAD_WORDS = 60
BODY_WORDS = 600
TOP_TERMS = 6
# Dense similarity cells computed at once (chunk rows × candidate articles); 4 bytes each.
BLOCK_CELLS = 4_000_000
MAX_CHUNK = 1024  # rows of one chunk at most
# Terms found in more articles than this are left out of the neighbour *search* (the similarity of
# the neighbours found is then computed with every term): they cost most and tell stories apart
# least, and without them the search costs at most SEARCH_MAX_DF × the corpus's word count.
SEARCH_MAX_DF = 1000
# Neighbour pairs whose exact similarity is computed at once (each pair's sum is its own: the
# batch only bounds memory, ~1.5 MB of rows per 1,000 pairs on news text).
PAIR_BATCH = 4096
# Rows × candidates of the dense similarities held at once: a chunk's rows are scored a slice at
# a time (the result is the same: each row's similarities and top neighbours are its own).
SLICE_CELLS = 1 << 18
# Articles whose word counts are gathered in memory before they go, as one block, to the index's
# temporary file; the vectors are computed a block at a time, and the stories' top terms
# STORY_BLOCK stories at a time.
BLOCK_ARTICLES = 2048
STORY_BLOCK = 4096
CHARS_PER_WORD = 12  # characters tokenised per word wanted, at first (words average ~6 with a space)
# A story of at least COHESION_MIN_SIZE articles must have a mean cosine of its articles to their
# centroid of at least MIN_COHESION; a looser one is a chain, split with the threshold raised.
COHESION_MIN_SIZE = 3
MIN_COHESION = 0.45
COHESION_STEP = 0.05

STORY_COLUMNS = ("story", "n_articles", "n_outlets", "outlets", "article_ids", "first_date", "last_date",
                 "top_terms", "titles")
ARTICLE_COLUMNS = ("id", "outlet", "title", "date", "story")

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def full_date(value: Any) -> dt.date | None:
    """The date of a ``YYYY-MM-DD`` value (a time may follow); None for partial or bad dates."""
    match = re.match(r"(\d{4}-\d{2}-\d{2})(?:$|[T ])", str(value or "").strip())
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def date_range(value: Any) -> tuple[int, int] | None:
    """The first and last day (ordinals) a date may mean: ``2021-12-15`` one day (a time may
    follow), ``2021-12`` the month, ``2021`` the year; None without a usable date."""
    text = str(value or "").strip()
    day = full_date(text)
    if day is not None:
        return day.toordinal(), day.toordinal()
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", text)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2) or 0)
    try:
        if month:
            first = dt.date(year, month, 1)
            last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        else:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None
    return first.toordinal(), last.toordinal()


def body_text(record: Mapping[str, Any]) -> str | None:
    """A scores record's text with the chrome removed before analysis cut out (None without text)."""
    text = record.get("text")
    if not isinstance(text, str):
        return None
    removed = sorted(
        (int(r["start"]), int(r["end"])) for r in (record.get("cleaning") or {}).get("removed") or ()
        if isinstance(r, Mapping) and "start" in r and "end" in r
    )
    pieces, position = [], 0
    for start, end in removed:
        pieces.append(text[position:max(position, start)])
        position = max(position, end)
    pieces.append(text[position:])
    return " ".join(pieces)


def prose_text(text: str) -> str:
    """A raw text's prose lines: the chrome that analysis sets aside (``framing.clean``) cut out."""
    from framing.clean import clean

    return "\n".join(text[start:end] for start, end in clean(text).kept_lines)


def _outlet(metadata: Mapping[str, Any]) -> str:
    outlet = metadata.get("outlet")
    return str(outlet).strip() if outlet not in (None, "") and str(outlet).strip() else "unknown"


@dataclass(frozen=True)
class StorySettings:
    threshold: float = THRESHOLD
    window_days: int | None = WINDOW_DAYS  # None: dates ignored
    neighbours: int = NEIGHBOURS
    mutual: bool = True


@dataclass
class Stories:
    """The result of clustering: ``articles`` (id, outlet, title, date, story) in story order,
    ``stories`` (one row per story; see ``STORY_COLUMNS``), and the settings used."""

    articles: pd.DataFrame
    stories: pd.DataFrame
    settings: StorySettings
    weights: tuple[float, float] = (TITLE_WEIGHT, LEAD_WEIGHT)  # title and lead, beside the body

    def story_of(self) -> dict[str, str]:
        return dict(zip(self.articles["id"], self.articles["story"]))

    def shared(self, min_outlets: int = 2) -> pd.DataFrame:
        """The stories covered by at least ``min_outlets`` outlets."""
        return self.stories[self.stories["n_outlets"] >= min_outlets]


class _Bags:
    """Every article's three bags of words (title, lead, body): for each, the term ids (int32)
    and counts (float32) in the bag's own order (first occurrence; the vectors' float sums
    follow it). Memory keeps each bag's length and the bags of the last ``BLOCK_ARTICLES``
    articles at most; the others are written, a block at a time, to a temporary file (unlinked
    when created, so it goes with the process however it ends; closed with the index)."""

    def __init__(self) -> None:
        self.lengths = tuple(array("i") for _ in range(3))
        self._terms = tuple(array("i") for _ in range(3))  # the block being gathered
        self._counts = tuple(array("f") for _ in range(3))
        self._blocks: list[tuple[int, int, int]] = []  # (first article, articles, byte offset) of each block written
        self._file: Any = None
        self._size = 0

    def __len__(self) -> int:
        return len(self.lengths[0])

    def total(self, field: int) -> int:
        """The entries of one field over all articles."""
        return int(np.frombuffer(self.lengths[field], dtype=np.int32).sum(dtype=np.int64))

    def append(self, bags: Sequence[tuple[list[int], list[int]]]) -> None:
        for field, (terms, counts) in enumerate(bags):
            self._terms[field].extend(terms)
            self._counts[field].extend(counts)
            self.lengths[field].append(len(terms))
        if len(self) - self._written() >= BLOCK_ARTICLES:
            self._write()

    def _written(self) -> int:
        first, count, _ = self._blocks[-1] if self._blocks else (0, 0, 0)
        return first + count

    def _write(self) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="framing-stories-")
            weakref.finalize(self, self._file.close)
        first = self._written()
        self._blocks.append((first, len(self) - first, self._size))
        for field in range(3):
            for buffer in (self._terms[field], self._counts[field]):
                self._file.write(buffer)
                self._size += len(buffer) * buffer.itemsize
                del buffer[:]
        self._file.flush()

    def _read(self, offset: int, size: int) -> bytes:
        pieces = []
        while size > 0:
            piece = os.pread(self._file.fileno(), size, offset)
            if not piece:
                raise OSError(f"the stories' temporary file ended early (at byte {offset})")
            pieces.append(piece)
            offset, size = offset + len(piece), size - len(piece)
        return b"".join(pieces)

    def blocks(self) -> Iterator[tuple[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]]]:
        """Each block of articles in order: (its first article, per field (indptr, term ids,
        counts)); the articles not yet written come last, from memory."""
        blocks = list(self._blocks)
        if len(self) > self._written() or not blocks:
            blocks.append((self._written(), len(self) - self._written(), -1))
        for first, count, offset in blocks:
            lengths = [np.frombuffer(self.lengths[f], dtype=np.int32)[first:first + count].astype(np.int64) for f in range(3)]
            if offset >= 0:
                data = self._read(offset, 8 * sum(int(n.sum()) for n in lengths))
                fields, position = [], 0
                for n in lengths:
                    size = 4 * int(n.sum())
                    fields.append((np.frombuffer(data, np.int32, size // 4, position),
                                   np.frombuffer(data, np.float32, size // 4, position + size)))
                    position += 2 * size
            else:
                fields = [(np.array(self._terms[f], dtype=np.int32), np.array(self._counts[f], dtype=np.float32))
                          for f in range(3)]
            yield first, [(np.concatenate([[0], np.cumsum(n)]), terms, counts)
                          for n, (terms, counts) in zip(lengths, fields)]


class StoryIndex:
    """Articles collected one at a time (only their word counts, on disk, and a few fields are
    kept, not their texts), then clustered into stories with :meth:`cluster`."""

    def __init__(self, *, title_weight: float = TITLE_WEIGHT, lead_weight: float = LEAD_WEIGHT,
                 lead_words: int = LEAD_WORDS, body_words: int = BODY_WORDS) -> None:
        self.title_weight = float(title_weight)
        self.lead_weight = float(lead_weight)
        self.lead_words = int(lead_words)
        self.body_words = int(body_words)
        self.vocabulary: dict[str, int] = {}
        self.ids: list[str] = []
        self.outlets: list[str] = []
        self.titles: list[str] = []
        self.dates: list[str] = []
        self._bags = _Bags()
        self._df = array("q")  # per term: the articles with it in their title or body
        self._seen: set[str] = set()
        self._stop = _stop_words()

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, id: object) -> bool:  # noqa: A002
        return id in self._seen

    def _bag(self, tokens: Iterable[str]) -> tuple[list[int], list[int]]:
        counts = Counter(tokens)
        for word in self._stop.intersection(counts):
            del counts[word]
        vocabulary = self.vocabulary
        return [vocabulary.setdefault(t, len(vocabulary)) for t in counts], list(counts.values())

    def add(self, id: str, text: str, *, title: str = "", outlet: str = "", date: str = "") -> None:  # noqa: A002
        """One article. A second article with the same id is refused (ValueError)."""
        id = str(id)  # noqa: A001
        if id in self._seen:
            raise ValueError(f"duplicate article id {id!r}: ids must be unique to be grouped into stories")
        if not isinstance(text, str):
            raise ValueError(f"article {id!r}: text must be a string, got {type(text).__name__}")
        self._seen.add(id)
        words = _first_words(text.lower(), max(self.lead_words, self.body_words, 0))
        bags = [self._bag(_TOKEN.findall(str(title or "").lower())), self._bag(words[: self.lead_words]),
                self._bag(words[: self.body_words])]
        self._bags.append(bags)
        self._df.frombytes(bytes(self._df.itemsize * (len(self.vocabulary) - len(self._df))))
        df = self._df
        for term in set(bags[0][0]).union(bags[2][0]):
            df[term] += 1
        self.ids.append(id)
        self.outlets.append(sys.intern(str(outlet or "").strip() or "unknown"))
        self.titles.append(str(title or ""))
        self.dates.append(sys.intern(str(date or "")))

    def add_record(self, record: Any) -> None:
        """A scores record (dict with ``text`` and ``metadata``; removed chrome is cut out), an
        ``ArticleResult``, or a corpus :class:`~framing.corpus.Record`. Records without text are
        skipped (the report cannot place them)."""
        if hasattr(record, "to_dict"):
            record = record.to_dict()
        if isinstance(record, Mapping):
            text, metadata, rid = body_text(record), record.get("metadata") or {}, record.get("id")
        else:  # framing.corpus.Record: not analysed, so the chrome is cut out here as analysis would
            text, metadata, rid = prose_text(record.text), record.metadata or {}, record.id
        if text is None:
            return
        self.add(str(rid), text, title=str(metadata.get("title") or ""), outlet=_outlet(metadata),
                 date=str(metadata.get("date") or ""))

    # ------------------------------------------------------------------ vectors

    def vectors(self) -> sparse.csr_matrix:
        """The articles' L2-normalised vectors (articles × vocabulary, float32), in the order added.
        Built a block of articles at a time (each row depends only on its own counts and the
        IDF), into arrays sized for the most entries the rows can have."""
        n, width = len(self.ids), len(self.vocabulary)
        df = np.frombuffer(self._df, dtype=np.int64)
        idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        del df
        from sklearn.preprocessing import normalize

        weights = (self.title_weight, self.lead_weight, 1.0)
        room = sum(self._bags.total(f) for f, w in enumerate(weights) if w != 0)
        index_dtype = np.int32 if max(room, width) < np.iinfo(np.int32).max else np.int64
        data, indices = np.empty(room, dtype=np.float32), np.empty(room, dtype=index_dtype)
        indptr = np.zeros(n + 1, dtype=index_dtype)
        filled = 0
        scale = sparse.diags(idf)
        for first, fields in self._bags.blocks():
            rows = len(fields[0][0]) - 1
            combined = None
            for (bag_indptr, terms, counts), weight in zip(fields, weights):
                if weight == 0:
                    continue
                matrix = sparse.csr_matrix((counts, terms, bag_indptr), shape=(rows, width), dtype=np.float32)
                matrix.data = 1.0 + np.log(matrix.data)
                part = normalize(matrix @ scale, copy=False) * np.float32(weight)
                combined = part if combined is None else combined + part
            if combined is None:
                combined = sparse.csr_matrix((rows, width), dtype=np.float32)
            block = normalize(sparse.csr_matrix(combined, dtype=np.float32), copy=False)
            data[filled:filled + block.nnz] = block.data
            indices[filled:filled + block.nnz] = block.indices
            indptr[first + 1:first + rows + 1] = filled + block.indptr[1:]
            filled += block.nnz
        # Shrunk in place to the entries filled (the room counted the lead's words twice): no
        # copy, and what is left over goes back to the allocator before the neighbour search.
        data.resize(filled, refcheck=False)
        indices.resize(filled, refcheck=False)
        return sparse.csr_matrix((data, indices, indptr), shape=(n, width))

    def terms(self) -> np.ndarray:
        names = np.empty(len(self.vocabulary), dtype=object)
        for term, index in self.vocabulary.items():
            names[index] = term
        return names

    def _ranges(self) -> list[tuple[int, int] | None]:
        """``date_range`` of each article's date (each distinct date read once)."""
        known: dict[str, tuple[int, int] | None] = {}
        return [known[d] if d in known else known.setdefault(d, date_range(d)) for d in self.dates]

    # ------------------------------------------------------------------ clustering

    def neighbour_graph(self, vectors: sparse.csr_matrix, settings: StorySettings) -> sparse.csr_matrix:
        """Each article's ``neighbours`` most similar articles at cosine >= threshold and within
        the date window (articles × articles, similarity as weight; not symmetric)."""
        n = vectors.shape[0]
        if n == 0:
            return sparse.csr_matrix((0, 0), dtype=np.float32)
        ranges = self._ranges() if settings.window_days is not None else [None] * n
        lo = np.array([r[0] if r else -1 for r in ranges], dtype=np.int64)
        hi = np.array([r[1] if r else -1 for r in ranges], dtype=np.int64)
        del ranges
        order = np.array(sorted(range(n), key=lambda i: (lo[i] < 0, lo[i], self.ids[i])), dtype=np.int64)
        lo, hi = lo[order], hi[order]
        dated = int(np.count_nonzero(lo >= 0))
        span = int((hi[:dated] - lo[:dated]).max()) if dated else 0  # a month or a year for partial dates
        x = _SearchRows(vectors, order)
        undated = x.search(dated, n) if dated < n else None  # candidates of every chunk
        window = settings.window_days if settings.window_days is not None else 0
        k = max(1, int(settings.neighbours))
        rows, cols, values = [], [], []
        start = 0
        while start < n:
            if start < dated:  # dated rows: candidates are the dated articles within the window, and the undated
                end = min(dated, start + MAX_CHUNK)
                while True:
                    low = int(np.searchsorted(lo[:dated], lo[start] - window - span, side="left"))
                    high = int(np.searchsorted(lo[:dated], hi[start:end].max() + window, side="right"))
                    if end - start == 1 or (end - start) * (high - low + n - dated) <= BLOCK_CELLS:
                        break
                    end = start + max(1, (end - start) // 2)
                candidates = np.concatenate([np.arange(low, high), np.arange(dated, n)])
                pool = sparse.vstack([x.search(low, high), undated], format="csr") if undated is not None \
                    else x.search(low, high)
                pool = pool.T.tocsr()  # what each product below would convert it to
            else:  # undated rows: every article is a candidate
                end = min(n, start + max(1, min(MAX_CHUNK, BLOCK_CELLS // n)))
                if start == dated:  # the same pool for every undated chunk
                    everything, undated = x.search(0, n).T.tocsr(), None
                candidates, pool = np.arange(n), everything
            cand_lo, cand_hi = lo[candidates], hi[candidates]
            # pairs of dated articles further apart than the window are not neighbours
            masked = start < dated and (cand_hi.max() - lo[start:end].min() > window
                                        or hi[start:end].max() - cand_lo[cand_lo >= 0].min() > window)
            step = max(1, SLICE_CELLS // len(candidates))
            for first in range(start, end, step):
                chunk = np.arange(first, min(end, first + step))
                block = (x.search(first, chunk[-1] + 1) @ pool).toarray()
                at = np.minimum(np.searchsorted(candidates, chunk), len(candidates) - 1)  # candidates are sorted
                itself = candidates[at] == chunk  # the same article is not its own neighbour
                block[np.flatnonzero(itself), at[itself]] = 0.0
                if masked:
                    chunk_lo, chunk_hi = lo[chunk], hi[chunk]
                    both_dated = (chunk_lo[:, None] >= 0) & (cand_lo[None, :] >= 0)
                    too_far = (cand_lo[None, :] - chunk_hi[:, None] > window) | (chunk_lo[:, None] - cand_hi[None, :] > window)
                    block[both_dated & too_far] = 0.0
                take = min(k, block.shape[1])
                if take:
                    top = np.argpartition(block, block.shape[1] - take, axis=1)[:, -take:] if take < block.shape[1] \
                        else np.broadcast_to(np.arange(block.shape[1]), (block.shape[0], block.shape[1]))
                    scores = np.take_along_axis(block, top, axis=1)
                    keep = scores >= (settings.threshold if not x.split else 0.0)
                    keep &= scores > 0
                    local_rows, local_cols = np.nonzero(keep)
                    rows.append(chunk[local_rows])
                    cols.append(candidates[top[local_rows, local_cols]])
                    values.append(scores[local_rows, local_cols])
            start = end
        if not rows:
            return sparse.csr_matrix((n, n), dtype=np.float32)
        rows, cols, values = np.concatenate(rows), np.concatenate(cols), np.concatenate(values)
        if x.split:  # add the common terms' part of the similarity, then the threshold
            values = values + np.concatenate([
                np.asarray(x.common(rows[i:i + PAIR_BATCH]).multiply(x.common(cols[i:i + PAIR_BATCH])).sum(axis=1)).ravel()
                for i in range(0, len(rows), PAIR_BATCH)]).astype(np.float32)
            keep = values >= settings.threshold
            rows, cols, values = rows[keep], cols[keep], values[keep]
        return sparse.csr_matrix((values, (order[rows], order[cols])), shape=(n, n), dtype=np.float32)

    def cluster(self, *, threshold: float = THRESHOLD, window_days: int | None = WINDOW_DAYS,
                neighbours: int = NEIGHBOURS, mutual: bool = True, top_terms: int = TOP_TERMS) -> Stories:
        """Group the articles added so far into stories (see the module docstring)."""
        if not 0.0 <= threshold <= 1.0 or math.isnan(threshold):
            raise ValueError(f"threshold must be a cosine between 0 and 1, got {threshold!r}")
        if window_days is not None and window_days < 0:
            raise ValueError(f"window_days must be >= 0 (or None to ignore dates), got {window_days!r}")
        if neighbours < 1:
            raise ValueError(f"neighbours must be at least 1, got {neighbours!r}")
        settings = StorySettings(float(threshold), window_days, int(neighbours), bool(mutual))
        n = len(self.ids)
        if n == 0:
            return Stories(pd.DataFrame(columns=list(ARTICLE_COLUMNS)), pd.DataFrame(columns=list(STORY_COLUMNS)),
                           settings, (self.title_weight, self.lead_weight))
        vectors = self.vectors()
        graph = self.neighbour_graph(vectors, settings)
        links = graph.minimum(graph.T) if mutual else graph.maximum(graph.T)
        dated = np.array([r is not None for r in self._ranges()]) if window_days is not None \
            else np.zeros(n, dtype=bool)
        links = sparse.coo_matrix(_undated_attached(links, dated))
        labels = _cohesive_components(links, vectors, settings.threshold)
        del graph, links, dated  # not needed for the tables
        groups, tops = self._groups(labels, vectors, top_terms)
        del vectors, labels  # the tables need only the groups and their top terms
        return self._stories(groups, tops, settings)

    def _groups(self, labels: np.ndarray, vectors: sparse.csr_matrix, top_terms: int) -> tuple[list[list[int]], list[str]]:
        """The stories in order (by first date, then first id), each the positions of its
        articles in order (by date, then id), and each story's top terms."""
        ranges = self._ranges()
        never = (dt.date.max.toordinal(), dt.date.max.toordinal())
        members: dict[int, list[int]] = {}
        for index, label in enumerate(labels):
            members.setdefault(int(label), []).append(index)

        def first_key(group: list[int]) -> tuple:
            return min(ranges[i] or never for i in group), min(self.ids[i] for i in group)

        groups = sorted(members.values(), key=first_key)
        names = self.terms()
        tops = []
        for number, group in enumerate(groups):
            if number % STORY_BLOCK == 0:  # the next stories' summed vectors, for their top terms
                sums = _story_sums(groups[number:number + STORY_BLOCK], vectors)
            group.sort(key=lambda i: (ranges[i] or never, self.ids[i]))
            row = slice(sums.indptr[number % STORY_BLOCK], sums.indptr[number % STORY_BLOCK + 1])
            terms, weights = sums.indices[row], sums.data[row]
            best = np.lexsort((terms, -weights))[:top_terms]  # heaviest first; ties: the earlier term
            tops.append(", ".join(str(names[terms[j]]) for j in best if weights[j] > 0))
        return groups, tops

    def _stories(self, groups: list[list[int]], tops: list[str], settings: StorySettings) -> Stories:
        """The tables of the stories (``_groups``), built a column at a time."""
        n = len(self.ids)
        ranges = self._ranges()
        width = max(4, len(str(len(groups))))
        columns: dict[str, list[Any]] = {c: [] for c in STORY_COLUMNS}
        story_of = np.empty(n, dtype=object)
        for number, (group, top) in enumerate(zip(groups, tops), 1):
            story = f"s{number:0{width}d}"
            story_of[group] = story
            outlets = sorted(set(self.outlets[i] for i in group))
            dated = [i for i in group if ranges[i] is not None]
            row = (story, len(group), len(outlets), "; ".join(outlets), "; ".join(self.ids[i] for i in group),
                   self.dates[min(dated, key=lambda i: ranges[i][0])].strip() if dated else "",
                   self.dates[max(dated, key=lambda i: ranges[i][1])].strip() if dated else "",
                   top, " | ".join(self.titles[i] for i in group if self.titles[i]))
            for column, value in zip(columns.values(), row, strict=True):
                column.append(value)
        del groups, tops
        articles = pd.DataFrame({"id": self.ids, "outlet": self.outlets, "title": self.titles, "date": self.dates,
                                 "story": story_of}, columns=list(ARTICLE_COLUMNS))
        del story_of
        if n:
            articles = articles.sort_values(["story", "date", "id"], kind="mergesort").reset_index(drop=True)
        stories = pd.DataFrame(columns, columns=list(STORY_COLUMNS))
        return Stories(articles, stories, settings, (self.title_weight, self.lead_weight))


def _story_sums(groups: Sequence[Sequence[int]], vectors: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each group's summed vectors (groups × vocabulary), in one sparse product; a group's row is
    the same whatever other groups are summed with it."""
    membership = sparse.csr_matrix(
        (np.ones(sum(len(g) for g in groups), dtype=np.float32),
         (np.repeat(np.arange(len(groups)), [len(g) for g in groups]), np.concatenate(groups))),
        shape=(len(groups), vectors.shape[0]))
    return (membership @ vectors).tocsr()


class _SearchRows:
    """The rows of ``vectors`` in ``order`` as the neighbour search reads them, a few at a time,
    without building the reordered matrix: ``search(a, b)`` the rows a..b with only the terms
    found in at most SEARCH_MAX_DF articles, ``common(positions)`` rows with only the other
    terms. Each is, entry for entry and in the same order, the slice of the whole reordered and
    split matrix (so every float sum adds the same numbers in the same order)."""

    def __init__(self, vectors: sparse.csr_matrix, order: np.ndarray) -> None:
        self.vectors, self.order = vectors, order
        common = np.bincount(vectors.indices, minlength=vectors.shape[1]) > SEARCH_MAX_DF
        self.split = bool(common.any())
        self._search = ~common, np.cumsum(~common) - 1, int(np.count_nonzero(~common))
        self._common = common, np.cumsum(common) - 1, int(np.count_nonzero(common))

    def search(self, start: int, end: int) -> sparse.csr_matrix:
        rows = self.vectors[self.order[start:end]]
        return _columns(rows, *self._search) if self.split else rows

    def common(self, positions: np.ndarray) -> sparse.csr_matrix:
        return _columns(self.vectors[self.order[positions]], *self._common)


def _columns(matrix: sparse.csr_matrix, keep: np.ndarray, rank: np.ndarray, width: int) -> sparse.csr_matrix:
    """``matrix[:, np.flatnonzero(keep)]`` as scipy gives it (each row's entries in their stored
    order, columns renumbered by rank), without sorting the column list at each call."""
    mask = keep[matrix.indices]
    kept = np.concatenate([[0], np.cumsum(mask)])
    return sparse.csr_matrix((matrix.data[mask], rank[matrix.indices[mask]], kept[matrix.indptr]),
                             shape=(matrix.shape[0], width))


def _first_words(text: str, count: int) -> list[str]:
    """The first ``count`` tokens of ``text`` (as ``_TOKEN.findall(text)[:count]``), tokenising a
    prefix of the text when it holds more than ``count`` of them: only the last token found in a
    prefix can be cut by its end, so the ones before it are the text's own."""
    end = CHARS_PER_WORD * count
    if end < len(text):
        words = _TOKEN.findall(text, 0, end)
        if len(words) > count:
            return words[:count]
    return _TOKEN.findall(text)[:count]


def _undated_attached(links: sparse.spmatrix, dated: np.ndarray) -> sparse.csr_matrix:
    """The links, except that a group of linked undated articles keeps only its strongest link to
    a dated article: undated articles are compared with all, and would otherwise chain stories
    of different dates into one."""
    if dated.all() or not dated.any():
        return sparse.csr_matrix(links)
    coo = sparse.coo_matrix(links)
    same = dated[coo.row] == dated[coo.col]
    inner = sparse.coo_matrix((coo.data[same], (coo.row[same], coo.col[same])), shape=links.shape)
    _, groups = connected_components(inner, directed=False)
    cross = np.flatnonzero(~dated[coo.row] & dated[coo.col])  # from an undated article to a dated one
    best: dict[int, int] = {}
    for edge in cross[np.lexsort((coo.col[cross], coo.row[cross], -coo.data[cross]))]:  # strongest first
        best.setdefault(int(groups[coo.row[edge]]), int(edge))
    keep = np.flatnonzero(same).tolist() + sorted(best.values())
    rows, cols, data = coo.row[keep], coo.col[keep], coo.data[keep]
    return sparse.csr_matrix((np.concatenate([data, data]), (np.concatenate([rows, cols]), np.concatenate([cols, rows]))),
                             shape=links.shape)


def _cohesive_components(links: sparse.coo_matrix, vectors: sparse.csr_matrix, threshold: float) -> np.ndarray:
    """Connected components of the links; a component of COHESION_MIN_SIZE articles or more whose
    articles lie, on average, at cosine < MIN_COHESION from its centroid (a chain of articles
    each like the next, not one story) is split again with its weaker links dropped, the
    threshold raised by COHESION_STEP at a time."""
    n = vectors.shape[0]
    labels = np.zeros(n, dtype=np.int64)
    pending = [(np.arange(n), links, threshold)]
    next_label = 0
    while pending:
        nodes, graph, level = pending.pop()
        _, parts = connected_components(graph, directed=False)
        for part in range(parts.max() + 1 if len(parts) else 0):
            members = nodes[parts == part]
            if len(members) < COHESION_MIN_SIZE or level >= 1.0 or _cohesion(vectors[members]) >= MIN_COHESION:
                labels[members] = next_label
                next_label += 1
                continue
            local = parts == part
            sub = sparse.coo_matrix(sparse.csr_matrix(graph)[local][:, local])
            stronger = sub.data >= level + COHESION_STEP
            pending.append((members, sparse.coo_matrix((sub.data[stronger], (sub.row[stronger], sub.col[stronger])),
                                                       shape=sub.shape), level + COHESION_STEP))
    return labels


def _cohesion(rows: sparse.csr_matrix) -> float:
    """Mean cosine of the articles to their centroid."""
    centroid = sparse.csr_matrix(np.ones((1, rows.shape[0]), dtype=np.float32)) @ rows
    norm = float(np.sqrt(centroid.multiply(centroid).sum()))
    return float((rows @ centroid.T).toarray().mean() / norm) if norm else 0.0


def find_stories(items: Iterable[Any], *, threshold: float = THRESHOLD, window_days: int | None = WINDOW_DAYS,
                 neighbours: int = NEIGHBOURS, mutual: bool = True, title_weight: float = TITLE_WEIGHT,
                 lead_weight: float = LEAD_WEIGHT, lead_words: int = LEAD_WORDS, body_words: int = BODY_WORDS
                 ) -> Stories:
    """Stories of scores records, ``ArticleResult`` objects, corpus records, or dicts with
    ``id``, ``text`` and ``metadata`` (title, outlet, date). See the module docstring."""
    if isinstance(items, (str, bytes)):
        raise TypeError("find_stories() expects an iterable of records, not a single string")
    index = StoryIndex(title_weight=title_weight, lead_weight=lead_weight, lead_words=lead_words,
                       body_words=body_words)
    for item in items:
        index.add_record(item)
    return index.cluster(threshold=threshold, window_days=window_days, neighbours=neighbours, mutual=mutual)


def read_stories(inputs: Iterable[str], *, on_reject: Any = None, **options: Any) -> Stories:
    """Stories of the articles in ``inputs``, each a scores JSONL file, a ``score --store``
    database, or a corpus as ``framing score`` reads it (not scored: only the text, with the
    chrome cut out, and the title, outlet and date are used). ``on_reject`` sees each corpus
    record that could not be read; ``options`` go to :func:`find_stories`."""
    from framing.batch import is_store_file, iter_store_records
    from framing.corpus import Reject, read_inputs
    from framing.report.aggregate import is_scores_file, iter_results

    if isinstance(inputs, (str, bytes)):
        raise TypeError("read_stories() expects a list of inputs, not a single string")

    def items() -> Iterable[Any]:
        corpus = []
        for path in inputs:
            if is_store_file(path):
                yield from iter_store_records(path)
            elif is_scores_file(path):
                yield from iter_results(path)
            else:
                corpus.append(path)
        for item in read_inputs(corpus) if corpus else ():
            if isinstance(item, Reject):
                if on_reject is not None:
                    on_reject(item)
                continue
            yield item

    return find_stories(items(), **options)
