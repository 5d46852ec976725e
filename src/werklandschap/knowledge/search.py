"""Full-text search of published entries with Dutch word forms, ranking and facets.

The index holds what :mod:`analysis` makes of an entry (lemmas, so "bomen" is
indexed as "boom"); a query goes through the same analysis. Two backends, one
behaviour:

* PostgreSQL: ``Entry.search_vector`` = title (weight A), summary (B) and the
  rest (C) through the 'dutch' configuration, GIN-indexed; the query is a
  ``to_tsquery('dutch', ...)`` of the query's lemmas; score ``ts_rank``.
* SQLite: the FTS5 table ``knowledge_entry_fts`` holding the Snowball stems
  (``analysis.stems``); the query matches the same stems; score ``bm25`` with
  the title counting 10 times and the summary 4 times a body word.

Ranking: an entry whose title *is* the query comes first, then entries whose
title holds every word of the query, then the others, each group by the
backend's score (so a title match is always above a mere mention in the body).

Facets (type, theme, solution direction, scale, origin, evidence, measure) are
counted over the current result set, after the text and every chosen facet:
choosing a value with count N shows exactly N entries. Counting happens in
Python over the matching rows' classification columns (a few thousand entries at
most; the text match itself is the database index's work).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Value
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language

from . import analysis
from .markdown import plain_text
from .models import Entry
from .vocabulary import load_vocabulary
from .workflow import Status

PAGE_SIZE = 20
SUGGESTIONS = 8
FTS_TABLE = "knowledge_entry_fts"


# --------------------------------------------------------------------------- indexing


@dataclass(frozen=True)
class Document:
    """The three weighted parts of an entry, as lemmas."""

    title: str
    summary: str
    body: str


def document(entry: Entry) -> Document:
    vocabulary = load_vocabulary()
    labels = [
        vocabulary.label("types", entry.kind),
        *(
            vocabulary.blocks["themes"][t].nl
            for t in entry.themes
            if t in vocabulary.keys("themes")
        ),
        entry.contact_organisation.name if entry.contact_organisation_id else "",
        entry.park.name if entry.park_id else "",
    ]
    rest = " ".join(
        [
            plain_text(entry.body),
            plain_text(entry.lessons),
            entry.cost_indication,
            *labels,
        ]
    )
    return Document(
        title=analysis.lemmatise(entry.title),
        summary=analysis.lemmatise(entry.summary),
        body=analysis.lemmatise(rest),
    )


def _stemmed(text: str) -> str:
    return " ".join(analysis.stem(w) for w in text.split())


def index_entry(entry: Entry) -> None:
    """Bring the index in step with ``entry``: indexed while published, out of it otherwise."""
    doc = document(entry)
    Entry.objects.filter(pk=entry.pk).update(search_title=doc.title)
    published = entry.status == Status.PUBLISHED
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        vector = (
            SearchVector(Value(doc.title), weight="A", config="dutch")
            + SearchVector(Value(doc.summary), weight="B", config="dutch")
            + SearchVector(Value(doc.body), weight="C", config="dutch")
        )
        Entry.objects.filter(pk=entry.pk).update(search_vector=vector if published else None)
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry.pk])  # noqa: S608
            if published:
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, title, summary, body) "  # noqa: S608
                    "VALUES (%s, %s, %s, %s)",
                    [
                        entry.pk,
                        _stemmed(doc.title),
                        _stemmed(doc.summary),
                        _stemmed(doc.body),
                    ],
                )


def rebuild_index() -> int:
    """Index every entry again (after a change of the lemma list); returns the number."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    count = 0
    for entry in Entry.objects.select_related("contact_organisation", "park").iterator():
        index_entry(entry)
        count += 1
    return count


# --------------------------------------------------------------------------- matching


def _pg_query(terms: list[str], prefix_last: bool) -> str:
    parts = []
    for i, term in enumerate(terms):
        quoted = "'" + term.replace("'", "''").replace("\\", "") + "'"
        parts.append(quoted + (":*" if prefix_last and i == len(terms) - 1 else ""))
    return " & ".join(parts)


