"""Check a file attached to a support question before it is stored.

Anyone may ask the desk a question, so an attachment is a file from a person
we do not know, later opened by a director or a coalition partner on their own
computer. It is accepted only when it is what it says it is:

* the extension is one of the allowed types of ``data/support/desk.yaml``
  (PDF, PNG, JPEG, .docx/.xlsx/.pptx, .odt/.ods); macro formats (.docm, .xlsm,
  .pptm) and the old binary Office formats (.doc, .xls, .ppt) are refused with
  a message saying how to save the file instead;
* the size is checked against the cap before a byte is read, and again while
  reading (a file object may lie about its size);
* the type is sniffed from the first bytes and must match the extension (an
  HTML page named ``offerte.pdf`` or a program named ``foto.png`` is refused);
* an office file is a zip archive and is opened as one, never unpacked to
  disk: member names without traversal (``../``, absolute, drive letters,
  backslashes), no links, no encryption, no duplicate parts, at most
  ``max_zip_members`` members and ``max_unpacked_bytes`` declared unpacked
  bytes (zip bomb); a .docx/.xlsx/.pptx needs ``[Content_Types].xml`` naming
  the right main part (a renamed .docm declares a macro-enabled one and ships
  ``vbaProject.bin``), an .odt/.ods its ``mimetype`` member first and stored;
* an image's width x height is read from its header and capped before it is
  ever decoded (decompression bomb).

The result is a :class:`CheckedAttachment`: a safe file name (slugified, no
path, extension kept), the content type found by sniffing (never the
browser's), the size and the sha256. Errors are :class:`AttachmentError`, a
Django ``ValidationError`` (so a form's ``clean_`` method can let it through)
with a Dutch message that names the file but never repeats its content.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .desk_rules import AttachmentRules, rules

PDF, IMAGE, OOXML, ODF = "pdf", "image", "ooxml", "odf"
_MB = 1_048_576
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Format:
    """An attachment type: how it is named, what it contains and how it is recognised."""

    key: str
    label: Any  # str or lazy translation
    extensions: tuple[str, ...]
    content_type: str
    family: str  # PDF | IMAGE | OOXML | ODF
    main_part: str | None = None  # OOXML: the main part that must exist
    main_type: str | None = None  # OOXML: its content type; ODF: the mimetype member


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("pdf", "PDF", (".pdf",), "application/pdf", PDF),
        Format("png", "PNG", (".png",), "image/png", IMAGE),
        Format("jpeg", "JPEG", (".jpg", ".jpeg"), "image/jpeg", IMAGE),
        Format(
            "docx",
            gettext_lazy("Word (.docx)"),
            (".docx",),
            _OOXML + "wordprocessingml.document",
            OOXML,
            "word/document.xml",
            _OOXML + "wordprocessingml.document.main+xml",
        ),
        Format(
            "xlsx",
            gettext_lazy("Excel (.xlsx)"),
            (".xlsx",),
            _OOXML + "spreadsheetml.sheet",
            OOXML,
            "xl/workbook.xml",
            _OOXML + "spreadsheetml.sheet.main+xml",
        ),
        Format(
            "pptx",
            gettext_lazy("PowerPoint (.pptx)"),
            (".pptx",),
            _OOXML + "presentationml.presentation",
            OOXML,
            "ppt/presentation.xml",
            _OOXML + "presentationml.presentation.main+xml",
        ),
        Format(
            "odt",
            gettext_lazy("OpenDocument-tekst (.odt)"),
            (".odt",),
            _ODF + "text",
            ODF,
            "content.xml",
            _ODF + "text",
        ),
        Format(
            "ods",
            gettext_lazy("OpenDocument-rekenblad (.ods)"),
            (".ods",),
            _ODF + "spreadsheet",
            ODF,
            "content.xml",
            _ODF + "spreadsheet",
        ),
        Format(
            "odp",
            gettext_lazy("OpenDocument-presentatie (.odp)"),
            (".odp",),
            _ODF + "presentation",
            ODF,
            "content.xml",
            _ODF + "presentation",
        ),
    )
}

# Formats that can carry macros (VBA): refused whatever desk.yaml allows.
MACRO_EXTENSIONS = frozenset(
    {".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".xlsb", ".pptm", ".potm", ".ppsm", ".ppam"}
)
OLD_OFFICE_EXTENSIONS = frozenset({".doc", ".dot", ".xls", ".xlt", ".ppt", ".pot", ".pps"})

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
# OLE2 compound file: .doc/.xls/.ppt, and every password-protected Office file.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTENT_TYPES = "[Content_Types].xml"
_CONTENT_TYPES_MAX = 1 * _MB  # a few kilobytes in a real document
# Parts that hold macros or ActiveX code, in OOXML and ODF.
_MACRO_MEMBER = re.compile(
    r"(^|/)(vbaProject\.bin|vbaData\.xml)$|^(word|xl|ppt)/activeX/|^(Basic|Scripts)/[^/]+",
    re.IGNORECASE,
)


class AttachmentError(ValidationError):
    """An attachment that is refused; the message is Dutch and names no file content."""


@dataclass(frozen=True)
class CheckedAttachment:
    """An attachment that passed every check: store it under ``name``, serve it as
    ``content_type`` (with Content-Disposition: attachment)."""

    name: str  # safe: slugified, no path, lower-case extension kept
    content_type: str  # from sniffing, never from the browser
    size: int
    sha256: str
    kind: str  # a key of FORMATS


# --------------------------------------------------------------------------- names


def safe_file_name(name: str) -> str:
    """A file name safe to store and to put in a header: no path, ASCII slug, extension kept.

    ``C:\\Users\\Ans\\Offerte Groenplan ’t Ven (def).PDF`` -> ``offerte-groenplan-t-ven-def.pdf``.
    """
    base = re.split(r"[\\/]", str(name or ""))[-1].replace("\x00", "")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:10]
    stem = slugify(stem)[:80].strip("-_") or "bijlage"
    return f"{stem}.{ext}" if ext else stem


def allowed_formats(limits: AttachmentRules | None = None) -> list[Format]:
    limits = limits or rules().attachments
    return [FORMATS[key] for key in limits.allowed_types]


def allowed_types_text(limits: AttachmentRules | None = None) -> str:
    """ "PDF, PNG, JPEG, Word (.docx), ..." for the form's help text and the error message."""
    return ", ".join(str(f.label) for f in allowed_formats(limits))


