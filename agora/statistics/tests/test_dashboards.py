"""The staff dashboards, their refusals, the CSV exports, representativeness
(never a group of fewer than 10 people), the reference population, the public
figures and the page views."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agora.core.models import HomeBlock
from agora.spaces.models import Role
from agora.statistics import api as statistics
from agora.statistics import selectors, visits
from agora.statistics.models import DailyVisits, ReferencePopulation, StatisticsSettings
from agora.testing import factories


@pytest.fixture
def component(process):
    return factories.ComponentFactory(space=process, manifest_name="proposals")


@pytest.fixture
def district(organization):
    return factories.ScopeFactory(organization=organization, code="NORD", name={"fr": "Nord", "en": "North"})


def people(n, **profile):
    return [factories.UserFactory(**profile) for _ in range(n)]


def urls(component):
    space = component.space
    return [
        reverse("statistics_admin:organization"),
        reverse("statistics_admin:organization_export"),
        reverse("statistics_admin:space", args=[space.pk]),
        reverse("statistics_admin:space_export", args=[space.pk]),
        reverse("statistics_admin:representativeness", args=[space.pk]),
        reverse("statistics_admin:representativeness_export", args=[space.pk]),
        reverse("statistics_admin:component", args=[space.pk, component.pk]),
        reverse("statistics_admin:component_export", args=[space.pk, component.pk]),
    ]


def test_organization_admins_see_every_dashboard(client, org_admin, component, district):
    for person in people(12, age_bracket="18_24", gender="woman"):
        statistics.record(kind=statistics.IDEA, component=component, person=person, district_id=district.pk)
    client.force_login(org_admin)
    for url in urls(component):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("statistics_admin:space", args=[component.space.pk])).content.decode()
    assert "Nord" in page and "12" in page


def test_staff_without_the_right_are_refused(client, organization, component):
    moderator = factories.RoleFactory(space=component.space, name=Role.Name.MODERATOR).user
    factories.member_of(moderator, organization)
    other_space_admin = factories.RoleFactory(space=factories.SpaceFactory(organization=organization)).user
    factories.member_of(other_space_admin, organization)
    participant = factories.UserFactory()
    factories.member_of(participant, organization)
    for person in (moderator, other_space_admin, participant):
        client.force_login(person)
        for url in urls(component):
            assert client.get(url).status_code == 403, (person, url)
    client.logout()
    assert client.get(urls(component)[0]).status_code == 302  # to the login page


def test_space_admins_see_their_space_but_not_the_organization(client, organization, component):
    admin = factories.RoleFactory(space=component.space, name=Role.Name.SPACE_ADMIN).user
    factories.member_of(admin, organization)
    client.force_login(admin)
    assert client.get(reverse("statistics_admin:organization")).status_code == 403
    assert client.get(reverse("statistics_admin:reference")).status_code == 403
    assert client.post(reverse("statistics_admin:settings"), {"public_figures": "on"}).status_code == 403
    for url in urls(component)[2:]:
        assert client.get(url).status_code == 200, url
    assert not StatisticsSettings.objects.exists()


def test_the_csv_export_is_formula_guarded_and_hides_small_groups(client, org_admin, component, organization):
    evil = factories.ScopeFactory(organization=organization, code="EVIL", name={"fr": "=HYPERLINK(1)"})
    for person in people(3):
        statistics.record(kind=statistics.IDEA, component=component, person=person, district_id=evil.pk)
    client.force_login(org_admin)
    response = client.get(reverse("statistics_admin:space_export", args=[component.space.pk]))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "participants,all,3" in text
    assert "'=HYPERLINK(1),<10" in text


def test_groups_under_ten_are_never_shown(organization, component, district):
    south = factories.ScopeFactory(organization=organization, code="SUD", name={"fr": "Sud"})
    for person in people(15, age_bracket="25_34", gender="woman"):
        statistics.record(kind=statistics.IDEA, component=component, person=person, district_id=district.pk)
    for person in people(4, age_bracket="65_plus", gender="man"):
        statistics.record(kind=statistics.IDEA, component=component, person=person, district_id=south.pk)
    where = selectors.Where(organization, space=component.space)
    groups, _unknown = selectors.by_district(where)
    shown = {group.value: group.count for group in groups}
    # Sud has 4: hidden; then Nord would give it away (19 - 15): hidden with it.
    assert shown == {str(district.pk): None, str(south.pk): None}
    tables = {table.dimension: table for table in selectors.representativeness(where)}
    ages = {group.value: group.participants for group in tables["age_bracket"].groups}
    assert ages["65_plus"] is None and ages["25_34"] is None
    assert all(number is None or number >= 10 for number in ages.values())
    # Fewer than 10 participants in all: nothing at all.
    tiny = selectors.Where(organization, component=factories.ComponentFactory(space=component.space))
    assert all(group.participants is None for table in selectors.representativeness(tiny) for group in table.groups)


def test_the_index_compares_shares(organization, component):
    for person in people(30, gender="woman"):
        statistics.record(kind=statistics.BALLOT, component=component, person=person)
    for person in people(10, gender="man"):
        statistics.record(kind=statistics.BALLOT, component=component, person=person)
    for person in people(10):
        statistics.record(kind=statistics.BALLOT, component=component, person=person)
    ReferencePopulation.objects.create(organization=organization, dimension="gender", value="woman", population=500)
    ReferencePopulation.objects.create(organization=organization, dimension="gender", value="man", population=500)
    tables = {
        t.dimension: t for t in selectors.representativeness(selectors.Where(organization, space=component.space))
    }
    genders = {group.value: group for group in tables["gender"].groups}
    assert genders["woman"].participants == 30 and genders["woman"].index == pytest.approx(1.5)
    assert genders["man"].index == pytest.approx(0.5)
    assert tables["gender"].unanswered == 10 and tables["gender"].unanswered_share == pytest.approx(0.2)
    # Per channel: nobody voted on paper.
    paper = selectors.representativeness(selectors.Where(organization, space=component.space), channel="paper")
    assert all(group.participants is None for group in paper[2].groups)


def test_the_reference_population_is_entered_and_imported(client, org_admin, organization, district):
    client.force_login(org_admin)
    url = reverse("statistics_admin:reference")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {f"district__{district.pk}": "1200", "gender__woman": "5100", "age_bracket__18_24": "-3"}
    )
    assert response.status_code == 400 and not ReferencePopulation.objects.exists()
    response = client.post(url, {f"district__{district.pk}": "1200", "gender__woman": "5100"})
    assert response.status_code == 302
    assert ReferencePopulation.objects.get(dimension="district").value == str(district.pk)
    bad = SimpleUploadedFile("p.csv", b"dimension,value,population\ndistrict,NOPE,3\ngender,man,x\n")
    response = client.post(url, {"import": "1", "file": bad})
    assert response.status_code == 400
    assert "Ligne 2 : district inconnu." in response.content.decode().replace("\u00a0", " ")
    good = SimpleUploadedFile("p.csv", b"dimension;value;population\ndistrict;nord;1300\nage_bracket;65_plus;900\n")
    assert client.post(url, {"import": "1", "file": good}).status_code == 302
    figures = dict(ReferencePopulation.objects.values_list("value", "population"))
    assert figures == {str(district.pk): 1300, "woman": 5100, "65_plus": 900}


def test_public_figures_only_when_the_organization_chose_them(client, org_admin, organization, component):
    for person in people(3):
        statistics.record(kind=statistics.IDEA, component=component, person=person)
    HomeBlock.objects.create(organization=organization, kind="statistics.participation", position=1)
    assert "participation-figures-heading" not in client.get("/").content.decode()
    client.force_login(org_admin)
    assert client.post(reverse("statistics_admin:settings"), {"public_figures": "on"}).status_code == 302
    assert StatisticsSettings.objects.get(organization=organization).public_figures
    client.logout()
    page = client.get("/").content.decode()
    assert "participation-figures-heading" in page
    space_page = client.get(component.space.get_absolute_url()).content.decode()
    assert "space-figures-heading" in space_page


def test_page_views_are_counted_without_cookies(client, organization, process, settings):
    settings.AGORA_VISITS_FLUSH_SECONDS = 3600
    visits.forget()
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0"}
    client.get(process.get_absolute_url(), **browser)
    client.get(process.get_absolute_url(), HTTP_REFERER="http://testserver/", **browser)
    client.get("/", HTTP_USER_AGENT="Googlebot/2.1")
    client.get("/admin/", **browser)
    visits.flush()
    row = DailyVisits.objects.get(organization=organization, space_id=process.pk)
    assert (row.views, row.visits) == (2, 1)
    assert not DailyVisits.objects.filter(space_id=0).exists()
    assert client.cookies.get("sessionid") is None


def test_the_budget_funnel_goes_from_visits_to_voters_within_the_edition(client, org_admin, organization, component):
    """Visits of the space's pages and accounts created while it ran, then the people
    who filed ideas, supported and voted (people, not acts)."""
    from datetime import date, datetime
    from datetime import timezone as tz

    from agora.accounts.models import Membership

    space = component.space
    space.start_date, space.end_date = date(2026, 3, 1), date(2026, 6, 30)
    space.save(update_fields=["start_date", "end_date"])
    for day, number in (
        (date(2026, 2, 27), 1000),
        (date(2026, 3, 2), 120),
        (date(2026, 5, 5), 80),
        (date(2026, 7, 1), 9),
    ):
        DailyVisits.objects.create(
            organization=organization, space_id=space.pk, day=day, views=number * 3, visits=number
        )
    DailyVisits.objects.create(organization=organization, space_id=0, day=date(2026, 4, 1), views=500, visits=500)
    joined = people(5)
    for user, when in zip(
        joined,
        (
            datetime(2026, 2, 1),
            datetime(2026, 3, 10),
            datetime(2026, 4, 1),
            datetime(2026, 6, 30, 12),
            datetime(2026, 8, 1),
        ),
        strict=True,
    ):
        factories.member_of(user, organization)
        Membership.objects.filter(user=user, organization=organization).update(joined_at=when.replace(tzinfo=tz.utc))
    filers, supporters, voters = people(2), people(3), people(4)
    for person in filers:
        statistics.record(kind=statistics.IDEA, component=component, person=person)
        statistics.record(kind=statistics.IDEA, component=component, person=person)  # two ideas, one person
    for person in supporters + filers[:1]:
        statistics.record(kind=statistics.SUPPORT, component=component, person=person)
    for person in voters:
        statistics.record(kind=statistics.BALLOT, component=component, person=person)
    steps = {step.name: step.count for step in selectors.funnel(space)}
    assert steps == {"visits": 200, "accounts": 3, "idea": 2, "support": 4, "ballot": 4}
    client.force_login(org_admin)
    page = client.get(reverse("statistics_admin:space", args=[space.pk])).content.decode()
    assert 'id="funnel-heading"' in page


def test_contributions_over_time_are_grouped_by_monday_weeks(component):
    from datetime import date

    where = selectors.Where(component.space.organization, space=component.space)
    wednesday, sunday, next_monday = date(2026, 3, 4), date(2026, 3, 8), date(2026, 3, 9)
    first, second = people(2)
    statistics.record(kind=statistics.IDEA, component=component, person=first, day=wednesday)
    statistics.record(kind=statistics.SUPPORT, component=component, person=second, day=sunday)
    statistics.record(kind=statistics.SUPPORT, component=component, person=first, day=next_monday)
    weeks = selectors.over_time(where, by="week")
    assert [(week.start, week.contributions, week.newcomers) for week in weeks] == [
        (date(2026, 3, 2), {"idea": 1, "support": 1}, 2),
        (date(2026, 3, 9), {"support": 1}, 0),
    ]
    days = selectors.over_time(where, by="day")
    assert len(days) == 6 and days[0].start == wednesday and days[-1].start == next_monday
