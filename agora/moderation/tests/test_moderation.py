import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from agora.accounts.models import Membership
from agora.actionlog.models import ActionLog
from agora.moderation import selectors, services
from agora.moderation.models import Moderation, ModerationSettings, Report
from agora.notifications.models import Notification, Preference
from agora.permissions import PermissionDenied, can
from agora.spaces.models import Role
from agora.testing import factories

from .conftest import make_participant
from .factories import moderated_item, post_in


def report_url(post):
    from agora.moderation.templatetags.moderation import report_url as url

    return url(post)


def test_report_through_the_form(client, post, participant, moderator, django_capture_on_commit_callbacks):
    client.force_login(participant)
    page = client.get(report_url(post))
    assert page.status_code == 200 and b'name="reason"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(report_url(post), {"reason": "offensive", "details": "Insultant"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.reporter == participant and report.moderation.report_count == 1
    assert ActionLog.objects.filter(verb="moderation.reported").count() == 1
    # the space's moderator is told
    told = Notification.objects.get(event="moderation.new_report")
    assert told.recipient == moderator and told.url == reverse("moderation_admin:item", args=[report.moderation_id])
    # a second time: said, not counted
    again = client.get(report_url(post))
    assert b'name="reason"' not in again.content
    with pytest.raises(ValidationError):
        services.report_content(actor=participant, obj=post, reason="spam")
    assert Report.objects.count() == 1


def test_report_form_keeps_input_on_errors(client, post, participant):
    client.force_login(participant)
    response = client.post(report_url(post), {"reason": "nonsense", "details": "Mes détails"})
    assert response.status_code == 200
    assert "Mes détails" in response.content.decode() and not Report.objects.exists()
    assert b"aria-describedby" in response.content


def test_one_report_per_person_is_a_database_constraint(post, participant):
    from django.db import IntegrityError, transaction

    services.report_content(actor=participant, obj=post, reason="spam")
    moderation = Moderation.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(moderation=moderation, reporter=participant, reason="other")