def accept_attribute(limits: AttachmentRules | None = None) -> str:
    """The value of the file input's ``accept`` attribute (a hint; the server decides)."""
    return ",".join(ext for f in allowed_formats(limits) for ext in f.extensions)


# --------------------------------------------------------------------------- checks


def check_count(existing: int, adding: int = 1, *, limits: AttachmentRules | None = None) -> None:
    """Refuse when a question would get more than ``max_count`` attachments."""
    limits = limits or rules().attachments
    if existing + adding > limits.max_count:
        raise AttachmentError(
            ngettext(
                "U kunt bij een vraag hoogstens %(max)s bijlage voegen.",
                "U kunt bij een vraag hoogstens %(max)s bijlagen voegen.",
                limits.max_count,
            )
            % {"max": limits.max_count},
            code="too_many",
        )


def check_attachments(
    files: Sequence[Any],
    *,
    existing_count: int = 0,
    existing_bytes: int = 0,
    limits: AttachmentRules | None = None,
) -> list[CheckedAttachment]:
    """Check several uploads for one question: count and total size first, then each file.

    ``existing_count`` and ``existing_bytes`` are the attachments the question
    already has. All or nothing: the first refused file raises, so a caller
    that stores only after this returns never stores half a submission.
    """
    limits = limits or rules().attachments
    check_count(existing_count, len(files), limits=limits)
    declared = existing_bytes + sum(_declared_size(f) or 0 for f in files)
    _check_total(declared, limits)
    checked = [check_attachment(f, limits=limits) for f in files]
    _check_total(existing_bytes + sum(c.size for c in checked), limits)
    return checked


