"""One "same park" rule for the park import and the sign-up (issue 16).

The match was written twice and had drifted: the import never matched a demo
park, the sign-up did, so a real sign-up drawn over a demo park was attached
to synthetic data that ``demo --reset`` deletes. Both now call
``registry.services.park_matching_outline``.
"""

from __future__ import annotations

import uuid

from shapely import affinity
from shapely.geometry import box

from tests.conftest import DELFT_BOX
from tests.partnership.conftest import signup
from werklandschap.partnership import services as partnership_services
from werklandschap.registry import importers
from werklandschap.registry import services as registry_services
from werklandschap.registry.models import Park
from werklandschap.registry.services import park_matching_outline


def _demo(park: Park) -> Park:
    park.is_demo = True
    park.save(update_fields=["is_demo"])
    return park


def test_a_redrawn_outline_matches_the_park_and_a_neighbour_does_not(park):
    redrawn = affinity.translate(box(*DELFT_BOX), 40, 0)
    assert park_matching_outline(redrawn)[0] == park
    neighbour = affinity.translate(box(*DELFT_BOX), 2000, 0)
    assert park_matching_outline(neighbour) == (None, 0.0)


def test_a_demo_park_is_never_matched(park):
    _demo(park)
    found, iou = park_matching_outline(box(*DELFT_BOX))
    assert found is None
    assert iou == 0.0


def test_a_sign_up_drawn_over_a_demo_park_proposes_a_new_park(park):
    _demo(park)
    outline = affinity.translate(box(*DELFT_BOX), 20, 0)
    application = partnership_services.submit_application(
        signup(None, proposed_name="Schieweg", outline=outline, outline_source="drawn"),
        idempotency_key=uuid.uuid4(),
    ).application
    assert application.park is None
    assert application.proposed_name == "Schieweg"


def test_import_and_sign_up_share_the_rule():
    assert not hasattr(importers, "_iou")
    assert not hasattr(partnership_services, "_iou")
    assert partnership_services.park_matching_outline is registry_services.park_matching_outline
    assert importers.MATCH_MIN_IOU is registry_services.MATCH_MIN_IOU
