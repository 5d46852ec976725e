"""The subscriber export's headers are capitalised like every other export's, in both
languages (they read "e-mail address,language,origin,consent since")."""

from __future__ import annotations

from django.utils import translation

from werklandschap.newsletter import exports


def test_headers_are_capitalised_in_dutch_and_english():
    with translation.override("en"):
        assert exports._columns() == ["E-mail address", "Language", "Origin", "Consent since"]
    with translation.override("nl"):
        assert exports._columns() == ["E-mailadres", "Taal", "Herkomst", "Toestemming sinds"]
