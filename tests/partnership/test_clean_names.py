"""Invisible bidi-override and zero-width characters never reach a stored name."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from tests.partnership.conftest import SIGNUP_URL, drawn, form_data
from tests.registry.fixtures_geo import DELFT, write_geojson
from werklandschap.lib.text import clean_name
from werklandschap.partnership.models import PartnerApplication
from werklandschap.registry.models import Park

RLO, LRE, PDF, RLI, PDI = "\u202e", "\u202a", "\u202c", "\u2067", "\u2069"
ZWSP, ZWNJ, ZWJ, LRM, RLM, WJ, BOM, SHY = (
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u2060",
    "\ufeff",
    "\u00ad",
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"Park{RLO}gew.exe", "Parkgew.exe"),
        (f"{LRE}Schie{PDF}weg", "Schieweg"),
        (f"{RLI}Bedrijvenpark{PDI} Noord", "Bedrijvenpark Noord"),
        (f"De{ZWSP}{ZWNJ}{ZWJ}lta{WJ}{BOM}park", "Deltapark"),
        (f"{LRM}{RLM}Hoog{SHY}veld", "Hoogveld"),
        ("  Twee\tregels\nnaam  ", "Twee regels naam"),
        ("Cafe\u0301 Zuid", "Caf\u00e9 Zuid"),  # e + combining accent becomes é (NFC)
        ("Ĳsselpark – Oost (’s-Hertogenbosch)", "Ĳsselpark – Oost (’s-Hertogenbosch)"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_name(raw, expected):
    assert clean_name(raw) == expected


def test_every_bidi_control_and_zero_width_character_is_removed():
    invisible = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
    invisible += [chr(c) for c in [*range(0x200B, 0x2010), 0x2060, 0x2061, 0x2064, 0xFEFF, 0x061C]]
    assert clean_name("A" + "".join(invisible) + "B") == "AB"


def test_sign_up_stores_clean_names(client, reference_data, new_park_outline, on_commit):
    data = form_data(
        None,
        proposed_name=f"Schie{RLO}weg{ZWSP} Noord",
        outline_drawn=drawn(new_park_outline),
        organisation_name=f"{RLI}Parkmanagement{PDI} Delft{BOM}",
        contact_name=f"Sam{ZWJ} de Vries{LRM}",
    )
    with on_commit():
        assert client.post(SIGNUP_URL, data).status_code == 302
    application = PartnerApplication.objects.get()
    assert application.proposed_name == "Schieweg Noord"
    assert application.organisation_name == "Parkmanagement Delft"
    assert application.contact_name == "Sam de Vries"
    assert RLO not in mail.outbox[0].body and RLO not in mail.outbox[0].subject


def test_an_organisation_name_of_only_invisible_characters_is_missing(client, park):
    response = client.post(SIGNUP_URL, form_data(park, organisation_name=f"{ZWSP}{RLO}{BOM}"))
    assert response.status_code == 200
    assert "Vul de naam van uw organisatie in." in response.content.decode()
    assert not PartnerApplication.objects.exists()


def test_imported_park_names_are_clean(db, tmp_path):
    path = write_geojson(
        tmp_path / "terreinen.geojson", [(DELFT, {"naam": f"Schie{RLO}weg{ZWSP}{RLI}"})]
    )
    call_command("import_parks", str(path))
    assert Park.objects.get().name == "Schieweg"