def check_attachment(
    upload: Any, name: str | None = None, *, limits: AttachmentRules | None = None
) -> CheckedAttachment:
    """Check one upload (a Django ``UploadedFile``, a binary file object, or bytes + name).

    A file object is left at position 0 afterwards, ready to be saved.
    """
    limits = limits or rules().attachments
    name = safe_file_name(name if name is not None else getattr(upload, "name", "") or "")
    fmt = _format_for_name(name, limits)
    declared = _declared_size(upload)
    if declared is not None:
        _check_size(name, declared, limits)
    stream = (
        io.BytesIO(bytes(upload)) if isinstance(upload, bytes | bytearray | memoryview) else upload
    )
    size, digest, head = _read(stream, name, limits)
    try:
        _check_content(stream, head, name, fmt, limits)
    finally:
        stream.seek(0)
    return CheckedAttachment(
        name=name, content_type=fmt.content_type, size=size, sha256=digest, kind=fmt.key
    )


def _format_for_name(name: str, limits: AttachmentRules) -> Format:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in MACRO_EXTENSIONS:
        raise AttachmentError(
            _(
                "%(name)s is een Office-bestand met macro's (%(ext)s); zulke bestanden nemen "
                "wij niet aan. Sla het op als PDF of als .docx, .xlsx of .pptx en voeg het "
                "opnieuw toe."
            )
            % {"name": name, "ext": suffix},
            code="macro",
        )
    if suffix in OLD_OFFICE_EXTENSIONS:
        raise _old_office(name)
    for fmt in allowed_formats(limits):
        if suffix in fmt.extensions:
            return fmt
    raise AttachmentError(
        _("%(name)s: dit bestandstype kunt u niet bijvoegen. Toegestaan zijn: %(types)s.")
        % {"name": name, "types": allowed_types_text(limits)},
        code="type_not_allowed",
    )


def _old_office(name: str) -> AttachmentError:
    return AttachmentError(
        _(
            "%(name)s is een oud Office-bestand (.doc, .xls, .ppt) of een Office-bestand met "
            "een wachtwoord. Zulke bestanden kunnen macro's bevatten en kunnen wij niet "
            "controleren. Sla het op als PDF of als .docx, .xlsx of .pptx zonder wachtwoord "
            "en voeg het opnieuw toe."
        )
        % {"name": name},
        code="old_office",
    )


def _declared_size(upload: Any) -> int | None:
    if isinstance(upload, bytes | bytearray | memoryview):
        return len(upload)
    size = getattr(upload, "size", None)
    return size if isinstance(size, int) and not isinstance(size, bool) else None


def _check_size(name: str, size: int, limits: AttachmentRules) -> None:
    if size > limits.max_bytes:
        raise AttachmentError(
            _("%(name)s is te groot (%(size)s MB); het maximum is %(max)s MB.")
            % {"name": name, "size": f"{size / _MB:.1f}", "max": f"{limits.max_bytes / _MB:.0f}"},
            code="too_large",
        )


def _check_total(total: int, limits: AttachmentRules) -> None:
    if total > limits.max_total_bytes:
        raise AttachmentError(
            _("De bijlagen zijn samen te groot (%(size)s MB); het maximum is %(max)s MB per vraag.")
            % {"size": f"{total / _MB:.1f}", "max": f"{limits.max_total_bytes / _MB:.0f}"},
            code="total_too_large",
        )