def test_reporting_is_refused_without_the_right(client, organization, post, participant):
    # anonymous: sent to the login page, nothing counted
    response = client.post(report_url(post), {"reason": "spam"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    # the author
    client.force_login(post.author)
    assert client.post(report_url(post), {"reason": "spam"}).status_code == 403
    # a blocked participant, someone who has not confirmed their e-mail
    blocked = make_participant(organization)
    Membership.objects.filter(user=blocked).update(blocked_at="2024-01-01T00:00Z")
    unconfirmed = factories.UserFactory(verified=False)
    factories.member_of(unconfirmed, organization)
    for person in (blocked, unconfirmed):
        client.force_login(person)
        assert client.post(report_url(post), {"reason": "spam"}).status_code == 403
    # content that is not reportable, of another organization, or not visible
    client.force_login(participant)
    assert client.get(reverse("moderation:report", args=[999999, post.pk])).status_code == 404
    elsewhere = post_in(factories.SpaceFactory(organization=factories.OrganizationFactory()))
    assert client.post(report_url(elsewhere), {"reason": "spam"}).status_code == 404
    draft = post_in(post.component.space)
    draft.published_at = None
    draft.save()
    assert client.post(report_url(draft), {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_content_is_hidden_after_the_threshold(organization, post):
    ModerationSettings.objects.create(organization=organization, hide_after_reports=2)
    services.report_content(actor=make_participant(organization), obj=post, reason="spam")
    assert not selectors.is_hidden(post)
    services.report_content(actor=make_participant(organization), obj=post, reason="spam")
    assert selectors.is_hidden(post)
    moderation = Moderation.objects.get()
    assert moderation.hidden_by == Moderation.HiddenBy.REPORTS
    assert ActionLog.objects.filter(verb="moderation.hidden_automatically").count() == 1


def test_threshold_zero_never_hides(organization, post):
    ModerationSettings.objects.create(organization=organization, hide_after_reports=0)
    for _ in range(4):
        services.report_content(actor=make_participant(organization), obj=post, reason="spam")
    assert not selectors.is_hidden(post)


def test_unhide_is_a_decision_reports_count_again_after_it(organization, post, moderator):
    ModerationSettings.objects.create(organization=organization, hide_after_reports=1)
    services.report_content(actor=make_participant(organization), obj=post, reason="spam")
    moderation = Moderation.objects.get()
    assert moderation.is_hidden
    services.unhide(actor=moderator, moderation=moderation)
    moderation.refresh_from_db()
    assert not moderation.is_hidden and moderation.pending_count == 0 and moderation.report_count == 1
    services.report_content(actor=make_participant(organization), obj=post, reason="spam")
    assert selectors.is_hidden(post)


def test_concurrent_counting_uses_the_locked_row(organization, post):
    """Counts are made on the locked row (select_for_update), so they equal
    the number of Report rows (see the PostgreSQL test for real parallelism)."""
    for _ in range(5):
        services.report_content(actor=make_participant(organization), obj=post, reason="spam")
    moderation = Moderation.objects.get()
    assert moderation.report_count == moderation.reports.count() == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_reports_are_not_double_counted():
    from django.db import connection

    from agora.components.news.models import Post
    from agora.moderation import registry
    from agora.testing.concurrency import in_parallel

    from .factories import PostAdapter

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    if not registry.is_reportable(Post):
        registry.register(Post, PostAdapter())
    organization = factories.OrganizationFactory(host="parallel.example.org")
    factories.TermsVersionFactory(organization=organization, version=1)
    ModerationSettings.objects.create(organization=organization, hide_after_reports=100)
    post = post_in(factories.SpaceFactory(organization=organization))
    people = [make_participant(organization) for _ in range(8)]
    outcomes = in_parallel(
        [lambda person=person: services.report_content(actor=person, obj=post, reason="spam") for person in people]
    )
    assert all(isinstance(outcome, Report) for outcome in outcomes), outcomes
    moderation = Moderation.objects.get(object_id=post.pk)
    assert moderation.report_count == moderation.pending_count == Report.objects.count() == 8


def test_hide_and_unhide_by_a_moderator(client, process, moderator):
    item = moderated_item(process)
    client.force_login(moderator)
    queue = client.get(reverse("moderation_admin:space_queue", args=[process.pk]))
    assert queue.status_code == 200 and item.excerpt in queue.content.decode()
    assert client.get(reverse("moderation_admin:item", args=[item.pk])).status_code == 200
    assert client.post(reverse("moderation_admin:hide", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.is_hidden and item.hidden_by == "moderator" and item.reviewed_by == moderator
    hidden = client.get(reverse("moderation_admin:space_queue", args=[process.pk]) + "?status=hidden")
    assert item.excerpt in hidden.content.decode()
    assert client.post(reverse("moderation_admin:unhide", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert not item.is_hidden
    verbs = list(ActionLog.objects.filter(verb__startswith="moderation.").values_list("verb", flat=True))
    assert sorted(verbs) == ["moderation.hidden", "moderation.unhidden"]


def test_hide_content_nobody_reported(process, moderator):
    post = post_in(process)
    services.hide_content(actor=moderator, obj=post)
    assert selectors.is_hidden(post)
    with pytest.raises(ValidationError):
        services.hide_content(actor=moderator, obj=post)


def test_only_that_space_s_moderators_and_admins_hide_or_unhide(client, organization, process, org_admin):
    item = moderated_item(process)
    hidden = moderated_item(process, hidden=True)
    other_space = factories.SpaceFactory(organization=organization)
    refused = {
        "participant": make_participant(organization),
        "moderator elsewhere": make_participant(organization),
        "collaborator": make_participant(organization),
        "evaluator": make_participant(organization),
        "other organization admin": make_participant(organization),
    }
    Role.objects.create(
        user=refused["moderator elsewhere"], organization=organization, space=other_space, name=Role.Name.MODERATOR
    )
    Role.objects.create(
        user=refused["collaborator"], organization=organization, space=process, name=Role.Name.COLLABORATOR
    )
    Role.objects.create(user=refused["evaluator"], organization=organization, space=process, name=Role.Name.EVALUATOR)
    other_org = factories.OrganizationFactory(host="elsewhere.example.org")
    Role.objects.create(
        user=refused["other organization admin"], organization=other_org, name=Role.Name.ORGANIZATION_ADMIN
    )
    for label, person in refused.items():
        with pytest.raises(PermissionDenied):
            services.hide(actor=person, moderation=item)
        with pytest.raises(PermissionDenied):
            services.unhide(actor=person, moderation=hidden)
        client.force_login(person)
        for name, target in (("hide", item), ("unhide", hidden), ("item", item)):
            response = client.post(reverse(f"moderation_admin:{name}", args=[target.pk]))
            assert response.status_code == 403, (label, name)
        assert client.get(reverse("moderation_admin:space_queue", args=[process.pk])).status_code == 403, label
        assert client.get(reverse("moderation_admin:queue")).status_code == 403, label
    client.logout()
    response = client.post(reverse("moderation_admin:hide", args=[item.pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    item.refresh_from_db()
    hidden.refresh_from_db()
    assert not item.is_hidden and hidden.is_hidden
    # space admins and organization admins may
    space_admin = make_participant(organization)
    Role.objects.create(user=space_admin, organization=organization, space=process, name=Role.Name.SPACE_ADMIN)
    services.hide(actor=space_admin, moderation=item)
    services.unhide(actor=org_admin, moderation=hidden)


def test_organization_queue_is_for_organization_admins(client, organization, process, org_admin, moderator):
    first = moderated_item(process)
    second = moderated_item(factories.SpaceFactory(organization=organization))
    client.force_login(org_admin)
    page = client.get(reverse("moderation_admin:queue")).content.decode()
    assert first.excerpt in page and second.excerpt in page
    client.force_login(moderator)
    assert client.get(reverse("moderation_admin:queue")).status_code == 403
    page = client.get(reverse("moderation_admin:space_queue", args=[process.pk])).content.decode()
    assert first.excerpt in page and second.excerpt not in page
    assert first.excerpt != second.excerpt
    # the item of another space is not theirs
    assert client.get(reverse("moderation_admin:item", args=[second.pk])).status_code == 403


def test_menu_and_tab(client, organization, process, org_admin, moderator):
    client.force_login(org_admin)
    page = client.get(reverse("backoffice:dashboard")).content.decode()
    assert reverse("moderation_admin:queue") in page and reverse("moderation_admin:settings") in page
    client.force_login(moderator)
    page = client.get(reverse("backoffice:space", args=[process.pk])).content.decode()
    assert reverse("moderation_admin:space_queue", args=[process.pk]) in page
    assert reverse("moderation_admin:settings") not in page


def test_block_and_unblock_with_a_message(client, organization, process, moderator, django_capture_on_commit_callbacks):
    item = moderated_item(process)
    author = item.author
    client.force_login(moderator)
    url = reverse("moderation_admin:block", args=[author.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": ""})
    assert response.status_code == 200 and not Membership.objects.get(user=author, organization=organization).blocked_at
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "Vos messages insultent d'autres participants."})
    assert response.status_code == 302
    membership = Membership.objects.get(user=author, organization=organization)
    assert membership.blocked_at
    assert mail.outbox[-1].to == [author.email]
    assert "Vos messages insultent d'autres participants." in mail.outbox[-1].body
    author.refresh_from_db()
    assert not can(author, "participate", organization)
    assert ActionLog.objects.filter(verb="moderation.participant_blocked").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("moderation_admin:unblock", args=[author.pk])).status_code == 302
    membership.refresh_from_db()
    assert membership.blocked_at is None
    assert ActionLog.objects.filter(verb="moderation.participant_unblocked").exists()


def test_blocking_is_refused_without_the_right(client, organization, process, org_admin, moderator):
    item = moderated_item(process)
    unrelated = make_participant(organization)  # nothing of theirs was reported
    other_moderator = make_participant(organization)
    Role.objects.create(
        user=other_moderator,
        organization=organization,
        space=factories.SpaceFactory(organization=organization),
        name=Role.Name.MODERATOR,
    )
    collaborator = make_participant(organization)
    Role.objects.create(user=collaborator, organization=organization, space=process, name=Role.Name.COLLABORATOR)
    participant = make_participant(organization)
    membership = Membership.objects.get(user=item.author, organization=organization)
    for person in (other_moderator, collaborator, participant):
        with pytest.raises(PermissionDenied):
            services.block_participant(actor=person, membership=membership, message="x")
        client.force_login(person)
        assert (
            client.post(reverse("moderation_admin:block", args=[item.author_id]), {"message": "x"}).status_code == 403
        )
        assert client.post(reverse("moderation_admin:unblock", args=[item.author_id])).status_code == 403
    # the space's moderator may not block someone unrelated to their space, nor an organization admin, nor themselves
    for target in (unrelated, org_admin, moderator):
        with pytest.raises(PermissionDenied):
            services.block_participant(
                actor=moderator, membership=Membership.objects.get(user=target, organization=organization), message="x"
            )
    assert not Membership.objects.filter(blocked_at__isnull=False).exists()
    # organization admins may block anyone but admins
    services.block_participant(
        actor=org_admin, membership=Membership.objects.get(user=unrelated, organization=organization), message="Spam"
    )
    client.force_login(org_admin)
    assert b"@" + unrelated.nickname.encode() in client.get(reverse("moderation_admin:blocked")).content
    response = client.get(reverse("moderation_admin:blocked") + f"?nickname={participant.nickname}")
    assert response.status_code == 302 and response["Location"] == reverse(
        "moderation_admin:block", args=[participant.pk]
    )


def test_settings_screen(client, organization, org_admin, moderator):
    url = reverse("moderation_admin:settings")
    client.force_login(org_admin)
    assert client.get(url).status_code == 200
    assert client.post(url, {"hide_after_reports": "-1"}).status_code == 200
    assert client.post(url, {"hide_after_reports": "5"}).status_code == 302
    assert ModerationSettings.objects.get(organization=organization).hide_after_reports == 5
    assert ActionLog.objects.filter(verb="moderation.settings_updated").exists()
    client.force_login(moderator)
    assert client.post(url, {"hide_after_reports": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.update_settings(actor=moderator, organization=organization, hide_after_reports=1)
    client.logout()
    assert client.post(url, {"hide_after_reports": "1"}).status_code == 302
    assert ModerationSettings.objects.get(organization=organization).hide_after_reports == 5


def test_moderators_are_notified_org_admins_when_the_space_has_none(
    organization, process, org_admin, django_capture_on_commit_callbacks
):
    post = post_in(process)
    Preference.objects.create(user=org_admin, organization=organization, email_frequency="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_content(actor=make_participant(organization), obj=post, reason="other", details="?")
    assert [message.to for message in mail.outbox] == [[org_admin.email]]
    assert list(Notification.objects.values_list("recipient", flat=True)) == [org_admin.pk]


def test_authors_are_told_when_their_contribution_is_hidden_and_shown_again(
    organization, process, moderator, django_capture_on_commit_callbacks
):
    post = post_in(process, title="Mon idée contestée")
    author = post.author
    # The author asked for no e-mail about anything they may mute: decisions still reach them.
    Preference.objects.create(
        user=author,
        organization=organization,
        email_frequency="immediate",
        muted_events=["moderation.content_hidden", "moderation.new_report"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        moderation = services.hide_content(actor=moderator, obj=post)
    told = Notification.objects.get(recipient=author)
    assert told.event == "moderation.content_hidden" and told.actor is None  # the moderator is not named
    assert told.url == post.get_absolute_url() and told.data["excerpt"] == "Mon idée contestée"
    assert [message.to for message in mail.outbox] == [[author.email]]
    assert "Mon idée contestée" in mail.outbox[0].body and moderator.name not in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.unhide(actor=moderator, moderation=moderation)
    assert list(Notification.objects.filter(recipient=author).order_by("pk").values_list("event", flat=True)) == [
        "moderation.content_hidden",
        "moderation.content_restored",
    ]


def test_authors_are_told_when_reports_hide_their_contribution(
    organization, process, moderator, django_capture_on_commit_callbacks
):
    ModerationSettings.objects.create(organization=organization, hide_after_reports=2)
    post = post_in(process)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_content(actor=make_participant(organization), obj=post, reason="spam")
    assert not Notification.objects.filter(recipient=post.author).exists()  # a report alone says nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.report_content(actor=make_participant(organization), obj=post, reason="spam")
    assert list(Notification.objects.filter(recipient=post.author).values_list("event", flat=True)) == [
        "moderation.content_hidden_by_reports"
    ]
    # Dismissing reports of visible content is no news for the author.
    moderation = Moderation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.unhide(actor=moderator, moderation=moderation)
    post2 = post_in(process)
    services.report_content(actor=make_participant(organization), obj=post2, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        services.unhide(actor=moderator, moderation=Moderation.objects.get(object_id=post2.pk))
    assert not Notification.objects.filter(recipient=post2.author).exists()


def test_decisions_about_ones_own_words_are_not_on_the_preferences_page(client, organization, participant):
    client.force_login(participant)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "moderation.content_hidden" not in html and "moderation.new_report" in html
