"""Deliverables are PDFs: type sniffed, size capped before reading, kept outside MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.vouchers.fixtures import *  # noqa: F403
from tests.vouchers.fixtures import PDF_BYTES, force_state
from werklandschap.accounts.roles import Role
from werklandschap.lib.workflow import TransitionRefused
from werklandschap.vouchers import services
from werklandschap.vouchers.models import Deliverable
from werklandschap.vouchers.workflow import Status


@pytest.fixture
def awarded(application):
    application.status = Status.AWARDED
    application.awarded_cents = application.round.voucher_value_cents
    application.save()
    return application


def _stored_files() -> list[Path]:
    root = Path(settings.VOUCHER_FILES_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_pdf_is_stored_outside_media_root_and_both_allow_submitting(awarded, contact):
    for kind in Deliverable.Kind.values:
        upload = SimpleUploadedFile(f"{kind} def.PDF", PDF_BYTES, content_type="text/html")
        stored = services.store_deliverable(awarded, kind, upload, by=contact)
        assert stored.name == f"{kind}-def.pdf"
        path = Path(stored.file.path)
        assert path.is_relative_to(Path(settings.VOUCHER_FILES_ROOT))
        assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
        assert path.read_bytes() == PDF_BYTES
    services.move(awarded, Status.DELIVERABLES_SUBMITTED, by=contact)
    awarded.refresh_from_db()
    assert awarded.status == Status.DELIVERABLES_SUBMITTED


def test_an_html_page_renamed_pdf_is_refused_and_nothing_is_stored(awarded, contact):
    before = _stored_files()
    upload = SimpleUploadedFile("groenvisie.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as caught:
        services.store_deliverable(awarded, "green_vision", upload, by=contact)
    assert "is niet echt een bestand van het type PDF" in caught.value.messages[0]
    assert not Deliverable.objects.exists()
    assert _stored_files() == before


def test_a_word_file_is_refused_by_its_type(awarded, contact):
    upload = SimpleUploadedFile("plan.docx", b"PK\x03\x04rest")
    with pytest.raises(ValidationError, match="dit bestandstype kunt u niet bijvoegen"):
        services.store_deliverable(awarded, "financing_plan", upload, by=contact)
    assert not Deliverable.objects.exists()


class _Oversized:
    """A file object that says it is too big and fails the test if it is read."""

    name = "groot.pdf"
    size = 21 * 1_048_576

    def read(self, *_args):
        raise AssertionError("read before the size was checked")

    def seek(self, *_args):
        return 0


def test_an_oversized_file_is_refused_before_a_byte_is_read(awarded, contact):
    before = _stored_files()
    with pytest.raises(ValidationError, match=r"te groot \(21\.0 MB\); het maximum is 20 MB"):
        services.store_deliverable(awarded, "green_vision", _Oversized(), by=contact)
    assert not Deliverable.objects.exists()
    assert _stored_files() == before


def test_a_file_that_lies_about_its_size_is_stopped_while_reading(awarded, contact, settings):
    settings.VOUCHER_DELIVERABLE_MAX_MB = 1
    upload = SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + b"0" * (1_048_576 + 10))
    upload.size = 100  # says small
    with pytest.raises(ValidationError, match="te groot"):
        services.store_deliverable(awarded, "green_vision", upload, by=contact)
    assert not Deliverable.objects.exists()


def test_a_new_upload_replaces_the_old_one_and_its_file(
    awarded, contact, django_capture_on_commit_callbacks
):
    first = services.store_deliverable(
        awarded, "green_vision", SimpleUploadedFile("a.pdf", PDF_BYTES), by=contact
    )
    old_path = Path(first.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.store_deliverable(
            awarded, "green_vision", SimpleUploadedFile("b.pdf", PDF_BYTES + b"%"), by=contact
        )
    assert Deliverable.objects.filter(application=awarded).count() == 1
    assert not old_path.exists()


def test_others_cannot_upload_and_not_after_the_award_stage(awarded, users, contact):
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES)
    with pytest.raises(TransitionRefused):
        services.store_deliverable(awarded, "green_vision", upload, by=users[Role.PROVINCE_OFFICER])
    force_state(awarded, Status.APPROVED)
    with pytest.raises(TransitionRefused):
        services.store_deliverable(awarded, "green_vision", upload, by=contact)


def test_the_upload_page_shows_the_error_and_stores_nothing(client, awarded, contact):
    client.force_login(contact)
    url = reverse("vouchers:deliverable", kwargs={"reference": awarded.reference})
    response = client.post(
        url,
        {"kind": "green_vision", "file": SimpleUploadedFile("visie.pdf", b"GIF89a not a pdf")},
    )
    assert response.status_code == 400
    assert "is niet echt een bestand van het type PDF" in response.content.decode()
    assert not Deliverable.objects.exists()


def test_a_supporter_uploads_and_the_file_is_served_as_a_download(
    client, awarded, supporter_user, contact
):
    client.force_login(supporter_user)
    url = reverse("vouchers:deliverable", kwargs={"reference": awarded.reference})
    response = client.post(
        url, {"kind": "financing_plan", "file": SimpleUploadedFile("plan.pdf", PDF_BYTES)}
    )
    assert response.status_code == 302
    item = Deliverable.objects.get()
    client.force_login(contact)
    got = client.get(
        reverse("vouchers:deliverable-file", kwargs={"reference": awarded.reference, "pk": item.pk})
    )
    assert got.status_code == 200
    assert got["Content-Type"] == "application/pdf"
    assert got["Content-Disposition"].startswith("attachment;")
    assert b"".join(got.streaming_content) == PDF_BYTES
