"""The open record (issue 14 walk-through, item 5): the anonymised ballots of a
published budget, on its results page, for anyone to recount. No personal
data in the files, paper ballots included, and pb_tally on the downloaded
file gives the published winners."""

import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from agora.actionlog.models import ActionLog
from agora.components.budgets import services
from agora.components.budgets.models import Ballot, BallotRecord, Budget
from agora.components.budgets.tests.conftest import close_votes
from agora.components.budgets.tests.factories import ProjectFactory
from agora.tally import pabulib
from agora.testing import factories


@pytest.fixture
def published(component, budget, space_admin, organization):
    """Online ballots of named people, a paper ballot with identity, anonymous
    paper ballots whose batch names the person who kept the ballot box, counts
    imported per polling station, and a decision of the city."""
    budget.max_projects = 3
    budget.save()
    projects = [
        ProjectFactory(budget=budget, cost=cost, title={"fr": f"Projet {n}"})
        for n, cost in enumerate((50_000, 30_000, 20_000, 10_000), start=1)
    ]
    people = []
    for n, chosen in enumerate([(0, 1), (0, 2), (1, 3), (0,), (2, 3)]):
        person = factories.UserFactory(
            email=f"votante{n}@exemple.fr", name=f"Prénom{n} Nomdefamille{n}", nickname=f"pseudo{n}"
        )
        factories.member_of(person, organization)
        people.append(person)
        services.cast_ballot(actor=person, budget=budget, choices={projects[i].pk: 1 for i in chosen})
    with_identity = factories.UserFactory(email="papier@exemple.fr", name="Odette Papierdidentité", nickname="odette")
    factories.member_of(with_identity, organization)
    people.append(with_identity)
    services.enter_paper_ballot(
        actor=space_admin, budget=budget, choices={projects[3].pk: 1}, reference="Mairie", voter=with_identity
    )
    for _n in range(3):
        services.enter_paper_ballot(
            actor=space_admin,
            budget=budget,
            choices={projects[1].pk: 1, projects[2].pk: 1},
            reference="Urne tenue par Josette Dupuis-Marchand",
        )
    upload = SimpleUploadedFile("bureaux.csv", f"station,project,votes\nÉcole Jaurès,{projects[0].pk},2\n".encode())
    services.import_paper_counts(actor=space_admin, budget=budget, upload=upload)
    close_votes(component)
    services.set_override(
        actor=space_admin,
        budget=budget,
        project=projects[0],
        decision="exclude",
        reason="Déjà financé par le département",
    )
    budget = services.publish_results(actor=space_admin, budget=Budget.objects.get(pk=budget.pk))
    return budget, projects, people


def test_anyone_downloads_the_ballots_from_the_results_page(client, published):
    budget, _projects, _people = published
    page = client.get(budget.get_results_url()).content.decode()
    assert budget.get_ballots_pb_url() in page and budget.get_ballots_csv_url() in page
    for url, kind in ((budget.get_ballots_pb_url(), "text/plain"), (budget.get_ballots_csv_url(), "text/csv")):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith(kind)
        assert response["Content-Disposition"].startswith("attachment")
    record = BallotRecord.objects.get(budget=budget)
    body = client.get(budget.get_ballots_pb_url()).content
    assert hashlib.sha256(body).hexdigest() == record.sha256 == budget.result["ballots_sha256"]
    assert record.sha256 in page
    log = ActionLog.objects.get(verb="budgets.results_published")
    assert log.data["ballots_sha256"] == record.sha256 and log.visibility == ActionLog.Visibility.PUBLIC


