"""The demo city, loaded once for the module (agora.testing.demo: each test's
writes are rolled back); loading it into an empty database: test_loading.py."""

from django.core.management import call_command

from agora.components.models import Component
from agora.core.models import Organization
from agora.spaces.models import Space


def test_demo_home_page_in_french_and_english(client, demo):
    call_command("load_demo", host="testserver")  # already there: the command leaves it as it is
    html = client.get("/").content.decode()
    assert "Budget participatif 2026" in html and "Dépôt des idées" in html
    client.cookies["agora_language"] = "en"
    html = client.get("/").content.decode()
    assert "Participatory budget 2026" in html and "Filing ideas" in html
    process = client.get("/processes/budget-participatif-2026/").content.decode()
    assert "Feasibility study" in process


def test_demo_home_page_is_composed_from_blocks(client, demo):
    from agora.core.models import HomeBlock

    assert list(HomeBlock.objects.values_list("kind", flat=True)) == [
        "hero",
        "budgets.vote_open",
        "spaces.open_processes",
        "statistics.participation",
        "meetings.upcoming",
        "news.latest",
        "text",
    ]
    hero = HomeBlock.objects.get(kind="hero")
    assert hero.image and hero.image_variants["sizes"] and hero.settings["image_alt"]["en"]
    html = client.get("/").content.decode()
    assert "vous qui décidez</h1>" in html and "Voir toutes les démarches" in html
    assert "Belleville participe" in html and "Comment participer ?" in html and "Dernières actualités" in html
    assert "Venez en parler" in html and html.index("Venez en parler") < html.index("Dernières actualités")
    # The vote of 2026 opens in its "Vote" phase, months away: the banner waits for it.
    assert "Le vote est ouvert" not in html


def test_every_demo_component_has_content_and_its_page_opens(client, demo):
    from agora.comments.models import Comment
    from agora.components.models import Component
    from agora.components.proposals.models import Proposal

    components = list(Component.objects.select_related("space"))
    assert {"pages", "news", "proposals", "budgets", "accountability"} <= {c.manifest_name for c in components}
    for component in components:
        response = client.get(component.get_absolute_url())
        assert response.status_code == 200, (component.manifest_name, response.status_code)
    idea = Proposal.objects.published().first()
    assert idea is not None and client.get(idea.get_absolute_url()).status_code == 200
    assert Comment.objects.exists()


# --- what the walk through the demo found wrong (issue 14, item 7) --------------------------


def test_the_2025_edition_has_a_counted_published_result_and_its_follow_up_holds_exactly_its_winners(demo):
    from agora.components.accountability.models import Result
    from agora.components.budgets.counting import count
    from agora.components.budgets.models import Ballot, Budget

    budget = Budget.objects.get(component__space__slug="budget-participatif-2025")
    assert budget.results_published and budget.result["selected"]
    # Real ballots, online and on paper, and a result the count gives again.
    ballots = Ballot.objects.filter(budget=budget)
    assert budget.result["ballots"] == ballots.count() > 20
    assert {Ballot.Channel.ONLINE, Ballot.Channel.PAPER} <= set(ballots.values_list("channel", flat=True))
    assert count(budget)["selected"] == budget.result["selected"]
    winners = {int(pk) for pk in budget.result["selected"]}
    assert set(budget.winner_ids()) == winners
    assert budget.projects.exclude(pk__in=winners).exists()
    # Published twice: the court excluded by a public decision, the mural in its place.
    court = budget.projects.get(title__fr="Un terrain de basket rénové")
    mural = budget.projects.get(title__fr="Une fresque sur le mur du gymnase")
    assert court.pk not in winners and mural.pk in winners
    assert budget.result["excluded"] == [str(court.pk)] and budget.result["incompatibilities"]
    # The follow-up: one top-level result per winner, linked to it; the court's
    # result stays, flagged "no longer selected".
    from agora.components.accountability import links

    results = list(Result.objects.filter(component__space__slug="budget-participatif-2025", parent=None))
    links.mark_sources(results)
    linked = {project_id: result for result in results for project_id in result.projects.values_list("pk", flat=True)}
    assert set(linked) == winners | {court.pk} and len(results) == len(winners) + 1
    assert linked[court.pk].source_state == links.DROPPED
    assert all(linked[pk].source_state is None for pk in winners)


