"""What the API returns, field by field (lowerCamelCase names; drf-spectacular reads these
for the OpenAPI document, schemathesis checks the answers against it).

Only public fields of a park: the same as its public page and the registry's map data
(name, areas, type, role, phase, area, outline). Never contacts, history or ambitions.
"""

from __future__ import annotations

from rest_framework import serializers


class GeometrySerializer(serializers.Serializer):
    """A GeoJSON geometry (RFC 7946) in WGS84: longitude, latitude."""

    type = serializers.CharField()
    coordinates = serializers.ListField(child=serializers.JSONField())


class ParkSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    municipality = serializers.CharField(allow_null=True)
    province = serializers.CharField(allow_null=True, help_text="CBS-code, bijv. PV24")
    provinceName = serializers.CharField(allow_null=True)
    region = serializers.CharField(allow_null=True, help_text="korte naam van de regio")
    regionName = serializers.CharField(allow_null=True)
    parkType = serializers.CharField()
    parkTypeLabel = serializers.CharField()
    role = serializers.CharField()
    roleLabel = serializers.CharField()
    phase = serializers.IntegerField(allow_null=True, min_value=0, max_value=7)
    phaseLabel = serializers.CharField(allow_null=True)
    areaHa = serializers.FloatField(allow_null=True)
    isDemo = serializers.BooleanField()
    url = serializers.CharField(help_text="de openbare pagina van het terrein")
    point = serializers.ListField(
        child=serializers.FloatField(), allow_null=True, help_text="[lengtegraad, breedtegraad]"
    )
    geometry = GeometrySerializer(allow_null=True)


class IndicatorValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    theme = serializers.CharField()
    unit = serializers.CharField(allow_null=True)
    value = serializers.FloatField(allow_null=True)
    available = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)


class ThemeScoreSerializer(serializers.Serializer):
    theme = serializers.CharField()
    label = serializers.CharField()
    score = serializers.FloatField(allow_null=True)


class ScanSummarySerializer(serializers.Serializer):
    park = serializers.CharField()
    scanned = serializers.BooleanField()
    computedAt = serializers.DateTimeField(allow_null=True)
    bundle = serializers.CharField(allow_null=True)
    synthetic = serializers.BooleanField(allow_null=True)
    scores = ThemeScoreSerializer(many=True)
    indicators = IndicatorValueSerializer(many=True)


class FullIndicatorSerializer(IndicatorValueSerializer):
    explanation = serializers.CharField(allow_blank=True)
    method = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_blank=True)


class FullScanSerializer(ScanSummarySerializer):
    engineVersion = serializers.CharField(allow_null=True)
    completeness = serializers.CharField(allow_null=True)
    completenessReason = serializers.CharField(allow_null=True, allow_blank=True)
    indicators = FullIndicatorSerializer(many=True)


class TargetSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField()
    unit = serializers.CharField(allow_blank=True)
    targetYear = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    inSwarm = serializers.IntegerField()
    target = serializers.IntegerField()
    percent = serializers.FloatField()
    byRole = serializers.DictField(child=serializers.IntegerField())
    includesDemo = serializers.BooleanField()
    targets = TargetSerializer(many=True)


class CountSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    count = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    parks = serializers.IntegerField()
    inSwarm = serializers.IntegerField()
    byRole = CountSerializer(many=True)
    byProvince = CountSerializer(many=True)
    byRegion = CountSerializer(many=True)
    byPhase = CountSerializer(many=True)
    byParkType = CountSerializer(many=True)
    scannedParks = serializers.IntegerField()


class RangeSerializer(serializers.Serializer):
    low = serializers.FloatField()
    expected = serializers.FloatField()
    high = serializers.FloatField()
    source = serializers.CharField(help_text="de bron van het getal, in het Engels")
    sourceNl = serializers.CharField(help_text="dezelfde brontekst in het Nederlands")
    assumption = serializers.BooleanField()


class MeasureSerializer(serializers.Serializer):
    key = serializers.CharField()
    nameNl = serializers.CharField()
    nameEn = serializers.CharField()
    descriptionNl = serializers.CharField()
    descriptionEn = serializers.CharField()
    unit = serializers.CharField()
    location = serializers.CharField()
    effort = serializers.CharField()
    themes = serializers.ListField(child=serializers.CharField())
    investment = RangeSerializer()
    maintenance = RangeSerializer()
    lifetime = RangeSerializer()
    replacement = RangeSerializer()
    effects = serializers.DictField(child=RangeSerializer())
    benefits = serializers.DictField(child=RangeSerializer())
    costAllocation = serializers.DictField(child=serializers.FloatField())
    costAllocationSource = serializers.CharField(allow_blank=True)
    costAllocationSourceNl = serializers.CharField(allow_blank=True)