def _fts_query(terms: list[str], prefix_last: bool) -> str:
    parts = []
    for i, term in enumerate(terms):
        stem = '"' + analysis.stem(term).replace('"', "") + '"'
        if prefix_last and i == len(terms) - 1:
            raw = '"' + term.replace('"', "") + '"'
            parts.append(f"({stem} OR {stem}* OR {raw}*)")
        else:
            parts.append(stem)
    return " AND ".join(parts)


def text_scores(query: str, *, prefix_last: bool = False) -> dict[int, float]:
    """Entry id -> score (higher is better) of published entries matching every query word."""
    terms = analysis.query_lemmas(query)
    if not terms:
        return {}
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank
        from django.db.models import F

        ts_query = SearchQuery(_pg_query(terms, prefix_last), search_type="raw", config="dutch")
        rows = (
            Entry.objects.filter(status=Status.PUBLISHED, search_vector=ts_query)
            .annotate(rank=SearchRank(F("search_vector"), ts_query, weights=[0.1, 0.2, 0.4, 1.0]))
            .values_list("id", "rank")
        )
        return {pk: float(rank) for pk, rank in rows}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25({FTS_TABLE}, 10.0, 4.0, 1.0) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s",
            [_fts_query(terms, prefix_last)],
        )
        return {pk: -float(score) for pk, score in cursor.fetchall()}


class TitleTier:
    """2: the title is the query; 1: the title holds every query word; 0: otherwise.

    Built once per query (its lemmas and stems), then applied to each candidate's
    ``search_title`` (already lemmas)."""

    def __init__(self, query: str) -> None:
        self.terms = analysis.query_lemmas(query)
        self.stems = {analysis.stem(t) for t in self.terms}

    def __call__(self, search_title: str) -> int:
        if not self.terms:
            return 0
        title_words = [w for w in search_title.split() if w not in analysis.STOP_WORDS]
        if title_words == self.terms:
            return 2
        return 1 if self.stems <= {analysis.stem(w) for w in title_words} else 0


# --------------------------------------------------------------------------- facets


@dataclass(frozen=True)
class Facet:
    param: str  # the GET parameter (Dutch: part of a shareable URL)
    column: str  # Entry field
    block: str  # vocabulary block, or "measures" for the catalogue
    multi: bool  # a list column

    def values_of(self, row: Mapping[str, Any]) -> Iterable[str]:
        value = row[self.column]
        return (value or []) if self.multi else ([value] if value else [])

    def label(self, key: str) -> str:
        if self.block == "measures":
            return measure_name(key)
        return load_vocabulary().label(self.block, key)

    def order(self) -> list[str]:
        if self.block == "measures":
            return list(_measure_names("nl"))
        return list(load_vocabulary().keys(self.block))


FACETS = (
    Facet("soort", "kind", "types", False),
    Facet("thema", "themes", "themes", True),
    Facet("richting", "directions", "directions", True),
    Facet("schaal", "scale", "scales", False),
    Facet("herkomst", "origin", "origins", False),
    Facet("bewijs", "evidence", "evidence", False),
    Facet("maatregel", "measures", "measures", True),
)
FACET_PARAMS = tuple(f.param for f in FACETS)


@cache
def _measure_names(language: str) -> dict[str, str]:
    """Catalogue key -> name in ``language``, in the catalogue's order (read once: the
    catalogue loader returns a deep copy on every call)."""
    from django.utils import translation

    from werklandschap.costbenefit.catalog import load_catalogue
    from werklandschap.measures.browse import name

    with translation.override(language):
        return {key: name(m) for key, m in load_catalogue().measures.items()}


def measure_name(key: str) -> str:
    language = "en" if (get_language() or "nl").startswith("en") else "nl"
    return _measure_names(language).get(key, key)


@dataclass
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool
    url: str  # the search with this value chosen (or cleared, when selected)


@dataclass
class FacetGroup:
    param: str
    title: str
    values: list[FacetValue]


@dataclass
class Result:
    query: str
    chosen: dict[str, str]
    total: int
    page: int
    pages: int
    entries: list[Entry]
    facets: list[FacetGroup] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.query or self.chosen)