def test_no_personal_data_in_the_files(client, published):
    budget, _projects, people = published
    texts = [client.get(url).content.decode() for url in (budget.get_ballots_pb_url(), budget.get_ballots_csv_url())]
    secrets = []
    for person in people:
        secrets += [person.email, person.name, *person.name.split(), person.nickname, person.public_name]
    for ballot in Ballot.objects.filter(budget=budget):
        secrets += [ballot.receipt, ballot.receipt.replace("-", ""), ballot.public_id]
    secrets += ["Josette", "Dupuis-Marchand", "Mairie", "École Jaurès", "station:", "online", "desk", "paper"]
    for text in texts:
        for secret in secrets:
            if secret and len(secret) > 2:
                assert secret not in text, secret
    pb = pabulib.loads(texts[0])
    # Every ballot, paper ones and station counts included, numbered 1..N in content order.
    assert len(pb.votes) == Ballot.objects.filter(budget=budget).count() + 2 == budget.result["ballots"]
    assert [row["voter_id"] for row in pb.votes] == [str(n) for n in range(1, len(pb.votes) + 1)]
    contents = [tuple(sorted(row["vote"].split(","))) for row in pb.votes]
    assert contents == sorted(contents)
    assert set(pb.vote_columns) == {"voter_id", "vote"}


def test_pb_tally_on_the_downloaded_file_gives_the_published_winners(client, published, tmp_path):
    budget, projects, _people = published
    path = tmp_path / "ballots.pb"
    path.write_bytes(client.get(budget.get_ballots_pb_url()).content)
    out = io.StringIO()
    call_command("pb_tally", str(path), stdout=out)
    assert json.loads(out.getvalue())["selected"] == budget.result["selected"]
    assert str(projects[0].pk) not in budget.result["selected"]  # the decision is in the file too


def test_the_csv_says_what_the_pb_file_says(client, published):
    budget, _projects, _people = published
    pb = pabulib.loads(client.get(budget.get_ballots_pb_url()).content.decode())
    lines = client.get(budget.get_ballots_csv_url()).content.decode().splitlines()
    assert lines[0] == "ballot,project_id,value"
    from_csv = {}
    for line in lines[1:]:
        ballot, project, value = line.split(",")
        assert value == "1"
        from_csv.setdefault(ballot, set()).add(project)
    assert from_csv == {row["voter_id"]: set(row["vote"].split(",")) for row in pb.votes}


def test_the_record_is_frozen_at_publication_and_follows_it(client, component, published, space_admin):
    budget, projects, _people = published
    before = client.get(budget.get_ballots_pb_url()).content
    # A late paper ballot changes nothing in the published record...
    services.enter_paper_ballot(actor=space_admin, budget=budget, choices={projects[3].pk: 1}, reference="Tard")
    assert client.get(budget.get_ballots_pb_url()).content == before
    # ...until the results are published again (then the new file recounts to the new result).
    budget = services.publish_results(
        actor=space_admin, budget=Budget.objects.get(pk=budget.pk), reason="Bulletin arrivé en retard"
    )
    after = client.get(budget.get_ballots_pb_url()).content
    assert after != before and len(pabulib.loads(after.decode()).votes) == budget.result["ballots"]
    services.withdraw_results(actor=space_admin, budget=Budget.objects.get(pk=budget.pk), reason="Erreur")
    assert client.get(budget.get_ballots_pb_url()).status_code == 404
    assert client.get(budget.get_ballots_csv_url()).status_code == 404
    assert not BallotRecord.objects.exists()


def test_nothing_before_publication_and_nothing_in_a_private_space(
    client, component, budget, projects, participant, space_admin
):
    assert client.get(budget.get_ballots_pb_url()).status_code == 404
    services.cast_ballot(actor=participant, budget=budget, choices={projects[0].pk: 1})
    close_votes(component)
    budget = services.publish_results(actor=space_admin, budget=Budget.objects.get(pk=budget.pk))
    assert client.get(budget.get_ballots_pb_url()).status_code == 200
    space = component.space
    space.private = True
    space.save()
    response = client.get(budget.get_ballots_pb_url())  # members only: log in first
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    client.force_login(participant)  # not a member
    assert client.get(budget.get_ballots_pb_url()).status_code == 403
