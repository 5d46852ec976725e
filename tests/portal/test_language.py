"""The dashboard, its charts, the downloads and the sign-up mails in the reader's language.

Issue 16 ("English is half done"): on /en/ indicator names, land-cover classes and
legends stayed Dutch, "102.7 ha" stood beside "14,8 %", the CSV's method column was
English in a Dutch file and links in mails dropped the language. Rendered on a real
scan (the ``scanned`` fixture), read as a person reads the page: its visible text.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from werklandschap.accounts.roles import Role
from werklandschap.lib.numbers import format_number, join_unit, percent
from werklandschap.portal import presentation as fmt
from werklandschap.scanengine import config as engine_config
from werklandschap.scanengine.catalog import INDICATORS

pytestmark = pytest.mark.django_db

INLINE = {"strong", "span", "em", "b", "i", "a", "abbr", "code", "small", "time", "label"}
HIDDEN = {"script", "style", "template", "title"}


class _Text(HTMLParser):
    """The text a reader sees: no markup, scripts or JSON; block elements apart."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        elif tag not in INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden -= 1
        elif tag not in INLINE:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parts for parts in parser.parts)).replace("\u00a0", " ")


def chart_texts(html: str) -> str:
    """The text drawn in the page's SVG charts (data: URIs of <img>)."""
    out = []
    for b64 in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html):
        svg = base64.b64decode(b64).decode("utf-8")
        out.extend(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    return " | ".join(out).replace("\u00a0", " ")


def dashboard(client, user, park, lang: str) -> str:
    client.force_login(user)
    with translation.override(lang):
        url = reverse("portal:dashboard", kwargs={"slug": park.slug})
    assert url.startswith("/en/") == (lang == "en")
    r = client.get(url)
    assert r.status_code == 200
    return r.content.decode()


def _differing(pairs):
    """(nl, en) label pairs where the two languages differ ('Water' is both)."""
    return [(nl, en) for nl, en in pairs if nl and en and nl != en]


def class_label_pairs():
    classes = engine_config.load("classes")["classes"]
    pet = engine_config.load("heat")["pet_classes"]["classes"]
    return _differing(
        [(c["label_nl"], c.get("label_en")) for c in classes.values()]
        + [(c["label_nl"], c.get("label_en")) for c in pet]
    )


def indicator_label_pairs():
    return _differing([(i.label_nl, i.label_en) for i in INDICATORS.values()])


def test_every_class_has_an_english_label():
    classes = engine_config.load("classes")["classes"]
    assert all(c.get("label_en") for c in classes.values())
    assert all(c.get("label_en") for c in engine_config.load("heat")["pet_classes"]["classes"])
    assert all(i.method_nl and i.method_nl != i.method for i in INDICATORS.values())


def test_english_dashboard_has_no_dutch_labels_and_dutch_none_english(client, users, park, scanned):
    contact = users[Role.PARK_CONTACT]
    en = dashboard(client, contact, park, "en")
    nl = dashboard(client, contact, park, "nl")
    en_text, nl_text = visible_text(en), visible_text(nl)
    # the page really lists classes and indicators (a test of an empty page proves nothing)
    assert "Built (buildings)" in en_text and "Bebouwd (pand)" in nl_text
    assert "strong heat stress (PET 35-41 °C)" in en_text
    assert INDICATORS["green_share_pct"].label_en in en_text
    for nl_label, en_label in class_label_pairs():
        assert nl_label not in en_text, nl_label
        assert en_label not in nl_text, en_label
    for nl_label, en_label in indicator_label_pairs():
        assert nl_label not in en_text, nl_label
        assert en_label not in nl_text, en_label
    # the map's class names come from the legend the page rendered in its language
    config = re.search(r'id="park-dashboard-map-config"[^>]*>(.*?)</script>', en, re.S).group(1)
    assert '"Built (buildings)"' in config and "Bebouwd" not in config
    # the charts are drawn in the page's language too
    en_charts, nl_charts = chart_texts(en), chart_texts(nl)
    assert fmt.theme_label("water") not in en_charts
    for nl_label, en_label in indicator_label_pairs():
        assert nl_label not in en_charts, nl_label
        assert en_label not in nl_charts, en_label


def test_landcover_geojson_is_language_free(client, users, park, scanned):
    """One cached body serves both pages: class keys, never a Dutch or English name."""
    client.force_login(users[Role.PARK_CONTACT])
    with translation.override("en"):
        url = reverse("portal:landcover", kwargs={"slug": park.slug})
    body = client.get(url).json()
    props = body["features"][0]["properties"]
    assert "label" not in props and props["class"] in fmt.CLASS_COLOURS


@pytest.mark.parametrize(
    ("lang", "share", "thousands", "small", "minus_zero"),
    [
        ("nl", "14,8\u00a0%", "6.415\u00a0m³", "0,57", "0,0"),
        ("en", "14.8%", "6,415\u00a0m³", "0.57", "0.0"),
    ],
)
def test_number_format_follows_the_language(lang, share, thousands, small, minus_zero):
    with translation.override(lang):
        assert fmt.with_unit(14.8, "%") == share == percent(14.8)
        assert fmt.with_unit(6415.2, "m3") == thousands
        assert fmt.number(0.565, 2) == small  # half up, like floatformat
        assert fmt.number(-0.01, 1) == minus_zero
        assert fmt.number(1234567.891, 1) == format_number(1234567.891, 1, lang=lang)
        assert fmt.with_unit(None, "%") == "–"
    assert format_number(1234.5, 1, lang="nl") == "1.234,5"
    assert format_number(1234.5, 1, lang="en") == "1,234.5"
    assert join_unit("12", "m²", lang="en") == "12\u00a0m²"


def test_dashboard_numbers_follow_the_language(client, users, park, scanned):
    scan, _other = scanned
    contact = users[Role.PARK_CONTACT]
    green = scan.indicators["green_share_pct"]["value"]
    roof = scan.indicators["roof_area_m2"]["value"]
    assert roof >= 1000  # the scan has a figure with thousands
    for lang in ("nl", "en"):
        body = dashboard(client, contact, park, lang)
        text = visible_text(body)
        with translation.override(lang):
            assert fmt.percent(green).replace("\u00a0", " ") in text
            assert fmt.with_unit(roof, "m2", "roof_area_m2").replace("\u00a0", " ") in text
            area = format_number(float(park.gross_area_ha), 1)
            assert f"{area} ha" in text
            # chart labels: the theme scores and the ambitions drawn with the same function
            charts = chart_texts(body)
            assert fmt.value_text(green, "%") in charts
    en_text = visible_text(dashboard(client, contact, park, "en"))
    nl_text = visible_text(dashboard(client, contact, park, "nl"))
    assert re.search(r"\d+\.\d %", en_text) is None  # never '16.6 %' on the English page
    assert re.search(r"\d+,\d%", nl_text.replace("% van", "")) is None  # never '16,6%'


def _csv(client, user, park, lang):
    client.force_login(user)
    with translation.override(lang):
        url = reverse("portal:csv", kwargs={"slug": park.slug})
    return client.get(url).content.decode("utf-8").lstrip("\ufeff")


def test_csv_follows_the_page_language(client, users, park, scanned):
    scan, _other = scanned
    contact = users[Role.PARK_CONTACT]
    nl_rows = list(csv.reader(io.StringIO(_csv(client, contact, park, "nl")), delimiter=";"))
    en_rows = list(csv.reader(io.StringIO(_csv(client, contact, park, "en")), delimiter=","))
    nl = {r[0]: r for r in nl_rows[1:] if r and not r[0].startswith("#")}
    en = {r[0]: r for r in en_rows[1:] if r and not r[0].startswith("#")}
    assert set(nl) == set(en) == set(scan.indicators)
    for key, row in nl.items():
        ind = INDICATORS[key]
        assert row[1] == ind.label_nl and en[key][1] == ind.label_en, key
        # the method column in the file's language (Dutch by default): the catalogue's
        # Dutch, or the Dutch wording of a method the engine words per scan
        stored = scan.indicators[key]["method"]
        assert en[key][8] == stored, key
        assert row[8] != stored and row[8], key
        if stored == ind.method:
            assert row[8] == ind.method_nl, key
        value = scan.indicators[key]["value"] if scan.indicators[key]["status"] == "ok" else None
        if value is not None:
            assert float(row[3].replace(",", ".")) == value
            assert float(en[key][3]) == value  # decimal point, ',' separates fields
            assert "," not in en[key][3]


def test_xlsx_and_geojson_follow_the_page_language(client, users, park, scanned):
    import json

    import openpyxl

    contact = users[Role.PARK_CONTACT]
    client.force_login(contact)
    with translation.override("en"):
        xlsx = client.get(reverse("portal:xlsx", kwargs={"slug": park.slug})).content
        geo = client.get(reverse("portal:geojson", kwargs={"slug": park.slug})).content
    wb = openpyxl.load_workbook(io.BytesIO(xlsx), data_only=True)
    rows = {r[0]: r for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert rows["green_share_pct"][8] == INDICATORS["green_share_pct"].method
    assert rows["green_share_pct"][1] == INDICATORS["green_share_pct"].label_en
    features = json.loads(geo)["features"][1:]
    names = {f["properties"]["klasse"]: f["properties"]["omschrijving"] for f in features}
    with translation.override("en"):
        assert names == {k: fmt.class_labels()[k] for k in names}
    assert "Bebouwd (pand)" not in names.values()


# --------------------------------------------------------------------------- e-mails


def test_confirmation_mail_keeps_the_language_of_the_form(settings):
    """Mailed from the applicant's own request: the text and the link in that language."""
    from werklandschap.partnership import emails

    assert emails.mail_language("en") == "en"
    assert emails.mail_language("en-gb") == "en"
    assert emails.mail_language("fr") == settings.LANGUAGE_CODE
    assert emails.mail_language(None) == settings.LANGUAGE_CODE
    with translation.override("nl"):  # a Dutch reviewer's request
        link = emails.language_link("https://x.test", "partnership:confirm", "en", token="abc")
    assert link.startswith("https://x.test/en/")
    with translation.override("en"):
        link = emails.language_link("https://x.test", "partnership:confirm", "nl", token="abc")
    assert link.startswith("https://x.test/") and "/en/" not in link


def test_signing_up_on_the_english_form_mails_an_english_link(
    client, park, django_capture_on_commit_callbacks
):
    """The confirmation mail of an English sign-up is English and its link opens /en/."""
    from tests.partnership.conftest import form_data

    with translation.override("en"):
        url = reverse("partnership:signup")
    assert url.startswith("/en/")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, form_data(park))
    assert r.status_code == 302, r.content.decode()[:2000]
    (message,) = [m for m in mail.outbox if "sam@parkschieweg.example" in m.to]
    links = re.findall(r"https?://\S+", message.body)
    assert links and all("/en/" in link for link in links), message.body
    # and the text around the link in the language of the form (was always Dutch)
    assert message.body.startswith("Dear"), message.body[:200]