def facet_titles() -> dict[str, str]:
    from django.utils.translation import gettext as _

    return {
        "soort": _("Soort"),
        "thema": _("Thema"),
        "richting": _("Oplossingsrichting"),
        "schaal": _("Schaal"),
        "herkomst": _("Herkomst"),
        "bewijs": _("Bewijs"),
        "maatregel": _("Maatregel"),
    }


def parse(params: Mapping[str, str]) -> tuple[str, dict[str, str], int]:
    """The query text, the chosen facet values (only known keys) and the page number."""
    query = " ".join(str(params.get("q", "")).split())[:200]
    chosen: dict[str, str] = {}
    for facet in FACETS:
        value = str(params.get(facet.param, "")).strip()
        if value and value in facet.order():
            chosen[facet.param] = value
    try:
        page = max(1, int(params.get("pagina", 1)))
    except (TypeError, ValueError):
        page = 1
    return query, chosen, page


def search_url(query: str, chosen: Mapping[str, str], **change: str | None) -> str:
    """The shareable URL of a search (``change``: facet param -> value, None clears it)."""
    params = {"q": query, **chosen}
    for key, value in change.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    ordered = [(k, params[k]) for k in ("q", *FACET_PARAMS) if params.get(k)]
    base = reverse("knowledge:list")
    return f"{base}?{urlencode(ordered)}" if ordered else base


_ROW_FIELDS = ("id", "search_title", "published_at", *(f.column for f in FACETS))


def run(params: Mapping[str, str], *, page_size: int = PAGE_SIZE) -> Result:
    """Search published entries as ``params`` (a GET query) asks; see the module docstring."""
    query, chosen, page = parse(params)
    rows = list(Entry.objects.filter(status=Status.PUBLISHED).values(*_ROW_FIELDS))
    scores: dict[int, float] | None = None
    if query:
        scores = text_scores(query)
        rows = [r for r in rows if r["id"] in scores]
    by_param = {f.param: f for f in FACETS}
    for param, value in chosen.items():
        facet = by_param[param]
        rows = [r for r in rows if value in facet.values_of(r)]

    if scores is not None:
        tier = TitleTier(query)
        rows.sort(
            key=lambda r: (
                -tier(r["search_title"]),
                -scores[r["id"]],
                -(r["published_at"].timestamp() if r["published_at"] else 0),
                -r["id"],
            )
        )
    else:
        rows.sort(
            key=lambda r: (
                -(r["published_at"].timestamp() if r["published_at"] else 0),
                -r["id"],
            )
        )

    titles = facet_titles()
    groups: list[FacetGroup] = []
    for facet in FACETS:
        counts = Counter(v for r in rows for v in facet.values_of(r))
        selected = chosen.get(facet.param)
        values = [
            FacetValue(
                key=key,
                label=facet.label(key),
                count=counts[key],
                selected=key == selected,
                url=search_url(query, chosen, **{facet.param: None if key == selected else key}),
            )
            for key in facet.order()
            if counts[key] or key == selected
        ]
        if values:
            groups.append(FacetGroup(facet.param, titles[facet.param], values))

    total = len(rows)
    pages = max(1, math.ceil(total / page_size))
    page = min(page, pages)
    ids = [r["id"] for r in rows[(page - 1) * page_size : page * page_size]]
    found = Entry.objects.select_related("contact_organisation", "park").in_bulk(ids)
    return Result(
        query=query,
        chosen=chosen,
        total=total,
        page=page,
        pages=pages,
        entries=[found[i] for i in ids if i in found],
        facets=groups,
    )


def suggest(query: str, limit: int = SUGGESTIONS) -> list[dict[str, str]]:
    """Titles for search-as-you-type: the last word may be unfinished (a prefix)."""
    query = " ".join(str(query or "").split())[:100]
    if len(query) < 2:
        return []
    scores = text_scores(query, prefix_last=True)
    if not scores:
        return []
    rows = Entry.objects.filter(pk__in=list(scores)).values("id", "title", "search_title")
    tier = TitleTier(query)
    ranked = sorted(
        rows,
        key=lambda r: (
            -tier(r["search_title"]),
            -scores[r["id"]],
            r["id"],
        ),
    )
    return [
        {
            "title": r["title"],
            "url": reverse("knowledge:detail", kwargs={"pk": r["id"]}),
        }
        for r in ranked[:limit]
    ]
