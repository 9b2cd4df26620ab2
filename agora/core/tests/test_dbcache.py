"""The database cache's set_many (agora.core.dbcache): the same as Django's,
in a fixed number of statements."""

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.core.dbcache import DatabaseCache

pytestmark = pytest.mark.django_db


def test_the_cache_of_the_settings_is_this_one():
    assert isinstance(caches["default"], DatabaseCache)


def test_set_many_stores_new_and_replaces_old_values_in_a_few_statements():
    cache.set("card:2", "old", 60)
    data = {f"card:{n}": f"<article>{n}</article>" for n in range(12)}
    data["card:list"] = ["a", {"b": 2}]
    with CaptureQueriesContext(connection) as queries:
        assert cache.set_many(data, 60) == []
    assert len(queries) <= 5  # count, (savepoint,) delete, insert (, release): not 5 a key
    assert cache.get_many(list(data)) == data
    assert cache.get("card:2") == "<article>2</article>"


def test_set_many_of_one_key_and_without_expiry():
    assert cache.set_many({"alone": 1}, 60) == []
    assert cache.get("alone") == 1
    assert cache.set_many({"a": 1, "b": 2}, None) == []
    assert cache.get_many(["a", "b"]) == {"a": 1, "b": 2}


def test_set_many_with_a_past_timeout_keeps_nothing():
    cache.set_many({"x": 1, "y": 2}, -1)
    assert cache.get_many(["x", "y"]) == {}


def test_set_many_culls_when_the_table_is_full(settings):
    small = DatabaseCache("agora_cache", {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    small.clear()
    small.set_many({f"k{n}": n for n in range(10)}, 60)
    small.set_many({f"j{n}": n for n in range(4)}, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM agora_cache")
        assert cursor.fetchone()[0] <= 10
    assert small.get_many([f"j{n}" for n in range(4)]) == {f"j{n}": n for n in range(4)}