def _read(stream: IO[bytes], name: str, limits: AttachmentRules) -> tuple[int, str, bytes]:
    """Size, sha256 and first bytes, reading at most max_bytes + 1 bytes."""
    stream.seek(0)
    hasher = hashlib.sha256()
    size = 0
    head = b""
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        if not head:
            head = chunk[:16]
        size += len(chunk)
        if size > limits.max_bytes:
            _check_size(name, size, limits)
        hasher.update(chunk)
    if size == 0:
        raise AttachmentError(_("%(name)s is leeg.") % {"name": name}, code="empty")
    return size, hasher.hexdigest(), head


def _sniff(head: bytes) -> str | None:
    if head.startswith(_PDF_MAGIC):
        return "pdf"
    if head.startswith(_PNG_MAGIC):
        return "png"
    if head.startswith(_JPEG_MAGIC):
        return "jpeg"
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    return None


def _mismatch(name: str, fmt: Format) -> AttachmentError:
    return AttachmentError(
        _(
            "%(name)s is niet echt een bestand van het type %(kind)s: de inhoud past niet bij "
            "de extensie. Controleer of u het goede bestand kiest, of sla het opnieuw op als "
            "%(kind)s."
        )
        % {"name": name, "kind": fmt.label},
        code="mismatch",
    )


def _damaged(name: str) -> AttachmentError:
    return AttachmentError(
        _("%(name)s is beschadigd of onvolledig en kan niet gelezen worden.") % {"name": name},
        code="damaged",
    )


def _check_content(
    stream: IO[bytes], head: bytes, name: str, fmt: Format, limits: AttachmentRules
) -> None:
    found = _sniff(head)
    if found == "ole":
        raise _old_office(name)
    if fmt.family == PDF:
        if found != "pdf":
            raise _mismatch(name, fmt)
    elif fmt.family == IMAGE:
        if found != fmt.key:
            raise _mismatch(name, fmt)
        _check_image(stream, name, fmt, limits)
    else:
        if found != "zip":
            raise _mismatch(name, fmt)
        _check_office(stream, name, fmt, limits)


def _check_image(stream: IO[bytes], name: str, fmt: Format, limits: AttachmentRules) -> None:
    """Width x height from the header, capped before any pixel is decoded; then verify()."""
    from PIL import Image  # Pillow comes with WeasyPrint; only images need it

    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(stream, formats=[fmt.key.upper()]) as img:
                width, height = img.size
                if width * height > limits.max_image_pixels:
                    raise _too_many_pixels(name, limits)
                img.verify()
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(name, limits) from exc
    except AttachmentError:
        raise
    except Exception as exc:  # Pillow raises many types for a broken image
        raise _damaged(name) from exc


def _too_many_pixels(name: str, limits: AttachmentRules) -> AttachmentError:
    return AttachmentError(
        _(
            "%(name)s is een te grote afbeelding (meer dan %(max)s megapixel). Verklein de "
            "afbeelding en voeg haar opnieuw toe."
        )
        % {"name": name, "max": f"{limits.max_image_pixels / 1_000_000:.0f}"},
        code="too_many_pixels",
    )


# --------------------------------------------------------------------------- office files


def _unsafe(name: str) -> AttachmentError:
    return AttachmentError(
        _(
            "%(name)s bevat een ongeldige of onveilige naam van een onderdeel en wordt niet "
            "aangenomen."
        )
        % {"name": name},
        code="unsafe_member",
    )


def _check_member_names(infos: Iterable[zipfile.ZipInfo], name: str) -> None:
    """No traversal, absolute paths, drive letters, links, encryption or duplicate parts."""
    seen: set[str] = set()
    for info in infos:
        raw = info.filename
        if "\\" in raw or "\x00" in raw or raw.startswith("/") or re.match(r"^[A-Za-z]:", raw):
            raise _unsafe(name)
        parts = PurePosixPath(raw).parts
        if any(part == ".." for part in parts) or "//" in raw:
            raise _unsafe(name)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _unsafe(name)
        if info.flag_bits & 0x1:
            raise AttachmentError(
                _(
                    "%(name)s is beveiligd met een wachtwoord; dan kunnen wij het niet "
                    "controleren. Voeg het bestand zonder wachtwoord toe."
                )
                % {"name": name},
                code="encrypted",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged(name)
        key = raw.casefold()  # OOXML part names are case-insensitive
        if key in seen:
            raise _unsafe(name)
        seen.add(key)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, name: str) -> bytes:
    if info.file_size > cap:
        raise _damaged(name)
    with archive.open(info) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise _damaged(name)
    return data


