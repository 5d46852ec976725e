"""One form of address: the platform says "u", never "je" (issue 16).

Dutch is the source language, so every Dutch text a user reads is a msgid in the
English catalogue, a template, a gettext string in the Python code, a data file
or a script. Pages and e-mails once mixed "je" (the sign-up path) with "u" (the
rest); these tests read all of those sources and fail on any informal pronoun, and
on the English words that had slipped into Dutch pages ("Commitments").
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import werklandschap

# No test database: run once, not again in the PostgreSQL phase.
pytestmark = pytest.mark.engine

PACKAGE = Path(werklandschap.__file__).parent
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"

# Informal pronouns as whole words ("je" inside "bijvoorbeeld" or "tje" is not one).
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jouwe|jullie|jezelf)\b", re.IGNORECASE)
# English words once shown on Dutch pages, with the Dutch that replaced them.
ENGLISH = re.compile(r"\b(commitments?|check)\b", re.IGNORECASE)

GETTEXT_FUNCTIONS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def po_msgids(text: str) -> list[str]:
    """The msgids and msgid_plurals of a .po file (obsolete ``#~`` entries skipped)."""
    ids: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines():
        match = re.match(r'^msgid(?:_plural)? "(.*)"$', line)
        if match:
            if current is not None:
                ids.append("".join(current))
            current = [match.group(1)]
        elif line.startswith('"') and current is not None:
            current.append(line[1:-1])
        else:
            if current is not None:
                ids.append("".join(current))
            current = None
    if current is not None:
        ids.append("".join(current))
    return [i.replace('\\"', '"').replace("\\n", "\n") for i in ids if i]


def python_gettext_strings(source: str) -> list[str]:
    """Every string literal handed to a gettext function in a Python module."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in GETTEXT_FUNCTIONS:
            found += [
                a.value
                for a in node.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
    return found


def offending(texts: list[str], pattern: re.Pattern[str]) -> list[str]:
    return [t for t in texts if pattern.search(t)]


def test_the_scanners_catch_the_old_wording():
    """The checks below would have failed on the texts this issue replaced."""
    po = (
        'msgid "Check je e-mail"\nmsgstr "Check your e-mail"\n\n'
        'msgid ""\n"Heb je je niet "\n"aangemeld?"\nmsgstr ""\n\n'
        '#~ msgid "Wat je krijgt"\n#~ msgstr "What you get"\n'
    )
    assert offending(po_msgids(po), INFORMAL) == ["Check je e-mail", "Heb je je niet aangemeld?"]
    assert offending(po_msgids(po), ENGLISH) == ["Check je e-mail"]
    py = 'x = _("Deze stap is niet aan jou.")\ny = gettext_lazy("Uw naam")\nz = "je"\n'
    assert offending(python_gettext_strings(py), INFORMAL) == ["Deze stap is niet aan jou."]
    assert not offending(["Bijvoorbeeld de gemeente", "Controleer uw e-mail"], INFORMAL)
    # A cited title is stripped only in data files, and only inside single quotes.
    assert INFORMAL.search(re.sub(r"'[^']*'", "''", 'source: "je dak"'))
    assert not INFORMAL.search(re.sub(r"'[^']*'", "''", "source: \"'Groen op je dak'\""))


def test_dutch_msgids_use_u():
    msgids = po_msgids(PO.read_text(encoding="utf-8"))
    assert len(msgids) > 500  # the catalogue was read
    assert not offending(msgids, INFORMAL)


def test_dutch_msgids_have_no_english_words():
    assert not offending(po_msgids(PO.read_text(encoding="utf-8")), ENGLISH)


def _files(*patterns: str) -> list[Path]:
    files = [p for pattern in patterns for p in sorted(PACKAGE.glob(pattern))]
    return [p for p in files if "vendor" not in p.parts and "locale" not in p.parts]


@pytest.mark.parametrize(
    "path",
    _files(
        "templates/**/*.html",
        "templates/**/*.txt",
        "data/**/*.yaml",
        "static/js/**/*.js",
    ),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_templates_emails_and_data_use_u(path: Path):
    """Templates (pages and e-mails), data files and scripts, line by line.

    In data files the titles of cited works (in single quotes inside a source,
    e.g. De Telegraaf's 'Groen op je dak') are quoted as published, not our words.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    if path.suffix == ".yaml":
        lines = [re.sub(r"'[^']*'", "''", line) for line in lines]
    hits = [f"{n}: {line.strip()}" for n, line in enumerate(lines, 1) if INFORMAL.search(line)]
    assert not hits, "\n".join(hits)


def test_templates_have_no_english_headings():
    """A ``translate`` tag holds Dutch; "Commitments" and "Check" were English."""
    tag = re.compile(r'{%\s*(?:translate|trans)\s+"([^"]*)"')
    hits = [
        f"{path.relative_to(PACKAGE)}: {text}"
        for path in _files("templates/**/*.html", "templates/**/*.txt")
        for text in tag.findall(path.read_text(encoding="utf-8"))
        if ENGLISH.search(text)
    ]
    assert not hits, hits


def test_python_gettext_strings_use_u():
    hits = [
        f"{path.relative_to(PACKAGE)}: {text}"
        for path in _files("**/*.py")
        if "migrations" not in path.parts
        for text in python_gettext_strings(path.read_text(encoding="utf-8"))
        if INFORMAL.search(text) or ENGLISH.search(text)
    ]
    assert not hits, hits
