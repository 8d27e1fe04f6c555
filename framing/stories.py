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
import re
from collections import Counter
from collections.abc import Iterable, Mapping
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
PAIR_BATCH = 20_000  # neighbour pairs whose exact similarity is computed at once
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


class StoryIndex:
    """Articles collected one at a time (only their word counts and a few fields are kept, not
    their texts), then clustered into stories with :meth:`cluster`."""

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
        self._bags: list[list[tuple[np.ndarray, np.ndarray]]] = [[], [], []]  # title, lead, body: (term ids, counts)
        self._seen: set[str] = set()
        self._stop = _stop_words()

    def __len__(self) -> int:
        return len(self.ids)

    def _bag(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(tokens)
        for word in self._stop.intersection(counts):
            del counts[word]
        vocabulary = self.vocabulary
        terms = np.fromiter((vocabulary.setdefault(t, len(vocabulary)) for t in counts), dtype=np.int32,
                            count=len(counts))
        return terms, np.fromiter(counts.values(), dtype=np.float32, count=len(counts))

    def add(self, id: str, text: str, *, title: str = "", outlet: str = "", date: str = "") -> None:  # noqa: A002
        """One article. A second article with the same id is refused (ValueError)."""
        id = str(id)  # noqa: A001
        if id in self._seen:
            raise ValueError(f"duplicate article id {id!r}: ids must be unique to be grouped into stories")
        if not isinstance(text, str):
            raise ValueError(f"article {id!r}: text must be a string, got {type(text).__name__}")
        self._seen.add(id)
        words = _TOKEN.findall(text.lower())
        for field, tokens in zip(self._bags, (_TOKEN.findall(str(title or "").lower()), words[: self.lead_words],
                                              words[: self.body_words])):
            field.append(self._bag(tokens))
        self.ids.append(id)
        self.outlets.append(str(outlet or "").strip() or "unknown")
        self.titles.append(str(title or ""))
        self.dates.append(str(date or ""))

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

    def _matrix(self, field: int) -> sparse.csr_matrix:
        bags = self._bags[field]
        lengths = np.fromiter((len(t) for t, _ in bags), dtype=np.int64, count=len(bags))
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        indices = np.concatenate([t for t, _ in bags]) if bags else np.zeros(0, np.int32)
        data = np.concatenate([c for _, c in bags]) if bags else np.zeros(0, np.float32)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(bags), len(self.vocabulary)), dtype=np.float32)

    def vectors(self) -> sparse.csr_matrix:
        """The articles' L2-normalised vectors (articles × vocabulary, float32), in the order added."""
        from sklearn.preprocessing import normalize

        n = len(self.ids)
        fields = [self._matrix(i) for i in range(3)]
        present = (fields[0] + fields[2]).astype(bool)
        df = np.asarray(present.sum(axis=0)).ravel()
        idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        combined = None
        for matrix, weight in zip(fields, (self.title_weight, self.lead_weight, 1.0)):
            if weight == 0:
                continue
            matrix.data = 1.0 + np.log(matrix.data)
            part = normalize(matrix @ sparse.diags(idf), copy=False) * np.float32(weight)
            combined = part if combined is None else combined + part
        if combined is None:
            combined = sparse.csr_matrix((n, len(self.vocabulary)), dtype=np.float32)
        return normalize(sparse.csr_matrix(combined, dtype=np.float32), copy=False)

    def terms(self) -> np.ndarray:
        names = np.empty(len(self.vocabulary), dtype=object)
        for term, index in self.vocabulary.items():
            names[index] = term
        return names

    # ------------------------------------------------------------------ clustering

    def neighbour_graph(self, vectors: sparse.csr_matrix, settings: StorySettings) -> sparse.csr_matrix:
        """Each article's ``neighbours`` most similar articles at cosine >= threshold and within
        the date window (articles × articles, similarity as weight; not symmetric)."""
        n = vectors.shape[0]
        if n == 0:
            return sparse.csr_matrix((0, 0), dtype=np.float32)
        ranges = [date_range(v) if settings.window_days is not None else None for v in self.dates]
        lo = np.array([r[0] if r else -1 for r in ranges], dtype=np.int64)
        hi = np.array([r[1] if r else -1 for r in ranges], dtype=np.int64)
        order = np.array(sorted(range(n), key=lambda i: (lo[i] < 0, lo[i], self.ids[i])), dtype=np.int64)
        lo, hi = lo[order], hi[order]
        dated = int(np.count_nonzero(lo >= 0))
        span = int((hi[:dated] - lo[:dated]).max()) if dated else 0  # a month or a year for partial dates
        exact = vectors[order]
        df = np.bincount(exact.indices, minlength=exact.shape[1])
        common = exact[:, np.flatnonzero(df > SEARCH_MAX_DF)] if (df > SEARCH_MAX_DF).any() else None
        x = exact[:, np.flatnonzero(df <= SEARCH_MAX_DF)] if common is not None else exact
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
                pool = sparse.vstack([x[low:high], x[dated:n]], format="csr") if dated < n else x[low:high]
            else:  # undated rows: every article is a candidate
                end = min(n, start + max(1, min(MAX_CHUNK, BLOCK_CELLS // n)))
                candidates, pool = np.arange(n), x
            block = (x[start:end] @ pool.T).toarray()
            chunk = np.arange(start, end)
            # same article, and pairs of dated articles further apart than the window, are not neighbours
            at = np.minimum(np.searchsorted(candidates, chunk), len(candidates) - 1)  # candidates are sorted
            itself = candidates[at] == chunk
            block[np.flatnonzero(itself), at[itself]] = 0.0
            chunk_lo, chunk_hi, cand_lo, cand_hi = lo[chunk], hi[chunk], lo[candidates], hi[candidates]
            if start < dated and (cand_hi.max() - chunk_lo.min() > window or chunk_hi.max() - cand_lo[
                    cand_lo >= 0].min() > window):  # some pairs of dated articles are further apart than the window
                both_dated = (chunk_lo[:, None] >= 0) & (cand_lo[None, :] >= 0)
                too_far = (cand_lo[None, :] - chunk_hi[:, None] > window) | (chunk_lo[:, None] - cand_hi[None, :] > window)
                block[both_dated & too_far] = 0.0
            take = min(k, block.shape[1])
            if take:
                top = np.argpartition(block, block.shape[1] - take, axis=1)[:, -take:] if take < block.shape[1] \
                    else np.broadcast_to(np.arange(block.shape[1]), (block.shape[0], block.shape[1]))
                scores = np.take_along_axis(block, top, axis=1)
                keep = scores >= (settings.threshold if common is None else 0.0)
                keep &= scores > 0
                local_rows, local_cols = np.nonzero(keep)
                rows.append(chunk[local_rows])
                cols.append(candidates[top[local_rows, local_cols]])
                values.append(scores[local_rows, local_cols])
            start = end
        if not rows:
            return sparse.csr_matrix((n, n), dtype=np.float32)
        rows, cols, values = np.concatenate(rows), np.concatenate(cols), np.concatenate(values)
        if common is not None:  # add the common terms' part of the similarity, then the threshold
            values = values + np.concatenate([
                np.asarray(common[rows[i:i + PAIR_BATCH]].multiply(common[cols[i:i + PAIR_BATCH]]).sum(axis=1)).ravel()
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
        dated = np.array([date_range(d) is not None for d in self.dates]) if window_days is not None \
            else np.zeros(n, dtype=bool)
        links = sparse.coo_matrix(_undated_attached(links, dated))
        labels = _cohesive_components(links, vectors, settings.threshold)
        return self._stories(labels, vectors, settings, top_terms)

    def _stories(self, labels: np.ndarray, vectors: sparse.csr_matrix, settings: StorySettings,
                 top_terms: int) -> Stories:
        n = len(self.ids)
        ranges = [date_range(d) for d in self.dates]
        never = (dt.date.max.toordinal(), dt.date.max.toordinal())
        members: dict[int, list[int]] = {}
        for index, label in enumerate(labels):
            members.setdefault(int(label), []).append(index)

        def first_key(group: list[int]) -> tuple:
            return min(ranges[i] or never for i in group), min(self.ids[i] for i in group)

        groups = sorted(members.values(), key=first_key)
        width = max(4, len(str(len(groups))))
        names = self.terms()
        # each story's summed vectors in one sparse product (stories × vocabulary), for its top terms
        membership = sparse.csr_matrix(
            (np.ones(n, dtype=np.float32), (np.repeat(np.arange(len(groups)), [len(g) for g in groups]),
                                            np.concatenate(groups))), shape=(len(groups), n))
        sums = (membership @ vectors).tocsr()
        story_rows, story_of = [], np.empty(n, dtype=object)
        for number, group in enumerate(groups, 1):
            group.sort(key=lambda i: (ranges[i] or never, self.ids[i]))
            story = f"s{number:0{width}d}"
            story_of[group] = story
            outlets = sorted(set(self.outlets[i] for i in group))
            dated = [i for i in group if ranges[i] is not None]
            row = slice(sums.indptr[number - 1], sums.indptr[number])
            terms, weights = sums.indices[row], sums.data[row]
            best = np.lexsort((terms, -weights))[:top_terms]  # heaviest first; ties: the earlier term
            top = [str(names[terms[j]]) for j in best if weights[j] > 0]
            story_rows.append({
                "story": story, "n_articles": len(group), "n_outlets": len(outlets), "outlets": "; ".join(outlets),
                "article_ids": "; ".join(self.ids[i] for i in group),
                "first_date": self.dates[min(dated, key=lambda i: ranges[i][0])].strip() if dated else "",
                "last_date": self.dates[max(dated, key=lambda i: ranges[i][1])].strip() if dated else "",
                "top_terms": ", ".join(top), "titles": " | ".join(self.titles[i] for i in group if self.titles[i]),
            })
        articles = pd.DataFrame({"id": self.ids, "outlet": self.outlets, "title": self.titles, "date": self.dates,
                                 "story": story_of}, columns=list(ARTICLE_COLUMNS))
        if n:
            articles = articles.sort_values(["story", "date", "id"], kind="mergesort").reset_index(drop=True)
        stories = pd.DataFrame(story_rows, columns=list(STORY_COLUMNS))
        return Stories(articles, stories, settings, (self.title_weight, self.lead_weight))


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
