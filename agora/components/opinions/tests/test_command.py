import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from agora.components.opinions.tests.test_polis_reference import DATA


def run(*args):
    out = io.StringIO()
    call_command("opinion_groups", *args, stdout=out)
    return out.getvalue()


def test_json_output_on_a_polis_export():
    payload = json.loads(run(str(DATA / "brexit-consensus" / "participants-votes.csv"), "--format", "json"))
    assert set(payload) == {"groups", "k", "seconds"}
    assert payload["k"] == 2
    assert set(payload["groups"].values()) == {0, 1}
    # participants with fewer than 7 votes are left out
    assert "5" not in payload["groups"] and "0" in payload["groups"]
    assert payload["seconds"] >= 0


def test_text_output_and_a_missing_file(tmp_path: Path):
    assert "groups, sizes" in run(str(DATA / "15-per-hour-seattle" / "participants-votes.csv"))
    with pytest.raises(CommandError):
        run(str(tmp_path / "nothing.csv"))
    empty = tmp_path / "participants-votes.csv"
    empty.write_text("")
    with pytest.raises(CommandError):
        run(str(empty))
