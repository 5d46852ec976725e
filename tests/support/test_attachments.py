"""Attachments of a support question: real files pass, disguised and oversized ones are refused.

Every file here is made in the test: a PDF rendered by WeasyPrint, images drawn
by Pillow, office files written with zipfile the way Word, Excel and
LibreOffice lay them out. The refusals must come with a Dutch message that
names the file but never repeats its content, and leave nothing half-checked.
"""

from __future__ import annotations

import hashlib
import io
import stat
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image

from werklandschap.support.attachments import (
    FORMATS,
    AttachmentError,
    accept_attribute,
    allowed_types_text,
    check_attachment,
    check_attachments,
    check_count,
    safe_file_name,
)
from werklandschap.support.desk_rules import rules

# No test database: run once, not again in the PostgreSQL phase.
pytestmark = pytest.mark.engine

MB = 1_048_576
CT = "application/vnd.openxmlformats-officedocument."

# --------------------------------------------------------------------------- real files


def pdf_bytes() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Offerte groenplan</p>").write_pdf()


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(buf, fmt)
    return buf.getvalue()


def _content_types(main_part: str, main_type: str, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/>{extra}</Types>'
    )


OOXML_PARTS = {
    "docx": ("word/document.xml", CT + "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", CT + "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", CT + "presentationml.presentation.main+xml"),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
}


def ooxml_bytes(kind: str = "docx", members: dict[str, bytes] | None = None) -> bytes:
    main_part, main_type = OOXML_PARTS[kind]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _content_types(main_part, main_type))
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            f'Target="{main_part}"/></Relationships>',
        )
        zf.writestr(main_part, "<document><body><p>Offerte</p></body></document>")
        for name, data in (members or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def odf_bytes(kind: str = "text", *, mimetype_first: bool = True, extra: dict | None = None):
    buf = io.BytesIO()
    mimetype = f"application/vnd.oasis.opendocument.{kind}"
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        if mimetype_first:
            zf.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", "<office:document-content/>")
        zf.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
        if not mimetype_first:
            zf.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def zip_with(member: zipfile.ZipInfo | str, data: bytes = b"x", base: str = "docx") -> bytes:
    """A valid office file with one extra member (a ZipInfo for names and flags)."""
    raw = ooxml_bytes(base)
    buf = io.BytesIO(raw)
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr(member, data)
    return buf.getvalue()


def refused(upload, name=None, **kw) -> AttachmentError:
    with pytest.raises(AttachmentError) as exc:
        check_attachment(upload, name, **kw)
    return exc.value


# --------------------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("offerte.pdf", pdf_bytes, "pdf"),
        ("kaart.png", lambda: image_bytes("PNG"), "png"),
        ("foto.JPG", lambda: image_bytes("JPEG"), "jpeg"),
        ("foto.jpeg", lambda: image_bytes("JPEG"), "jpeg"),
        ("plan.docx", lambda: ooxml_bytes("docx"), "docx"),
        ("begroting.xlsx", lambda: ooxml_bytes("xlsx"), "xlsx"),
        ("presentatie.pptx", lambda: ooxml_bytes("pptx"), "pptx"),
        ("notitie.odt", lambda: odf_bytes("text"), "odt"),
        ("rekenblad.ods", lambda: odf_bytes("spreadsheet"), "ods"),
    ],
)
def test_real_files_are_accepted(name, make, kind):
    data = make()
    checked = check_attachment(data, name)
    assert checked.kind == kind
    assert checked.content_type == FORMATS[kind].content_type
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.name == name.lower()


def test_an_uploaded_file_keeps_the_sniffed_type_and_is_rewound():
    """The browser's content type is ignored; the file is ready to save afterwards."""
    data = pdf_bytes()
    upload = SimpleUploadedFile("../../Offerte Groenplan ’t Ven.PDF", data, "text/html")
    checked = check_attachment(upload)
    assert checked.name == "offerte-groenplan-t-ven.pdf"
    assert checked.content_type == "application/pdf"
    assert upload.tell() == 0
    assert upload.read() == data


def test_a_disk_backed_upload():
    data = ooxml_bytes("docx")
    upload = TemporaryUploadedFile("plan.docx", "application/octet-stream", len(data), None)
    upload.write(data)
    upload.seek(0)
    try:
        assert check_attachment(upload).kind == "docx"
    finally:
        upload.close()


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("C:\\Users\\Ans\\Offerte (def).PDF", "offerte-def.pdf"),
        ("../../etc/passwd", "passwd"),
        ("/var/www/x/<script>alert(1)</script>.png", "script.png"),  # "/" of "</" splits
        ("Groen   plan\x00.pdf", "groen-plan.pdf"),
        (".pdf", "bijlage.pdf"),
        ("Ærø café.pdf", "r-cafe.pdf"),
        ("geen-extensie", "geen-extensie"),
        ("a" * 300 + ".docx", "a" * 80 + ".docx"),
    ],
)
def test_safe_file_name(raw, safe):
    assert safe_file_name(raw) == safe


