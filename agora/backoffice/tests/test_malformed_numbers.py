"""Query-string ids of the back-office that are not numbers: never a 500."""

import pytest


@pytest.mark.parametrize("space", ["²", "9" * 30, "abc"])
def test_the_action_log_filtered_by_a_space_that_is_not_an_id(client, org_admin, space):
    client.force_login(org_admin)
    assert client.get("/admin/log/", {"space": space}).status_code == 200
