"""Search of the Innovation database: Dutch word forms, ranking, facets, shareable URLs.

Runs on the default SQLite database (FTS5 index) and, with
``scripts/pg-throwaway``, on PostgreSQL (tsvector with the 'dutch' config and a
GIN index): the same assertions hold on both.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from tests.knowledge.fixtures import make_entry
from werklandschap.accounts.roles import Role
from werklandschap.knowledge import search, services
from werklandschap.knowledge.workflow import Status

pytestmark = pytest.mark.django_db

# (a form in the entry, the form typed in the search box) and the other way round.
WORD_FORMS = [
    ("boom", "bomen"),
    ("dak", "daken"),
    ("groen", "groene"),
    ("wadi", "wadi's"),
    ("bedrijventerrein", "bedrijventerreinen"),
]


@pytest.fixture
def team(users):
    return users[Role.PROGRAMME_TEAM]


def ids(query: str, **facets: str) -> list[int]:
    result = search.run({"q": query, **facets}, page_size=1000)
    return [e.pk for e in result.entries]


@pytest.mark.parametrize(("one", "other"), WORD_FORMS)
def test_dutch_word_forms_find_the_same_entries(team, one, other):
    singular = make_entry(
        team, "Project A", body=f"Hier staat het woord {one} in.", publish_by=team
    )
    plural = make_entry(
        team, "Project B", body=f"Hier staat het woord {other} in.", publish_by=team
    )
    make_entry(team, "Project C", body="Hier staat iets anders.", publish_by=team)
    expected = sorted([singular.pk, plural.pk])
    assert sorted(ids(one)) == expected, f"{one} on {connection.vendor}"
    assert sorted(ids(other)) == expected, f"{other} on {connection.vendor}"


def test_the_typographic_apostrophe_and_case_do_not_matter(team):
    entry = make_entry(team, "Wadi's langs de weg", publish_by=team)
    assert ids("WADI’S") == [entry.pk]
    assert ids("wadis") == [entry.pk]


def test_an_exact_title_match_ranks_above_body_mentions(team):
    mentions = make_entry(
        team,
        "Regenwater op het terrein",
        summary="Groene daken en nog eens groene daken.",
        body="Groene daken, groene daken, groene daken: overal groene daken. " * 5,
        publish_by=team,
    )
    title_words = make_entry(team, "Groene daken voor iedereen", publish_by=team)
    exact = make_entry(team, "Groene daken", body="Kort.", publish_by=team)
    assert ids("groene daken") == [exact.pk, title_words.pk, mentions.pk]
    # Another form of the same words: the same order.
    assert ids("groen dak") == [exact.pk, title_words.pk, mentions.pk]


def test_title_outranks_summary_outranks_body(team):
    body = make_entry(team, "Iets", body="Een vlinderidylle met insecten.", publish_by=team)
    summary = make_entry(team, "Anders", summary="Meer insecten op het terrein.", publish_by=team)
    title = make_entry(team, "Insecten tellen", publish_by=team)
    assert ids("insect") == [title.pk, summary.pk, body.pk]


def test_only_published_entries_are_found(team, users):
    partner = users[Role.COALITION_PARTNER]
    draft = make_entry(partner, "Plan voor bomen zonder moderatie")
    published = make_entry(partner, "Plan voor bomen, gemodereerd", publish_by=team)
    assert ids("bomen") == [published.pk]
    services.move(published, Status.UNPUBLISHED, by=team, reason="Verouderd.")
    assert ids("bomen") == []
    assert draft.pk not in ids("moderatie")


def test_an_edit_is_reindexed(team):
    entry = make_entry(team, "Vijver bij de hal", publish_by=team)
    assert ids("vijvers") == [entry.pk]
    services.save_entry(entry, {"title": "Poel bij de hal"}, by=team)
    assert ids("vijvers") == []
    assert ids("poel") == [entry.pk]


def test_facet_counts_equal_the_result_counts(team):
    make_entry(team, "Bomen A", themes=["water", "gezondheid"], kind="cooperation", publish_by=team)
    make_entry(team, "Bomen B", themes=["water"], evidence="proven", publish_by=team)
    make_entry(
        team,
        "Bomen C",
        themes=["energie"],
        measures=["street_trees"],
        scale="plot",
        publish_by=team,
    )
    make_entry(team, "Daken D", themes=["water"], publish_by=team)
    for query in ("", "bomen"):
        result = search.run({"q": query}, page_size=1000)
        assert result.facets, "facets are shown"
        for group in result.facets:
            for value in group.values:
                narrowed = search.run({"q": query, group.param: value.key}, page_size=1000)
                assert narrowed.total == value.count, (query, group.param, value.key)
                # Within a narrowed search, the chosen value's count is the total.
                chosen = next(g for g in narrowed.facets if g.param == group.param)
                assert next(v for v in chosen.values if v.key == value.key).count == narrowed.total
    water = search.run({"q": "bomen", "thema": "water"})
    assert water.total == 2


def test_unknown_facet_values_are_ignored(team):
    make_entry(team, "Bomen A", publish_by=team)
    assert search.run({"thema": "<script>", "soort": "nope"}).chosen == {}


def test_the_search_page_has_a_shareable_url_and_facet_links(client, team):
    make_entry(team, "Bomen op de kavel", themes=["water"], publish_by=team)
    url = reverse("knowledge:list") + "?q=bomen&thema=water"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bomen op de kavel" in html
    assert 'href="/innovaties/?q=bomen"' in html  # clearing the chosen theme
    assert 'value="water"' in html  # the chosen facet is kept by the search box


def test_suggestions_complete_the_last_word(client, team):
    entry = make_entry(team, "Bedrijventerreinen vergroenen met bomen", publish_by=team)
    for typed in ("bedrijvent", "bomen bedrijv", "vergroen"):
        data = client.get(reverse("knowledge:suggest"), {"q": typed}).json()
        assert [r["url"] for r in data["results"]] == [entry.get_absolute_url()], typed
    assert client.get(reverse("knowledge:suggest"), {"q": "b"}).json() == {"results": []}


def test_a_query_of_only_stop_words_or_symbols_finds_nothing_and_does_not_fail(client, team):
    make_entry(team, "Bomen", publish_by=team)
    for q in ("de het een", '"*:() OR AND', "'; DROP TABLE", "bomen:*&|!"):
        response = client.get(reverse("knowledge:list"), {"q": q})
        assert response.status_code == 200, q
        assert client.get(reverse("knowledge:suggest"), {"q": q}).status_code == 200


def test_the_search_uses_a_real_index(team):
    """SQLite: the FTS5 table answers the match. PostgreSQL: the GIN index on search_vector
    serves the query (with sequential scans disabled, as on a large table)."""
    entry = make_entry(team, "Bomen langs de weg", publish_by=team)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid FROM knowledge_entry_fts WHERE knowledge_entry_fts MATCH %s",
                ['"boom"'],
            )
            assert [row[0] for row in cursor.fetchall()] == [entry.pk]
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT id FROM knowledge_entry "
                "WHERE search_vector @@ to_tsquery('dutch', %s)",
                ["'bomen'"],
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "knowledge_entry_search_gin" in plan, plan
