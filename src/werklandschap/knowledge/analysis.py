"""Dutch word forms for the full-text search: one analysis for the index and the query.

Both search backends see the same text: :func:`lemmatise` lower-cases, splits
into words (keeping the apostrophe of "wadi's"), and replaces each inflected
form by its lemma from ``data/knowledge/lemmas.yaml`` ("bomen" -> "boom",
"daken" -> "dak", "groene" -> "groen"). A Snowball stemmer then strips the
regular endings ("bedrijventerreinen" -> "bedrijventerrein"): PostgreSQL's
'dutch' text-search configuration on PostgreSQL, the same algorithm in Python
(:func:`stem`, the ``snowballstemmer`` package) for the SQLite FTS5 index.
The dictionary is needed because the stemmer alone does not join irregular
plurals and vowel changes (dak/daken, groen/groene); it is applied to what is
indexed and to what is asked, so both sides meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer
import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "knowledge"
# A word: letters and digits, with an inner apostrophe or hyphen ("wadi's", "e-bike").
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
MAX_QUERY_WORDS = 12
# Function words left out of a query (PostgreSQL's 'dutch' config drops them from the
# index too); a query of nothing but these searches nothing.
STOP_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "of",
        "van",
        "in",
        "op",
        "aan",
        "met",
        "voor",
        "bij",
        "door",
        "om",
        "te",
        "tot",
        "uit",
        "naar",
        "als",
        "is",
        "zijn",
        "die",
        "dat",
        "er",
        "ook",
        "wat",
        "hoe",
    ]
)


class LemmaError(ValueError):
    """The lemma dictionary is inconsistent; the message names every problem."""


def parse_lemmas(data: object, where: str = "lemmas.yaml") -> dict[str, str]:
    """Form -> lemma from the parsed YAML, checked."""
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("lemmas"), dict):
        raise LemmaError(f"{where}: expected a 'lemmas' mapping")
    if not str(data.get("source") or "").strip():
        problems.append(f"{where}: no source")
    lemmas: dict[str, list[str]] = data["lemmas"]
    forms: dict[str, str] = {}
    for lemma, inflections in lemmas.items():
        if not isinstance(lemma, str) or lemma != lemma.lower() or not _WORD.fullmatch(lemma):
            problems.append(f"{where}: lemma {lemma!r} is not one lower-case word")
            continue
        for form in inflections or []:
            form = str(form)
            if form != form.lower() or not _WORD.fullmatch(form):
                problems.append(f"{where}: {lemma}: form {form!r} is not one lower-case word")
            elif form in forms and forms[form] != lemma:
                problems.append(f"{where}: form {form!r} belongs to {forms[form]!r} and {lemma!r}")
            elif form in lemmas:
                problems.append(f"{where}: form {form!r} of {lemma!r} is itself a lemma")
            else:
                forms[_fold(form)] = lemma
    if problems:
        raise LemmaError("\n".join(problems))
    return forms


@cache
def lemma_table() -> dict[str, str]:
    path = DATA_DIR / "lemmas.yaml"
    return parse_lemmas(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


def _fold(word: str) -> str:
    """Lower case, NFC, the typographic apostrophe as a plain one."""
    return unicodedata.normalize("NFC", word).lower().replace("’", "'")


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased (apostrophes kept inside a word)."""
    return [_fold(w) for w in _WORD.findall(text or "")]


def lemma(word: str) -> str:
    """The lemma of one lower-case word: from the dictionary, else the word without a
    possessive or plural "'s" ("wadi's" -> "wadi" when not listed)."""
    table = lemma_table()
    if word in table:
        return table[word]
    if "'" in word:
        head, _sep, tail = word.partition("'")
        if tail == "s":
            return table.get(head, head)
        return word.replace("'", "")
    return word


def lemmatise(text: str) -> str:
    """``text`` as space-separated lemmas: what both backends index and search."""
    return " ".join(lemma(w) for w in words(text))


_stemmer = snowballstemmer.stemmer("dutch")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Dutch Snowball stem of one lemma (what the SQLite index stores); cached, as the
    pure-Python stemmer costs some microseconds a word and ranking stems every title."""
    return _stemmer.stemWord(word)


def stems(text: str) -> list[str]:
    """Lemmatise then stem: the tokens of the SQLite FTS5 index and of the ranking tiers."""
    return [stem(lemma(w)) for w in words(text)]


def query_lemmas(query: str) -> list[str]:
    """The query's lemmas, at most ``MAX_QUERY_WORDS``, duplicates dropped in order."""
    seen: list[str] = []
    for w in words(query):
        lem = lemma(w)
        if lem not in seen and lem not in STOP_WORDS:
            seen.append(lem)
    return seen[:MAX_QUERY_WORDS]