def test_allowed_types_for_the_form():
    assert allowed_types_text() == (
        "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), "
        "OpenDocument-tekst (.odt), OpenDocument-rekenblad (.ods)"
    )
    assert accept_attribute() == ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.odt,.ods"


# --------------------------------------------------------------------------- disguised


def test_html_named_pdf_is_refused_without_echoing_it():
    html = b"<html><script>alert('geheim-42')</script></html>"
    err = refused(html, "offerte.pdf")
    assert err.code == "mismatch"
    assert "offerte.pdf is niet echt een bestand van het type PDF" in err.message
    assert "geheim-42" not in err.message and "script" not in err.message


def test_a_program_named_png_is_refused():
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00" + b"\x00" * 200
    assert refused(exe, "foto.png").code == "mismatch"


def test_a_png_named_jpg_is_refused():
    assert refused(image_bytes("PNG"), "foto.jpg").code == "mismatch"


def test_a_pdf_named_docx_is_refused():
    assert refused(pdf_bytes(), "plan.docx").code == "mismatch"


def test_an_xlsx_named_docx_is_refused():
    assert refused(ooxml_bytes("xlsx"), "plan.docx").code == "mismatch"


def test_a_docm_renamed_docx_is_refused_as_macro():
    docm = ooxml_bytes("docm", {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    err = refused(docm, "plan.docx")
    assert err.code == "macro"
    assert "macro" in err.message


def test_a_macro_enabled_main_part_alone_is_refused():
    assert refused(ooxml_bytes("docm"), "plan.docx").code == "macro"


def test_a_vba_project_in_an_ordinary_docx_is_refused():
    data = ooxml_bytes("docx", {"word/vbaProject.bin": b"vba"})
    assert refused(data, "plan.docx").code == "macro"


def test_an_odt_with_basic_macros_is_refused():
    data = odf_bytes(extra={"Basic/Standard/Module1.xml": "<script:module/>"})
    assert refused(data, "notitie.odt").code == "macro"


def test_an_odt_without_mimetype_first_is_refused():
    assert refused(odf_bytes(mimetype_first=False), "notitie.odt").code == "mismatch"


def test_an_ods_named_odt_is_refused():
    assert refused(odf_bytes("spreadsheet"), "notitie.odt").code == "mismatch"


@pytest.mark.parametrize("name", ["plan.docm", "begroting.xlsm", "dia.pptm"])
def test_macro_extensions_are_refused_with_advice(name):
    err = refused(ooxml_bytes("docx"), name)
    assert err.code == "macro"
    assert "Sla het op als PDF of als .docx, .xlsx of .pptx" in err.message


@pytest.mark.parametrize("name", ["brief.doc", "begroting.xls", "dia.ppt"])
def test_old_office_extensions_are_refused(name):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert refused(ole, name).code == "old_office"


def test_an_ole_file_named_docx_is_refused():
    """A password-protected .docx is an OLE container: it cannot be checked."""
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    err = refused(ole, "plan.docx")
    assert err.code == "old_office"
    assert "wachtwoord" in err.message


@pytest.mark.parametrize("name", ["script.js", "pagina.html", "archief.zip", "foto.svg", "x.exe"])
def test_other_types_are_refused(name):
    err = refused(b"anything", name)
    assert err.code == "type_not_allowed"
    assert "Toegestaan zijn: PDF, PNG, JPEG" in err.message


# --------------------------------------------------------------------------- zip members


@pytest.mark.parametrize(
    "member",
    ["../../etc/cron.d/evil", "/etc/passwd", "C:/Windows/evil.dll", "word/..\\..\\evil"],
)
def test_traversal_member_names_are_refused(member):
    err = refused(zip_with(member), "plan.docx")
    assert err.code == "unsafe_member"


def test_a_symlink_member_is_refused():
    info = zipfile.ZipInfo("word/media/link.png")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    assert refused(zip_with(info, b"/etc/passwd"), "plan.docx").code == "unsafe_member"


def test_a_duplicate_member_is_refused():
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = zip_with("word/document.xml", b"<other/>")
    assert refused(data, "plan.docx").code == "unsafe_member"


def test_an_encrypted_member_is_refused():
    raw = bytearray(zip_with("word/media/image1.png", b"secret"))
    # Set the 'encrypted' bit (general purpose flag bit 0) in the central directory entry.
    at = raw.rfind(b"PK\x01\x02")
    flags = struct.unpack_from("<H", raw, at + 8)[0]
    struct.pack_into("<H", raw, at + 8, flags | 0x1)
    err = refused(bytes(raw), "plan.docx")
    assert err.code == "encrypted"
    assert "wachtwoord" in err.message


def test_a_zip_bomb_is_refused_before_unpacking():
    """101 MB of zeros packed into ~100 kB: over max_unpacked_bytes (100 MB)."""
    buf = io.BytesIO(ooxml_bytes("docx"))
    with (
        zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf,
        zf.open("word/media/big.bin", "w") as fh,
    ):
        zero = bytes(MB)
        for _ in range(101):
            fh.write(zero)
    data = buf.getvalue()
    assert len(data) < rules().attachments.max_bytes  # small on the wire
    err = refused(data, "plan.docx")
    assert err.code == "unpacked_too_large"
    assert "uitgepakt te groot (101 MB); het maximum is 100 MB" in err.message


def test_too_many_members_are_refused():
    buf = io.BytesIO(ooxml_bytes("pptx"))
    with zipfile.ZipFile(buf, "a") as zf:
        for i in range(rules().attachments.max_zip_members):
            zf.writestr(f"ppt/media/m{i}.xml", "")
    assert refused(buf.getvalue(), "dia.pptx").code == "too_many_members"


def test_a_doctype_in_content_types_is_refused():
    """No DTD or entities, whatever the encoding (UTF-16 hides '<!DOCTYPE' from a byte search)."""
    main_part, main_type = OOXML_PARTS["docx"]
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + _content_types(main_part, main_type).split("?>", 1)[1]
    ).encode("utf-16")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", xml)
        zf.writestr(main_part, "<document/>")
    assert b"<!DOCTYPE" not in xml
    assert refused(buf.getvalue(), "plan.docx").code == "damaged"


def test_a_truncated_zip_is_refused():
    data = ooxml_bytes("docx")
    assert refused(data[: len(data) // 2], "plan.docx").code in {"mismatch", "damaged"}


# --------------------------------------------------------------------------- images


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with a few bytes of data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [10_000, 20_000])  # 100 MP (our cap), 400 MP (Pillow's)
def test_a_decompression_bomb_image_is_refused_from_its_header(side):
    data = _png_header(side, side)
    assert len(data) < 200
    err = refused(data, "kaart.png")
    assert err.code == "too_many_pixels"
    assert "60 megapixel" in err.message


def test_a_broken_png_is_refused():
    data = image_bytes("PNG")
    assert refused(data[:40], "kaart.png").code == "damaged"


# --------------------------------------------------------------------------- sizes and count


class _NoRead(io.BytesIO):
    """A file that says it is large and fails the test if anything reads it."""

    def __init__(self, size: int):
        super().__init__(b"%PDF-")
        self.size = size
        self.name = "groot.pdf"

    def read(self, *args):
        raise AssertionError("read before the size was checked")


def test_an_oversized_file_is_refused_before_reading():
    err = refused(_NoRead(rules().attachments.max_bytes + 1))
    assert err.code == "too_large"
    assert err.message == "groot.pdf is te groot (5.0 MB); het maximum is 5 MB."


def test_an_oversized_file_that_lies_about_its_size_is_refused_while_reading():
    big = b"%PDF-1.7\n" + bytes(rules().attachments.max_bytes)
    upload = SimpleUploadedFile("groot.pdf", big, "application/pdf")
    upload.size = 100  # a file object may say anything
    assert refused(upload).code == "too_large"


def test_oversized_bytes():
    big = b"%PDF-1.7\n" + bytes(rules().attachments.max_bytes)
    assert refused(big, "groot.pdf").code == "too_large"


def test_an_empty_file_is_refused():
    assert refused(b"", "leeg.pdf").code == "empty"


def test_at_most_three_per_question():
    check_count(2, 1)
    with pytest.raises(AttachmentError) as exc:
        check_count(3, 1)
    assert exc.value.message == "U kunt bij een vraag hoogstens 3 bijlagen voegen."
    files = [SimpleUploadedFile(f"f{i}.pdf", b"x") for i in range(4)]
    with pytest.raises(AttachmentError) as exc:
        check_attachments(files)  # refused on the count, before any file is read
    assert exc.value.code == "too_many"


def test_total_size_per_question():
    pdf = pdf_bytes()
    files = [SimpleUploadedFile("a.pdf", pdf), SimpleUploadedFile("b.pdf", pdf)]
    assert [c.name for c in check_attachments(files)] == ["a.pdf", "b.pdf"]
    limit = rules().attachments.max_total_bytes
    with pytest.raises(AttachmentError) as exc:
        check_attachments(files, existing_count=1, existing_bytes=limit - len(pdf))
    assert exc.value.code == "total_too_large"


def test_all_or_nothing():
    """One disguised file among good ones refuses the whole submission."""
    files = [
        SimpleUploadedFile("a.pdf", pdf_bytes()),
        SimpleUploadedFile("b.pdf", b"<html>no pdf</html>"),
    ]
    with pytest.raises(AttachmentError) as exc:
        check_attachments(files)
    assert exc.value.code == "mismatch"
    assert "b.pdf" in exc.value.message