def _check_office(stream: IO[bytes], name: str, fmt: Format, limits: AttachmentRules) -> None:
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _mismatch(name, fmt) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_zip_members:
            raise AttachmentError(
                _("%(name)s bevat te veel onderdelen (%(count)s) voor een document.")
                % {"name": name, "count": len(infos)},
                code="too_many_members",
            )
        _check_member_names(infos, name)
        unpacked = sum(info.file_size for info in infos)
        if unpacked > limits.max_unpacked_bytes:
            raise AttachmentError(
                _("%(name)s is uitgepakt te groot (%(size)s MB); het maximum is %(max)s MB.")
                % {
                    "name": name,
                    "size": f"{unpacked / _MB:.0f}",
                    "max": f"{limits.max_unpacked_bytes / _MB:.0f}",
                },
                code="unpacked_too_large",
            )
        if any(_MACRO_MEMBER.search(info.filename) for info in infos):
            raise AttachmentError(
                _(
                    "%(name)s bevat macro's; zulke bestanden nemen wij niet aan. Sla het op "
                    "als PDF of als bestand zonder macro's en voeg het opnieuw toe."
                )
                % {"name": name},
                code="macro",
            )
        try:
            if fmt.family == OOXML:
                _check_ooxml(archive, infos, name, fmt)
            else:
                _check_odf(archive, infos, name, fmt)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, expat.ExpatError) as exc:
            raise _damaged(name) from exc


def _check_ooxml(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, fmt: Format
) -> None:
    by_name = {info.filename: info for info in infos}
    info = by_name.get(_CONTENT_TYPES)
    if info is None or fmt.main_part not in by_name:
        raise _mismatch(name, fmt)
    overrides = _content_type_overrides(_read_member(archive, info, _CONTENT_TYPES_MAX, name))
    if any("macroenabled" in ct.casefold() for ct in overrides.values()):
        raise AttachmentError(
            _(
                "%(name)s is een Office-bestand met macro's dat een andere extensie heeft "
                "gekregen; zulke bestanden nemen wij niet aan. Sla het op als PDF of als .docx, "
                ".xlsx of .pptx en voeg het opnieuw toe."
            )
            % {"name": name},
            code="macro",
        )
    if overrides.get((fmt.main_part or "").casefold()) != fmt.main_type:
        raise _mismatch(name, fmt)


_CT_OVERRIDE = "http://schemas.openxmlformats.org/package/2006/content-types Override"


def _content_type_overrides(raw: bytes) -> dict[str, str]:
    """Part name (casefolded, no leading /) -> content type, from [Content_Types].xml.

    Read with expat and refused at the first DTD, entity declaration or external
    entity (whatever the document's encoding): the file needs none, and they are
    how XML parsers are made to expand or fetch things.
    """

    def refuse(*_args: Any) -> int:
        raise ValueError("DTD or entity in [Content_Types].xml")

    overrides: dict[str, str] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == _CT_OVERRIDE:
            part = (attrs.get("PartName") or "").lstrip("/").casefold()
            overrides[part] = attrs.get("ContentType") or ""

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.Parse(raw, True)
    return overrides


def _check_odf(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, fmt: Format
) -> None:
    first = infos[0] if infos else None
    if first is None or first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED:
        raise _mismatch(name, fmt)
    mimetype = _read_member(archive, first, 200, name).strip()
    if mimetype != (fmt.main_type or "").encode("ascii"):
        raise _mismatch(name, fmt)
    if fmt.main_part not in {info.filename for info in infos}:
        raise _mismatch(name, fmt)
