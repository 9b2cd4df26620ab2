"""Django's database cache, with `set_many` in a few statements.

Django's `DatabaseCache.set_many` sets each key alone: a count of the table,
a read of the key and an INSERT or UPDATE, five statements a key with the
savepoint. A list page whose twelve cards are not in the cache yet
(`proposals.cards`: a new idea, a support that changed a counter, a new
version of the card's template) then wrote them in 60 statements. Here the
keys are written together: the count (and the cull, as Django does), then
in one transaction the DELETE of the keys and one INSERT of all the rows.

Everything else is Django's (reads, expiry, culling, the table made by
`createcachetable`). With Redis (`AGORA_REDIS_URL`) this class is not used.
"""

import base64
import pickle
from datetime import datetime, timezone

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """Store every (key, value) of `data`; returns the keys that could not
        be stored (all of them when the writing failed, as Django's `set`
        fails silently when another process writes the same key)."""
        if len(data) <= 1:
            return super().set_many(data, timeout, version)
        rows = {self.make_and_validate_key(key, version=version): key for key in data}
        backend_timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        if backend_timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(backend_timeout, tz=timezone.utc if settings.USE_TZ else None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        values = []
        for cache_key, key in rows.items():
            encoded = base64.b64encode(pickle.dumps(data[key], self.pickle_protocol)).decode("latin1")
            values += [cache_key, encoded, expires]
        keys = list(rows)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            count = cursor.fetchone()[0]
            if count + len(keys) > self._max_entries:
                self._cull(db, cursor, tz_now().replace(microsecond=0), count + len(keys))
            try:
                with transaction.atomic(using=db):
                    placeholders = ", ".join(["%s"] * len(keys))
                    cursor.execute(f"DELETE FROM {table} WHERE {quote_name('cache_key')} IN ({placeholders})", keys)
                    cursor.execute(
                        f"INSERT INTO {table} ({quote_name('cache_key')}, {quote_name('value')}, "
                        f"{quote_name('expires')}) VALUES " + ", ".join(["(%s, %s, %s)"] * len(keys)),
                        values,
                    )
            except DatabaseError:
                return list(data)
        return []