class BenefitCategorySerializer(serializers.Serializer):
    key = serializers.CharField()
    nameNl = serializers.CharField()
    nameEn = serializers.CharField()
    allocation = serializers.DictField(child=serializers.FloatField())
    source = serializers.CharField()
    sourceNl = serializers.CharField()
    assumption = serializers.BooleanField()


class MeasuresCatalogueSerializer(serializers.Serializer):
    version = serializers.CharField()
    priceYear = serializers.IntegerField()
    priceBasis = serializers.CharField(allow_blank=True)
    priceBasisNl = serializers.CharField(allow_blank=True)
    discountRate = RangeSerializer()
    horizonYears = serializers.IntegerField()
    horizonSource = serializers.CharField(allow_blank=True)
    horizonSourceNl = serializers.CharField(allow_blank=True)
    benefitCategories = BenefitCategorySerializer(many=True)
    measures = MeasureSerializer(many=True)


class QuestionSerializer(serializers.Serializer):
    """A support question as its director sees it in a list; no asker's name or address."""

    reference = serializers.CharField()
    status = serializers.CharField()
    statusLabel = serializers.CharField()
    level = serializers.CharField()
    title = serializers.CharField()
    park = serializers.CharField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    theme = serializers.CharField(allow_null=True)
    createdAt = serializers.DateTimeField()
    dueOn = serializers.DateField(allow_null=True)
    closedAt = serializers.DateTimeField(allow_null=True)


class DownloadSerializer(serializers.Serializer):
    name = serializers.CharField()
    format = serializers.CharField()
    mediaType = serializers.CharField()
    url = serializers.CharField()
    bytes = serializers.IntegerField(allow_null=True)


class OpenDataSerializer(serializers.Serializer):
    generatedAt = serializers.DateTimeField(allow_null=True)
    licence = serializers.CharField()
    licenceUrl = serializers.CharField()
    parks = serializers.IntegerField(allow_null=True)
    downloads = DownloadSerializer(many=True)


class LinkSerializer(serializers.Serializer):
    href = serializers.CharField()


class PageLinksSerializer(serializers.Serializer):
    self = LinkSerializer()
    first = LinkSerializer()
    last = LinkSerializer()
    prev = LinkSerializer(required=False)
    next = LinkSerializer(required=False)


def paginated(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """The page wrapper of ``base.Pagination`` around ``item`` (for the OpenAPI document)."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "_links": PageLinksSerializer(),
            "totalCount": serializers.IntegerField(min_value=0),
            "page": serializers.IntegerField(min_value=1),
            "pageSize": serializers.IntegerField(min_value=1),
            "results": item(many=True),
        },
    )


ParkPageSerializer = paginated(ParkSerializer, "ParkPageSerializer")
QuestionPageSerializer = paginated(QuestionSerializer, "QuestionPageSerializer")


class EventSerializer(serializers.Serializer):
    """A published (or cancelled) event as its public page shows it: never the online
    link (for registered participants only) nor who registered or organises it."""

    id = serializers.UUIDField()
    title = serializers.CharField()
    kind = serializers.CharField()
    kindLabel = serializers.CharField()
    status = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    startsAt = serializers.DateTimeField()
    endsAt = serializers.DateTimeField()
    location = serializers.CharField(allow_blank=True)
    online = serializers.BooleanField()
    community = serializers.CharField()
    region = serializers.CharField(allow_null=True)
    capacity = serializers.IntegerField()
    freePlaces = serializers.IntegerField()
    isDemo = serializers.BooleanField()
    url = serializers.CharField()


class InnovationEntrySerializer(serializers.Serializer):
    """A published entry of the innovation database; never who submitted it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    body = serializers.CharField(help_text="Markdown")
    lessons = serializers.CharField(allow_blank=True)
    kind = serializers.CharField()
    themes = serializers.ListField(child=serializers.CharField())
    directions = serializers.ListField(child=serializers.CharField())
    scale = serializers.CharField()
    origin = serializers.CharField()
    park = serializers.CharField(allow_null=True)
    measures = serializers.ListField(child=serializers.CharField())
    costIndication = serializers.CharField(allow_blank=True)
    evidence = serializers.CharField()
    contactOrganisation = serializers.CharField(allow_null=True)
    startedOn = serializers.DateField(allow_null=True)
    finishedOn = serializers.DateField(allow_null=True)
    publishedAt = serializers.DateTimeField(allow_null=True)
    synthetic = serializers.BooleanField()
    url = serializers.CharField()


EventPageSerializer = paginated(EventSerializer, "EventPageSerializer")
InnovationEntryPageSerializer = paginated(
    InnovationEntrySerializer, "InnovationEntryPageSerializer"
)
