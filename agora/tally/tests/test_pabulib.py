import json
from fractions import Fraction

import pytest
from django.core.management import CommandError, call_command

from agora.tally import Election, Project, TallyError, greedy, mes, pabulib
from agora.testing.shared_data import pabulib_file

SAMPLE = """META
key;value
description;Test
budget;1000,5
vote_type;cumulative
PROJECTS
project_id;cost;name;category
 007 ;500;"Trees; and flowers";green,culture
x1;400.25;Bench;None
b;600;Lights;None
VOTES
voter_id;vote;points;age
1;007,x1;3,2;30
2;b;5;None
3;;;
"""


def test_reads_sections_and_keeps_ids_as_written():
    pb = pabulib.loads(SAMPLE)
    assert pb.meta["budget"] == "1000,5"
    assert [p["project_id"] for p in pb.projects] == ["007", "x1", "b"]
    assert pb.projects[0]["name"] == "Trees; and flowers"
    election = pb.to_election()
    assert election.kind == "points"
    assert election.budget == Fraction(20010, 20)
    assert election.by_id["007"].categories == ("green", "culture")
    assert election.by_id["x1"].cost == Fraction("400.25")
    assert election.ballots == [{"007": 3, "x1": 2}, {"b": 5}, {}]
    assert election.votes() == {"007": 3, "x1": 2, "b": 5}


def test_greedy_by_votes_skips_what_no_longer_fits():
    election = pabulib.loads(SAMPLE).to_election()
    result = greedy(election)
    # b (5 points, 600) first, 007 (3 points, 500) no longer fits, x1 (400.25) does
    assert result.selected == ["b", "x1"]
    assert result.total_cost == Fraction("1000.25")


def test_ties_go_to_the_smaller_id_string():
    projects = [Project(id=pid, cost=10) for pid in ("9", "10", "a")]
    election = Election(projects=projects, budget=20, ballots=[{"9", "10", "a"}])
    assert greedy(election).selected == ["10", "9"]
    assert mes(election, "none").selected == ["10", "9"]


def test_writer_round_trips_a_real_file():
    path = pabulib_file("Poland_Wieliczka_2023_Green_Budget.pb")
    pb = pabulib.load(path)
    text = pabulib.dumps(pb)
    again = pabulib.loads(text)
    assert again == pb
    assert greedy(again.to_election()).selected == greedy(pb.to_election()).selected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "META\nkey;value\nbudget;x\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n",
        "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;2\n",
        "META\nkey;value\nbudget;10\nvote_type;weird\nPROJECTS\nproject_id;cost\n1;5\n",
    ],
)
def test_bad_files_raise_a_readable_error(text):
    with pytest.raises(TallyError):
        pabulib.loads(text).to_election()


def test_export_and_recount_ranking_election():
    projects = [Project(id="p1", cost=300, name="A\nB"), Project(id="p2", cost=200), Project(id="p3", cost=500)]
    ballots = [["p3", "p1"], ["p1"], ["p2", "p1", "p3"], []]
    election = Election(projects=projects, budget=800, ballots=ballots, kind="ranking")
    pb = pabulib.from_election(
        election, meta={"rule": "equalshares/add1", "unit": "Fleury"}, project_extra={"p1": {"votes": "3"}}
    )
    assert pb.meta["vote_type"] == "ordinal" and pb.meta["num_votes"] == "4"
    text = pabulib.dumps(pb)
    back = pabulib.loads(text).to_election()
    assert back.ballots == election.ballots
    assert back.by_id["p1"].name == "A B"
    assert mes(back, "add1").selected == mes(election, "add1").selected


def test_format_number_is_exact():
    assert pabulib.format_number(Fraction(3, 2)) == "1.5"
    assert pabulib.format_number(1500) == "1500"
    with pytest.raises(TallyError):
        pabulib.format_number(Fraction(1, 3))


def test_pb_tally_prints_one_json_object(tmp_path, capsys):
    path = tmp_path / "t.pb"
    path.write_text(SAMPLE, encoding="utf-8")
    call_command("pb_tally", str(path), "--rule", "greedy", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert out["selected"] == ["b", "x1"]
    assert out["total_cost"] == 1000.25
    assert out["seconds"] >= 0
    call_command("pb_tally", str(path), "--rule", "mes", "--completion", "none", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"selected", "total_cost", "seconds"}


def test_pb_tally_refuses_an_unreadable_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("pb_tally", str(tmp_path / "missing.pb"), "--rule", "greedy")
    bad = tmp_path / "bad.pb"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError, match="not"):
        call_command("pb_tally", str(bad), "--rule", "mes")


FAST_CASES = [
    ("approval", "1;a,b\n2; b , c \n3;\n\n  \n4;None\n5;c,a,a\n6;a,b\n"),
    ("ordinal", "1;c,a\n2;b\n3;\n4; a,b\n5;a,b\n"),
    ("cumulative", "1;a,b;3,2\n2;b,b;1,2\n3;;\n4;c;0\n5;a;1.5\n6;a,b;3,2\n"),
]


@pytest.mark.parametrize(("vote_type", "votes"), FAST_CASES)
def test_fast_votes_reader_equals_the_csv_reader(vote_type, votes):
    """The VOTES lines read without the csv module give exactly what the csv path gives."""
    head = f"META\nkey;value\nbudget;100\nvote_type;{vote_type}\nPROJECTS\nproject_id;cost\na;10\nb;20\nc;30\nVOTES\n"
    columns = "voter_id;vote;points\n" if vote_type == "cumulative" else "voter_id;vote\n"
    fast = pabulib.loads(head + columns + votes)
    assert fast._vote_lines is not None
    election = fast.to_election()
    # A quote character anywhere in VOTES sends the file through the csv reader.
    slow = pabulib.loads(head + columns + '"0";\n' + votes)
    assert slow._vote_lines is None
    slow_election = slow.to_election()
    assert election.ballots == slow_election.ballots[1:]
    assert fast.votes == slow.votes[1:]
    assert fast == pabulib.loads(head + columns + votes)
    for rule in (greedy, lambda e: mes(e, "none"), lambda e: mes(e, "add1")):
        assert rule(election).selected == rule(slow_election).selected


def test_fast_votes_reader_reports_bad_lines():
    head = "META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\na;10\nVOTES\nvoter_id;vote\n1;a\n"
    with pytest.raises(pabulib.PabulibError, match="line 10: 3 fields"):
        pabulib.loads(head + "2;a;x\n")
    with pytest.raises(pabulib.PabulibError, match="ballot 2: unknown project 'z'"):
        pabulib.loads(head + "2;a,z\n").to_election()
    with pytest.raises(pabulib.PabulibError, match="vote 2: 1 projects but 2 points"):
        pabulib.loads(
            head.replace("budget;100", "budget;100\nvote_type;cumulative")
            .replace("voter_id;vote", "voter_id;vote;points")
            .replace("1;a\n", "1;a;1\n")
            + "2;a;1,2\n"
        ).to_election()
