import copy
import hashlib
import json

import pytest
from django.core.management import CommandError, call_command

from agora.sortition import algorithms, draw
from agora.sortition.pool import canonical_json
from agora.sortition.randomness import Stream
from agora.sortition.tests.conftest import data_file


def independent_below(seed: bytes, label: bytes, bound: int) -> tuple[int, int]:
    """The documented procedure written again: (answer, numbers used)."""
    counter = 0
    while True:
        value = int.from_bytes(hashlib.sha256(seed + label + counter.to_bytes(8, "big")).digest(), "big")
        counter += 1
        if value < 2**256 - 2**256 % bound:
            return value % bound, counter


def test_stream_follows_the_documented_procedure():
    for bound in (1, 2, 7, 1000, 2**255 + 1):
        stream = Stream(b"seed", b"label")
        assert (stream.below(bound), stream.counter) == independent_below(b"seed", b"label", bound)
    with pytest.raises(ValueError):
        Stream(b"x").below(0)
    counts = [0] * 3
    sampler = Stream(b"uniform")
    for _ in range(3000):
        counts[sampler.below(3)] += 1
    assert all(900 < c < 1100 for c in counts)


def parties_revealed():
    return [
        draw.Party("city", draw.commitment("city", "c1ty-secret"), "c1ty-secret"),
        draw.Party("opposition", draw.commitment("opposition", "0pp"), "0pp"),
        draw.Party("observers", draw.commitment("observers", "never told"), None),
    ]


def test_bundle_verifies_and_any_change_is_caught(small_20):
    distribution = algorithms.leximin(small_20)
    record = draw.draw(distribution, parties_revealed(), "EuroMillions 2026-12-08: 3 12 25 31 44")
    assert len(record["panel"]) == 20
    assert [p["dropped"] for p in record["parties"]] == [False, True, False]  # sorted: city, observers, opposition
    bundle = draw.bundle([record])
    lines = draw.verify(bundle)
    assert "dropped for not revealing: observers" in lines[0]

    def broken(change):
        altered = copy.deepcopy(bundle)
        change(altered["draws"][0])
        with pytest.raises(draw.VerificationError):
            draw.verify(altered)

    broken(lambda d: d.__setitem__("panel", sorted(d["panel"][:-1] + ["199" if "199" not in d["panel"] else "0"])))
    broken(lambda d: d.__setitem__("public_value", "another value"))
    broken(lambda d: d["parties"][0].__setitem__("secret", "guess"))
    broken(lambda d: d["pool"]["people"][0][1].__setitem__(0, "male"))
    broken(lambda d: d["distribution"]["panels"][0].__setitem__("weight", d["distribution"]["panels"][0]["weight"] + 1))
    broken(lambda d: d["distribution"]["quotas"]["quotas"][0].__setitem__(2, 0))
    broken(lambda d: d.__setitem__("seed_sha256", "00" * 32))


def test_seed_and_panel_depend_on_every_revealed_secret(small_20):
    distribution = algorithms.leximin(small_20)
    digest = distribution.sha256()
    one = draw.seed_of(digest, parties_revealed(), "")
    others = parties_revealed()
    others[0] = draw.Party("city", draw.commitment("city", "other"), "other")
    assert draw.seed_of(digest, others, "") != one
    with pytest.raises(draw.VerificationError):
        draw.seed_of(digest, [draw.Party("city", draw.commitment("city", "a"), "b")], "")
    document = {
        "distribution_sha256": digest,
        "public_value": "",
        "reveals": [["city", "c1ty-secret"], ["opposition", "0pp"]],
    }
    assert one == hashlib.sha256(canonical_json(document)).digest()


def test_draw_frequencies_follow_the_distribution(foundation_22):
    distribution = algorithms.leximin(foundation_22)
    document = distribution.document()
    digest = distribution.sha256()
    seen = {person: 0 for person in distribution.probabilities()}
    runs = 400
    for run in range(runs):
        _, panel = draw.draw_from(document, digest, hashlib.sha256(str(run).encode()).digest())
        assert len(panel) == 22
        for person in panel:
            seen[person] += 1
    probabilities = distribution.probabilities()
    total_error = sum(abs(seen[p] / runs - probabilities[p]) for p in seen) / len(seen)
    assert total_error < 0.03


def test_replacement_keeps_quotas_and_verifies(foundation_22):
    first = draw.draw(algorithms.leximin(foundation_22), [], "first draw value")
    declined = first["panel"][:3]
    kept = first["panel"][3:]
    second = draw.replacement(foundation_22, first["panel"], kept, declined, "leximin", [], "second value")
    assert len(second["panel"]) == 3
    assert not set(second["panel"]) & set(first["panel"])
    values = foundation_22.person_values()
    final = kept + second["panel"]
    for (feature, value), (low, high) in foundation_22.quotas.items():
        position = foundation_22.features.index(feature)
        assert low <= sum(1 for p in final if values[p][position] == value) <= high
    bundle = draw.bundle([first, second])
    assert len(draw.verify(bundle)) == 2
    cheated = copy.deepcopy(bundle)
    cheated["draws"][1]["replaces"]["kept"] = kept[1:]
    with pytest.raises(draw.VerificationError):
        draw.verify(cheated)


