"""The toolbox's edit page in the admin, in English: the process-chain phases and the
loader's version note were Dutch ("0 Ambitiefase", "Uit het databestand geladen")."""

from __future__ import annotations

import pytest
from django.utils import translation

from werklandschap.toolbox import services
from werklandschap.toolbox.models import Step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.TOOLBOX_FILES_ROOT = tmp_path / "toolbox-files"


def test_the_edit_page_in_english_has_english_phases_and_version_note(client, reference_data, team):
    with translation.override("en"):  # a loader run in English still stores the Dutch note
        services.load_steps()
    step = Step.objects.order_by("order").first()
    assert step.revisions.get().note == "Uit het databestand geladen"
    client.force_login(team)
    english = client.get(f"/en/beheer/toolbox/step/{step.pk}/change/").content.decode()
    assert "0 Ambition phase" in english and "7 Maintenance phase" in english
    assert "Ambitiefase" not in english and "Beheerfase" not in english
    assert "Loaded from the data file" in english
    assert "Uit het databestand geladen" not in english
    restore = client.get(f"/en/beheer/toolbox/step/{step.pk}/versie/1/").content.decode()
    assert "Loaded from the data file" in restore
    dutch = client.get(f"/beheer/toolbox/step/{step.pk}/change/").content.decode()
    assert "0 Ambitiefase" in dutch and "Uit het databestand geladen" in dutch