def test_the_2025_results_page_tells_the_story_and_offers_the_ballots(client, demo):
    import io
    import json
    import tempfile

    from django.core.management import call_command

    from agora.components.budgets.models import Budget

    budget = Budget.objects.get(component__space__slug="budget-participatif-2025")
    html = client.get(budget.get_results_url()).content.decode()
    log = html[html.index('id="public-log-heading"') :]
    assert log.count("<li>") >= 5  # incompatibility, draw, publication, decision, publication again
    assert "Région" in html[html.index('id="decisions-heading"') :]
    with tempfile.NamedTemporaryFile(suffix=".pb") as handle:
        handle.write(client.get(budget.get_ballots_pb_url()).content)
        handle.flush()
        out = io.StringIO()
        call_command("pb_tally", handle.name, stdout=out)
    assert json.loads(out.getvalue())["selected"] == budget.result["selected"]


def test_the_2025_results_page_shows_the_count(client, demo):
    from agora.components.budgets.models import Budget

    budget = Budget.objects.get(component__space__slug="budget-participatif-2025")
    response = client.get(budget.get_results_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Une piste cyclable jusqu&#x27;au collège" in html or "Une piste cyclable jusqu'au collège" in html


def test_the_evaluation_grid_is_filled_by_the_evaluators_assigned(demo):
    from agora.components.proposals.evaluation.models import Assignment, Criterion, Evaluation
    from agora.spaces.models import Role

    ideas = Component.objects.get(space__slug="budget-participatif-2026", manifest_name="proposals")
    criteria = Criterion.objects.filter(component=ideas)
    assert criteria.count() >= 3 and {c.kind for c in criteria} >= {"yes_no", "score", "cost"}
    evaluations = Evaluation.objects.filter(criterion__component=ideas)
    assert evaluations.count() >= criteria.count() * 4
    evaluators = set(Role.objects.filter(space=ideas.space, name=Role.Name.EVALUATOR).values_list("user", flat=True))
    assert len(evaluators) == 2
    assigned = set(Assignment.objects.filter(proposal__component=ideas).values_list("proposal", "evaluator"))
    assert set(evaluations.values_list("proposal", "evaluator")) <= assigned
    assert {evaluator for _proposal, evaluator in assigned} == evaluators
    # Some ideas are assigned and still waiting: the study is under way.
    assert len({proposal for proposal, _e in assigned}) > len(set(evaluations.values_list("proposal", flat=True)))


def test_the_home_page_shows_each_process_and_each_news_item_once(client, demo):
    from agora.components.news.models import Post

    html = client.get("/").content.decode()
    for space in Space.objects.filter(organization=demo, kind=Space.Kind.PROCESS):
        assert html.count(f'href="{space.get_absolute_url()}"') == 1, space.slug
    titles = {post.title["fr"] for post in Post.objects.published()}
    shown = [title for title in titles if title.replace("'", "&#x27;") in html]
    assert len(shown) == 3
    for title in shown:
        assert html.count(title.replace("'", "&#x27;")) == 1, title


def test_the_call_to_file_an_idea_opens_the_idea_form_of_the_budget(client, demo):
    from django.urls import reverse

    from agora.accounts.models import User

    ideas = Component.objects.get(space__slug="budget-participatif-2026", manifest_name="proposals")
    form = reverse("proposals:create", kwargs=ideas.url_kwargs())
    phase = Space.objects.get(slug="budget-participatif-2026").active_phase
    assert phase.cta_text["fr"] == "Déposer une idée" and phase.cta_url == form
    for page in ("/", "/processes/budget-participatif-2026/"):
        assert f'href="{form}"' in client.get(page).content.decode()
    client.force_login(User.objects.get(email="camille@belleville.example"))
    response = client.get(form)
    assert response.status_code == 200 and 'name="title"' in response.content.decode()


def test_every_demo_idea_project_and_result_is_filed_under_the_category_it_names(demo):
    """Categories by name, never by position: the basketball court was under
    parking and security."""
    from agora.components.accountability.models import Result
    from agora.components.accountability.seeds import PLACES
    from agora.components.budgets import seeds as budget_seeds
    from agora.components.budgets.models import Project
    from agora.components.proposals import seeds as idea_seeds
    from agora.components.proposals.models import Proposal
    from agora.demo import edition_2025

    expected = {title: category for title, _body, category, _place in idea_seeds.IDEAS}
    expected |= {row[0]: row[3] for row in budget_seeds.PROJECTS + edition_2025.PROJECTS}
    expected |= {title: category for title, (category, _scope) in PLACES.items()}
    from agora.demo.paper_ideas import PAPER_IDEAS

    expected |= {title: category for _channel, _name, title, _body, category in PAPER_IDEAS}
    from agora.demo.meetings import GIVEN

    expected |= {title: category for _author, title, _body, category in GIVEN}
    names = {c.name["fr"] for c in demo.categories.all()}
    assert set(expected.values()) <= names
    items = [
        *Proposal.objects.filter(component__space__organization=demo),
        *Project.objects.filter(component__space__organization=demo),
        *Result.objects.filter(component__space__organization=demo, parent=None),
    ]
    assert len(items) >= 15 + 8 + 8
    for item in items:
        title = item.title if isinstance(item.title, str) else item.title["fr"]
        assert item.category is not None and item.category.name["fr"] == expected[title], title
    court = Result.objects.get(title__fr="Un terrain de basket rénové")
    assert court.category.name["fr"] == "Sport"


def test_demo_people_have_distinct_names_and_staff_file_no_ideas(demo):
    from agora.accounts.models import User
    from agora.components.proposals.models import Proposal
    from agora.spaces.models import AssemblyMember, Role
    from agora.verifications.demo import DEMO_CENSUS

    accounts = list(User.objects.filter(memberships__organization=demo))
    names = [user.name for user in accounts]
    names += [member.full_name for member in AssemblyMember.objects.exclude(full_name="")]
    surnames = [name.split()[-1] for name in names if " " in name]
    assert len(set(surnames)) == len(surnames), names
    census = {f"{first} {last}" for last, first, _born, _postal in DEMO_CENSUS}
    # A census person is either one of the demo participants or nobody else's namesake.
    for person in census:
        assert person in names or person.split()[-1] not in surnames, person
    staff = set(Role.objects.filter(organization=demo).values_list("user", flat=True))
    authors = set(Proposal.objects.exclude(author=None).values_list("author", flat=True))
    assert authors and not authors & staff


def test_readme_lists_the_demo_census(settings):
    from pathlib import Path

    from agora.verifications.demo import DEMO_CENSUS

    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    for last, first, born, postal in DEMO_CENSUS:
        assert f"{first} {last}" in readme and born in readme and postal in readme, (first, last)


def test_the_demo_publishes_a_partially_compliant_accessibility_statement(client, demo):
    from agora.core.models import AccessibilityStatement

    statement = AccessibilityStatement.objects.get(organization=demo)
    demo.refresh_from_db()
    assert demo.accessibility_status == "partially_compliant"
    assert statement.conformance_rate and statement.audit_date and len(statement.non_conformity_list()) >= 3
    assert "Accessibilité\u00a0: partiellement conforme" in client.get("/").content.decode()
    assert "Défenseur des droits" in client.get("/accessibility/").content.decode()


def test_residents_discuss_a_2025_project_and_a_follow_up_result(client, demo):
    """Comments on budget projects and follow-up results are a component setting; the
    2025 edition has it on, with a thread on a project and on a result."""
    from agora.comments.models import Comment
    from agora.components.accountability.models import Result
    from agora.components.budgets.models import Project

    project = Project.objects.get(
        component__space__slug="budget-participatif-2025", title__fr="Un jardin partagé au parc des Tilleuls"
    )
    on_result = Comment.objects.get(body__contains="premier tronçon")
    result = Result.objects.get(pk=on_result.object_id, component=on_result.component)
    for target, text in ((project, "réserver une parcelle"), (result, "premier tronçon")):
        assert target.component.settings_of().comments_enabled is True
        html = client.get(target.get_absolute_url()).content.decode()
        assert text in html and 'id="comments"' in html
        assert Comment.objects.filter(object_id=target.pk, official=True, component=target.component).exists()
    # The 2026 vote keeps the default: no comments on its projects.
    project_2026 = Project.objects.filter(component__space__slug="budget-participatif-2026").first()
    assert project_2026 is not None
    assert 'id="comments"' not in client.get(project_2026.get_absolute_url()).content.decode()


def test_a_resident_without_e_mail_registered_at_the_desk(client, demo):
    """Nadia Benali (desk agent) acts for Marcel Petit, who has no e-mail address."""
    from agora.accounts.models import User
    from agora.desk.models import ManagedParticipant
    from agora.verifications.models import Verification

    marcel = ManagedParticipant.objects.get(organization=demo, user__name="Marcel P.")
    assert not marcel.is_claimed
    assert Verification.objects.get(user=marcel.user).method == "in_person"
    client.force_login(User.objects.get(email="agent.budget@belleville.example"))
    assert "Marcel P." in client.get("/admin/desk/").content.decode()
    assert client.post(f"/admin/desk/people/{marcel.user_id}/act/").status_code == 302
    assert "desk-banner" in client.get("/").content.decode()


def test_demo_ideas_and_projects_have_described_pictures_and_projects_a_place_in_the_town(client, demo):
    from decimal import Decimal

    from agora.components.budgets.models import Budget, Project
    from agora.components.proposals.models import Attachment
    from agora.demo.illustrations import IDEA_PICTURES, PROJECTS

    pictures = Attachment.objects.filter(kind="image", proposal__component__space__organization=demo)
    assert pictures.count() == sum(len(each) for each in IDEA_PICTURES.values())
    assert all(p.alt_text and p.variants["sizes"] for p in pictures)
    projects = Project.objects.filter(component__space__organization=demo)
    assert projects.count() == len(PROJECTS) == 16
    for project in projects:
        assert project.image and project.image_alt["fr"] and project.image_alt["en"], project
        assert [w for w, _h in project.image_variants["sizes"]] == [320, 640, 1200], project
        # Placed by the local geocoder in Belleville-sur-Loire (its gazetteer's streets and places).
        assert Decimal("47.49") < project.latitude < Decimal("47.52"), project
        assert Decimal("1.09") < project.longitude < Decimal("1.12"), project
        assert "Belleville-sur-Loire" in project.address
    budget = Budget.objects.get(component__space__slug="budget-participatif-2026")
    client.cookies["agora_language"] = "en"
    page = client.get(budget.get_absolute_url()).content.decode()
    assert 'id="budget-map"' in page and page.count('class="card-picture"') == 8
    idea = pictures.order_by("pk").first().proposal
    detail = client.get(idea.get_absolute_url()).content.decode()
    assert 'class="gallery"' in detail and pictures.order_by("pk").first().alt_text in detail
    listing = client.get(idea.component.get_absolute_url() + "?order=recent").content.decode()
    assert 'class="card-picture"' in listing


def test_demo_spaces_have_described_banners_with_their_copies(client, demo):
    from agora.demo.illustrations import SPACES
    from agora.spaces.models import Space

    spaces = Space.objects.filter(organization=demo)
    assert {s.slug for s in spaces if s.hero_image} == set(SPACES)
    for space in spaces.filter(slug__in=SPACES):
        assert space.hero_image_alt["fr"] and space.hero_image_alt["en"], space
        assert space.hero_image_variants["sizes"], space
    client.cookies["agora_language"] = "en"
    page = client.get("/processes/plan-velo-2027/").content.decode()
    assert 'class="space-hero-picture"' in page and "A green cycle lane separated" in page and ".webp 320w" in page


def test_demo_news_posts_have_described_images_with_their_copies(client, demo):
    from agora.components.news.models import Post
    from agora.demo.illustrations import NEWS

    illustrated = Post.objects.filter(component__space__organization=demo).exclude(image="")
    assert {p.title["fr"] for p in illustrated} == set(NEWS)
    for post in illustrated:
        assert post.image_alt["fr"] and post.image_alt["en"] and post.image_variants["sizes"], post
    post = illustrated.filter(published_at__isnull=False).order_by("pk").first()
    listing = client.get(post.component.get_absolute_url()).content.decode()
    assert 'class="card-picture"' in listing and ".webp 320w" in listing


def test_demo_follow_up_results_show_their_first_milestone_photo(client, demo):
    from agora.components.accountability.models import MilestonePhoto, Result

    photos = MilestonePhoto.objects.filter(milestone__result__component__space__organization=demo)
    assert photos.count() >= 5 and all(p.alt["fr"] and p.alt["en"] and p.variants["sizes"] for p in photos)
    tracking = Result.objects.filter(component__space__organization=demo).first().component
    page = client.get(tracking.get_absolute_url()).content.decode()
    assert page.count('class="card-picture"') == photos.count()


def test_ideas_given_on_paper_and_at_a_meeting_show_their_channel(client, demo):
    from agora.components.proposals import hooks
    from agora.components.proposals.models import Proposal

    paper = Proposal.objects.filter(component__space__slug="budget-participatif-2026", channel="paper")
    assert paper.count() >= 3 and all(idea.author_name and idea.author is None for idea in paper)
    assert Proposal.objects.filter(channel="meeting").exists()
    idea = paper.get(title="Un banc devant la poste")
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Jeanne M." in html and "sur un formulaire papier" in html
    stats = dict((str(label), value) for label, value in hooks.stats(idea.component))
    assert stats["Idées déposées sur formulaire papier"] == paper.count()


def test_the_cycling_plan_survey_uses_every_type_and_publishes_its_results(client, demo):
    from agora.components.surveys.models import Response, Survey
    from agora.components.surveys.selectors import answer_count
    from agora.questionnaires.models import Condition, Question

    survey = Survey.objects.select_related("component").get(component__space__slug="plan-velo-2027")
    questions = Question.objects.filter(questionnaire=survey.questionnaire)
    assert {question.kind for question in questions} == set(Question.Kind.values)
    assert questions.exclude(kind__in=Question.LAYOUT).count() == 15
    assert Condition.objects.filter(question__questionnaire=survey.questionnaire).count() == 2
    assert answer_count(survey) == Response.objects.filter(survey=survey).count() == 500
    assert Response.objects.filter(survey=survey, channel="paper").exists()
    html = client.get(survey.component.get_absolute_url() + "results/").content.decode()
    assert "500 personnes ont répondu au questionnaire." in html
    assert "Classez ces projets par ordre de priorité" in html and "<svg" in html


def test_the_cycling_plan_has_argued_debates_one_closed_with_conclusions(client, demo):
    from agora.components.debates import selectors
    from agora.components.debates.models import Debate

    debates = list(Debate.objects.filter(component__space__slug="plan-velo-2027"))
    # Three argued debates, and one opening in twelve days (the draft newsletter announces it).
    assert len(debates) == 4 and debates[0].component.settings_of().participant_debates
    assert [debate.state for debate in debates].count(Debate.State.UPCOMING) == 1
    closed = [debate for debate in debates if debate.closed_at]
    assert len(closed) == 1 and "arceaux" in closed[0].conclusions["fr"]
    street = next(debate for debate in debates if debate.official and debate.is_open)
    summary = selectors.summary(street)
    assert summary.for_count >= 2 and summary.against_count >= 2
    assert summary.best_for is not None and summary.best_against is not None
    assert any(not debate.official and debate.author for debate in debates)
    html = client.get(street.get_absolute_url()).content.decode()
    assert "Où en est le débat" in html and summary.best_against.body[:40] in html
    html = client.get(closed[0].get_absolute_url()).content.decode()
    assert "Conclusions" in html and "Ce débat est clos" in html


def test_the_demo_meetings_cover_what_issue_18_lists(client, demo):
    """Twenty meetings across the spaces: held ones with minutes and photos, upcoming
    ones taking registrations, one full with a waiting list, online and hybrid ones,
    one cancelled; the global agenda shows them."""
    from django.utils import timezone

    from agora.components.meetings.models import Meeting, Registration
    from agora.core.translations import translated

    meetings = Meeting.objects.filter(component__space__organization=demo)
    assert meetings.count() == 20
    assert meetings.values("component__space").distinct().count() >= 4
    held = meetings.filter(closed_at__isnull=False)
    assert held.exists() and all(meeting.minutes.get("fr") for meeting in held)
    assert held.filter(photos__isnull=False).exists()
    upcoming = meetings.filter(starts_at__gt=timezone.now(), cancelled_at__isnull=True)
    assert upcoming.filter(registration_type=Meeting.Registration.AGORA, registered_count__gt=0).exists()
    full = upcoming.filter(waiting_count__gt=0).get()
    assert full.registered_count == full.public_places
    assert Registration.objects.filter(meeting=full, status=Registration.Status.WAITING).count() == full.waiting_count
    assert meetings.filter(kind=Meeting.Kind.ONLINE).exists() and meetings.filter(kind=Meeting.Kind.HYBRID).exists()
    assert meetings.filter(cancelled_at__isnull=False).exists()
    html = client.get("/agenda/").content.decode()
    assert translated(full.title) in html
    # The cycling plan's next workshops link to its survey and its debates.
    workshop = upcoming.filter(component__space__slug="plan-velo-2027", linked_components__isnull=False).first()
    assert workshop is not None
    names = {component.manifest_name for component in workshop.public_linked_components()}
    assert names == {"surveys", "debates"}
    html = client.get(workshop.get_absolute_url()).content.decode()
    assert "Voir aussi" in html and workshop.public_linked_components()[0].get_absolute_url() in html


def test_two_newsletters_are_in_the_archive_and_one_is_a_draft(client, demo):
    from agora.accounts.models import Membership
    from agora.newsletters.models import Newsletter, Recipient

    sent = list(Newsletter.objects.filter(status=Newsletter.Status.SENT).order_by("sent_at"))
    assert len(sent) == 2 and Newsletter.objects.filter(status=Newsletter.Status.DRAFT).count() == 1
    opted = set(Membership.objects.filter(newsletter_consent_at__isnull=False).values_list("user_id", flat=True))
    assert opted and set(Recipient.objects.values_list("user_id", flat=True)) <= opted
    archive = client.get("/newsletters/").content.decode()
    assert all(newsletter.subject["fr"].replace("'", "&#x27;") in archive for newsletter in sent)
    assert client.get(sent[1].get_absolute_url()).status_code == 200
    # A worker restarted while sending the second one: one person "possibly sent", for the officer to decide.
    from agora.newsletters import sending

    assert sending.progress(sent[1])["unsure"] == 1 and sending.progress(sent[0])["unsure"] == 0


def test_the_officers_find_things_to_do_on_their_dashboard(client, demo):
    from django.utils import translation

    from agora.accounts.models import User
    from agora.core import attention

    with translation.override("en"):
        admin = {item.label for item in attention.items_for(User.objects.get(email="admin@belleville.example"), demo)}
        evaluator = {
            item.label
            for item in attention.items_for(User.objects.get(email="julien.mercier@belleville.example"), demo)
        }
    assert {"ideas waiting for an answer", "letter with a code to send"} <= admin
    assert "reported contributions to review" in admin  # an idea's comment and an opinion-map statement
    assert any(label.startswith("days left in the phase") for label in admin)
    assert evaluator == {"ideas assigned to you, not answered yet"}
    client.force_login(User.objects.get(email="admin@belleville.example"))
    assert client.get("/admin/").content.decode().count('<span class="card-figure">') == len(admin)


def test_the_demo_town_has_its_own_favicon(client, demo):
    from PIL import Image

    organization = Organization.objects.get(host="testserver")
    with organization.favicon.open("rb") as stored:
        image = Image.open(stored)
        assert image.format == "PNG" and image.size[0] >= 48 and image.size[0] == image.size[1]
    assert f'<link rel="icon" href="{organization.favicon.url}">' in client.get("/").content.decode()