def small_files():
    base = ("citizensassemblies-replication", "example_small_20")
    return str(data_file(*base, "respondents.csv")), str(data_file(*base, "categories.csv"))


@pytest.mark.parametrize("algorithm", ["leximin", "maximin", "legacy"])
def test_select_command_prints_the_issue_object(algorithm, capsys):
    respondents, categories = small_files()
    call_command(
        "sortition_select",
        "--respondents", respondents,
        "--categories", categories,
        "--panel-size", "20",
        "--algorithm", algorithm,
        "--seed", "public value",
        "--format", "json",
    )  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"panel", "probabilities", "min_probability", "distribution_sha256", "seconds"}
    assert len(result["panel"]) == 20 and len(result["probabilities"]) == 200
    assert result["min_probability"] == min(result["probabilities"].values())
    assert len(result["distribution_sha256"]) == 64
    if algorithm != "legacy":
        assert result["min_probability"] == pytest.approx(0.1, abs=0.001)


def test_select_then_verify_command(tmp_path, capsys):
    respondents, categories = small_files()
    out = tmp_path / "bundle.json"
    call_command(
        "sortition_select", "--respondents", respondents, "--categories", categories,
        "--panel-size", "20", "--bundle", str(out),
    )  # fmt: skip
    printed = json.loads(capsys.readouterr().out)
    call_command("sortition_verify", str(out), "--recompute")
    assert capsys.readouterr().out.strip().endswith("VERIFIED")
    data = json.loads(out.read_text())
    assert data["draws"][0]["panel"] == printed["panel"]
    data["draws"][0]["panel_index"] += 1
    out.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="NOT VERIFIED"):
        call_command("sortition_verify", str(out))
    out.write_text("{not json")
    with pytest.raises(CommandError, match="not a readable JSON"):
        call_command("sortition_verify", str(out))


def test_select_command_refuses_bad_input(tmp_path):
    respondents, categories = small_files()
    with pytest.raises(CommandError, match="no such file"):
        call_command("sortition_select", "--respondents", "/nope.csv", "--categories", categories, "--panel-size", "5")
    tight = tmp_path / "categories.csv"
    tight.write_text("category,feature,min,max\ngender,female,15,20\ngender,male,15,20\n")
    with pytest.raises(CommandError, match="add up to 30, more than the 20 seats"):
        call_command("sortition_select", "--respondents", respondents, "--categories", str(tight), "--panel-size", "20")
    odd = tmp_path / "odd.csv"
    odd.write_text("category,feature,min,max\ngender,female,x,20\n")
    with pytest.raises(CommandError, match="not a whole number"):
        call_command("sortition_select", "--respondents", respondents, "--categories", str(odd), "--panel-size", "20")


def test_drawing_ideas_is_checkable_and_tampering_is_caught():
    candidates = [("12", "Plus de bancs"), ("3", "Un jardin partagé"), ("7", "Pistes cyclables"), ("40", "Fontaine")]
    document = draw.ideas_document(candidates, 2, "Idées — budget 2027", {"category": "Nature", "state": "retenu"})
    assert [c[0] for c in document["candidates"]] == ["12", "3", "40", "7"]  # sorted by code point
    record = draw.draw_ideas(document, [], "Loto 4 11 23")
    assert len(record["drawn"]) == 2 and set(record["drawn"]) <= {"12", "3", "7", "40"}
    assert record["drawn"] == sorted(record["drawn"])
    bundle = draw.bundle([record])
    assert draw.verify(bundle) == ["draw 0 (ideas): OK, 2 of 4 ideas"]
    # the same inputs always draw the same ideas; another public value usually others
    assert draw.draw_ideas(document, [], "Loto 4 11 23")["drawn"] == record["drawn"]
    results = {tuple(draw.draw_ideas(document, [], f"value {i}")["drawn"]) for i in range(30)}
    assert len(results) > 3
    forged = json.loads(json.dumps(bundle))
    forged["draws"][0]["drawn"] = sorted({"12", "3", "7", "40"} - set(record["drawn"]))
    with pytest.raises(draw.VerificationError, match="other ideas"):
        draw.verify(forged)
    swapped = json.loads(json.dumps(bundle))
    swapped["draws"][0]["candidates"]["candidates"][0][1] = "Autre titre"
    with pytest.raises(draw.VerificationError, match="SHA-256"):
        draw.verify(swapped)
    with pytest.raises(ValueError):
        draw.ideas_document(candidates, 5, "x", {})
