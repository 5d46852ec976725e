"""The plan tool on a park's page: typed plans, saved scenarios, comparison (issue 18)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.concurrency import needs_postgres, race
from werklandschap.accounts.roles import Role
from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.model import Plan, evaluate
from werklandschap.measures.forms import PlanForm
from werklandschap.measures.models import Scenario
from werklandschap.measures.scenarios import ScenarioRefused, save_scenario
from werklandschap.portal.costs import situation

pytestmark = pytest.mark.django_db


def url(park, name="costs", **kwargs):
    return reverse(f"portal:{name}", kwargs={"slug": park.slug, **kwargs})


def typed(**quantities):
    data = {"horizon": "30", "rate": "2,25"}
    data.update({f"q-{k}": v for k, v in quantities.items()})
    return data


def test_a_typed_plan_is_computed_with_dutch_numbers(client, users, scanned, park):
    client.force_login(users[Role.PARK_CONTACT])
    page = client.get(url(park), typed(street_trees="12", flower_meadow="1.250"))
    assert page.status_code == 200
    context = page.context
    assert context["source"] == "edited"
    expected = evaluate(
        load_catalogue(),
        Plan(
            {"street_trees": 12.0, "flower_meadow": 1250.0}, horizon_years=30, discount_rate=0.0225
        ),
    )
    assert context["result"].npv == pytest.approx(expected.npv)
    assert "Nog niet opgeslagen" not in page.content.decode()  # the sentence is lower case
    assert "nog niet opgeslagen" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (typed(street_trees="-3"), "Vul 0 of meer in."),
        (typed(street_trees="twaalf"), "is geen getal"),
        (typed(street_trees="1e9"), "is geen getal"),
        (typed(street_trees="12") | {"horizon": "12,5"}, "Vul een heel aantal jaren in."),
        (typed(street_trees="12") | {"horizon": "500"}, "Vul hoogstens 100 in."),
        (typed(street_trees="12") | {"rate": "80"}, "Vul hoogstens 50 in."),
    ],
)
def test_bad_numbers_get_a_clear_message_and_no_figures(
    client, users, scanned, park, data, message
):
    client.force_login(users[Role.PARK_CONTACT])
    page = client.get(url(park), data)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert "result" not in page.context


def test_more_roof_than_the_park_has_is_refused_and_not_saved(client, users, scanned, park):
    roof = situation(scanned[0]).roof_area_m2
    assert roof and roof > 0
    client.force_login(users[Role.PARK_CONTACT])
    too_much = typed(green_roof_extensive=str(int(roof) + 1000))
    page = client.get(url(park), too_much)
    assert page.status_code == 400
    html = page.content.decode()
    assert "dakoppervlak" in html and "Verklein de hoeveelheden" in html
    saved = client.post(url(park, "costs-save"), too_much | {"name": "Te groot"})
    assert saved.status_code == 400
    assert not Scenario.objects.exists()


def test_save_open_and_replace_a_scenario(client, users, scanned, park):
    client.force_login(users[Role.PARK_CONTACT])
    response = client.post(url(park, "costs-save"), typed(street_trees="10") | {"name": "Bomen"})
    assert response.status_code == 302
    scenario = Scenario.objects.get()
    assert response["Location"].endswith(f"?scenario={scenario.pk}")
    assert scenario.quantities == {"street_trees": 10.0}
    assert scenario.saved_by == users[Role.PARK_CONTACT]
    assert scenario.catalogue_version == load_catalogue().version

    page = client.get(url(park), {"scenario": scenario.pk})
    assert page.context["source"] == "scenario"
    assert page.context["result"].npv == pytest.approx(
        evaluate(load_catalogue(), Plan({"street_trees": 10.0}, 30, 0.0225)).npv
    )
    # The same name again replaces it (one scenario, new quantities).
    client.post(url(park, "costs-save"), typed(street_trees="20") | {"name": "Bomen"})
    assert Scenario.objects.get().quantities == {"street_trees": 20.0}


def test_a_park_keeps_at_most_the_configured_number_of_scenarios(
    client, users, scanned, park, settings
):
    settings.COST_SCENARIOS_PER_PARK = 2
    client.force_login(users[Role.PARK_CONTACT])
    for name in ("A", "B"):
        client.post(url(park, "costs-save"), typed(street_trees="1") | {"name": name})
    refused = client.post(url(park, "costs-save"), typed(street_trees="1") | {"name": "C"})
    assert refused.status_code == 400
    assert (
        "al 2 scenario&#x27;s" in refused.content.decode()
        or "al 2 scenario's" in refused.content.decode()
    )
    assert sorted(Scenario.objects.values_list("name", flat=True)) == ["A", "B"]
    # Replacing an existing one still works at the limit.
    assert (
        client.post(url(park, "costs-save"), typed(street_trees="3") | {"name": "B"}).status_code
        == 302
    )


def test_who_may_save_and_delete(client, users, outsiders, scanned, park):
    data = typed(street_trees="5") | {"name": "Plan"}
    client.force_login(users[Role.PROVINCE_OFFICER])
    assert client.get(url(park)).status_code == 200  # reads
    assert client.post(url(park, "costs-save"), data).status_code == 403
    client.force_login(outsiders[Role.PARK_CONTACT])
    assert client.post(url(park, "costs-save"), data).status_code == 403
    assert not Scenario.objects.exists()
    client.force_login(users[Role.REGIONAL_DIRECTOR])
    assert client.post(url(park, "costs-save"), data).status_code == 302
    scenario = Scenario.objects.get()
    client.force_login(users[Role.PROVINCE_OFFICER])
    assert client.post(url(park, "costs-delete", pk=scenario.pk)).status_code == 403
    client.force_login(users[Role.PARK_CONTACT])
    assert client.post(url(park, "costs-delete", pk=scenario.pk)).status_code == 302
    assert not Scenario.objects.exists()


def test_another_parks_scenario_is_not_found_through_this_park(
    client, users, scanned, park, other_park
):
    form = PlanForm(typed(street_trees="5"), catalogue=load_catalogue(), situation=None)
    assert form.is_valid()
    theirs, _ = save_scenario(other_park, "Van hen", form, None)
    client.force_login(users[Role.PARK_CONTACT])
    assert client.get(url(park), {"scenario": theirs.pk}).status_code == 404
    assert client.post(url(park, "costs-delete", pk=theirs.pk)).status_code == 404
    assert client.get(url(park, "costs-compare"), {"a": theirs.pk}).status_code == 404
    assert Scenario.objects.filter(pk=theirs.pk).exists()


def test_compare_the_suggestion_with_a_scenario(client, users, scanned, park):
    client.force_login(users[Role.PARK_CONTACT])
    client.post(url(park, "costs-save"), typed(street_trees="10") | {"name": "Tien bomen"})
    scenario = Scenario.objects.get()
    page = client.get(url(park, "costs-compare"), {"a": "voorstel", "b": scenario.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Voorstel uit de nulmeting" in html and "Tien bomen" in html
    second = page.context["comparison"]["second"]["result"]
    assert second.npv == pytest.approx(
        evaluate(load_catalogue(), Plan({"street_trees": 10.0}, 30, 0.0225)).npv
    )
    rows = {r["measure"].key: r for r in page.context["comparison"]["measures"]}
    assert rows["street_trees"]["second"] == 10.0


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_last_allowed_scenario_at_once_leave_the_limit_intact(
    reference_data, park, settings
):
    needs_postgres()
    settings.COST_SCENARIOS_PER_PARK = 1
    catalogue = load_catalogue()

    def save(name):
        form = PlanForm(typed(street_trees="5"), catalogue=catalogue, situation=None)
        assert form.is_valid()
        return lambda: save_scenario(park, name, form, None)

    outcomes = race(save("Eerste"), save("Tweede"))
    assert sorted(isinstance(o, ScenarioRefused) for o in outcomes) == [False, True], outcomes
    assert Scenario.objects.filter(park=park).count() == 1


def test_a_changed_split_moves_money_between_parties_not_the_total(client, users, scanned, park):
    """The water board paying half of the trees' costs: the parties shift, the total stays."""
    client.force_login(users[Role.PARK_CONTACT])
    plain = client.get(url(park), typed(street_trees="10")).context["result"]
    split = {"ca-street_trees-municipality": "50", "ca-street_trees-water_board": "50"}
    page = client.get(url(park), typed(street_trees="10") | split)
    assert page.status_code == 200
    changed = page.context["result"]
    assert changed.npv == pytest.approx(plain.npv)
    expected = evaluate(
        load_catalogue(),
        Plan(
            {"street_trees": 10.0},
            30,
            0.0225,
            cost_allocation={"street_trees": {"municipality": 0.5, "water_board": 0.5}},
        ),
    )
    assert changed.parties["water_board"].pv_costs == pytest.approx(
        expected.parties["water_board"].pv_costs
    )
    assert changed.parties["water_board"].pv_costs > 0
    # Saved with the scenario and read back.
    client.post(url(park, "costs-save"), typed(street_trees="10") | split | {"name": "Gedeeld"})
    scenario = Scenario.objects.get()
    assert scenario.cost_allocation == {"street_trees": {"municipality": 0.5, "water_board": 0.5}}
    reopened = client.get(url(park), {"scenario": scenario.pk}).context["result"]
    assert reopened.parties["water_board"].pv_costs == pytest.approx(
        expected.parties["water_board"].pv_costs
    )


def test_a_split_that_does_not_add_up_is_refused_and_stays_editable(client, users, scanned, park):
    client.force_login(users[Role.PARK_CONTACT])
    page = client.get(url(park), typed(street_trees="10") | {"ca-street_trees-municipality": "90"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "telt op tot 90%, niet 100%" in html
    assert 'name="ca-street_trees-municipality"' in html


def test_the_shown_plan_downloads_as_pdf_and_xlsx(client, users, scanned, park, tmp_path):
    import io

    import openpyxl

    from tests.measures.test_plan_pdf import pdf_text

    client.force_login(users[Role.PROVINCE_OFFICER])  # reads, and may download
    query = typed(street_trees="10")
    pdf = client.get(url(park, "costs-pdf"), query)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content, tmp_path)
    assert "Straatbomen 10 stuk" in text and "Het terrein voor en na het plan" in text
    sheet = client.get(url(park, "costs-xlsx"), query)
    assert sheet.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    assert "Parameters" in book.sheetnames
    bad = client.get(url(park, "costs-xlsx"), typed(street_trees="-1"))
    assert bad.status_code == 400
