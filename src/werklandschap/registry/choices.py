"""The registry's vocabularies, as the programme documents name them.

Park types follow the Ministry's letter on work locations (seed 003); swarm
roles and process phases follow the offer to partner parks (seed 001,
TABLES.md). Labels are the Dutch user-facing names.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParkType(models.TextChoices):
    REGULAR = "regular", _("Regulier bedrijventerrein")
    INDUSTRIAL_CLUSTER = "industrial_cluster", _("Industriecluster")
    CAMPUS = "campus", _("Campus")
    LOGISTICS = "logistics", _("Grootschalige logistiek (XXL)")


class SwarmRole(models.TextChoices):
    """Role of a park in the swarm (zwerm). ``NONE`` parks are in the registry only."""

    NONE = "none", _("Geen (nog niet aangesloten)")
    PARTNER = "partner", _("Partnerterrein")
    AMBASSADOR = "ambassador", _("Ambassadeursterrein")
    LIVING_LAB = "living_lab", _("Living lab")
    SHOWCASE = "showcase", _("Etalageterrein")


# Roles that count toward the programme's target of 1,000 parks in transition.
SWARM_MEMBER_ROLES = (
    SwarmRole.PARTNER,
    SwarmRole.AMBASSADOR,
    SwarmRole.LIVING_LAB,
    SwarmRole.SHOWCASE,
)


class ProcessPhase(models.IntegerChoices):
    """The process chain in which a green expert steps in (seed 001, section 4)."""

    AMBITION = 0, _("0 Ambitiefase")
    INITIATIVE = 1, _("1 Initiatieffase")
    PLAN_DEVELOPMENT = 2, _("2 Planontwikkeling")
    PLAN_ELABORATION = 3, _("3 Planuitwerking")
    PROJECT_PREPARATION = 4, _("4 Projectvoorbereiding")
    PROJECT_EXECUTION = 5, _("5 Projectuitvoering")
    PROJECT_TRANSFER = 6, _("6 Projectoverdracht")
    MAINTENANCE = 7, _("7 Beheerfase")


class OrganisationDegree(models.TextChoices):
    """How the entrepreneurs of a park are organised."""

    UNKNOWN = "unknown", _("Onbekend")
    NONE = "none", _("Niet georganiseerd")
    ENTREPRENEURS_ASSOCIATION = "association", _("Ondernemersvereniging")
    PARK_MANAGEMENT = "park_management", _("Parkmanagement")
    BIZ = "biz", _("Bedrijveninvesteringszone (BIZ)")


class OrganisationKind(models.TextChoices):
    PROGRAMME = "programme", _("Programmaorganisatie")
    COALITION_PARTNER = "coalition_partner", _("Coalitiepartner")
    REGIONAL_DIRECTOR = "regional_director", _("Regisseur")
    PROVINCE = "province", _("Provincie")
    MUNICIPALITY = "municipality", _("Gemeente")
    WATER_BOARD = "water_board", _("Waterschap")
    PARK_ASSOCIATION = "park_association", _("Parkorganisatie / ondernemersvereniging")
    OTHER = "other", _("Overig")
