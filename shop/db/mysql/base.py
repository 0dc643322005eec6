"""The MySQL/MariaDB backend (django-prometheus's, for the query metrics), opening a transaction in one round trip.

Django's MySQL backend turns autocommit off to open a transaction and on again after its COMMIT: with the COMMIT,
three round trips for every transaction (``SET autocommit=0``, ``COMMIT``, ``SET autocommit=1``), a tenth of an
order's statements (docs/PERFORMANCE.md). Here the session stays in autocommit mode for good, and a transaction
is ``START TRANSACTION`` ... ``COMMIT`` (or ``ROLLBACK``): MySQL runs the statements between them as one
transaction, exactly as with autocommit off, and ends it at the COMMIT or ROLLBACK, after which every statement
commits on its own again, which is what Django's turning autocommit back on asked for.

Django keeps its own autocommit flag (``get_autocommit``, ``in_atomic_block``), so its transaction management,
savepoints and ``select_for_update`` checks see no difference. The one place behaviour could differ is DDL inside
a transaction, which MySQL commits implicitly either way; Django runs MySQL migrations outside transactions.

Its cursors count statements, their durations and errors in django-prometheus's metrics, as django-prometheus's own
do, with a cursor class made once per database rather than a new class for every cursor (three of an order's
eight statements' worth of CPU went to making classes and looking up the metrics' label values).
"""

import functools
from timeit import default_timer

from django_prometheus.db import errors_total, execute_many_total, execute_total, query_duration_seconds
from django_prometheus.db.backends.mysql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return _counting_cursor_class(self.CURSOR_CLASS, self.alias, self.vendor)(self.connection.cursor())

    def get_connection_params(self):
        # mysqlclient opens a connection with autocommit off (PEP 249) unless told otherwise.
        return {**super().get_connection_params(), "autocommit": True}

    def _set_autocommit(self, autocommit):
        if autocommit:
            # The COMMIT or ROLLBACK that Django sent just before ended the transaction; the session never left
            # autocommit mode.
            return
        with self.wrap_database_errors, self.connection.cursor() as cursor:
            cursor.execute("START TRANSACTION")


@functools.cache
def _counting_cursor_class(cursor_class, alias, vendor):
    """django-prometheus's ``ExportingCursorWrapper(cursor_class, alias, vendor)``: the same metrics, series and
    counts, with the label values' series looked up once (``labels()`` hands back the same series every time)."""
    executed = execute_total.labels(alias, vendor)
    executed_many = execute_many_total.labels(alias, vendor)
    duration = query_duration_seconds.labels(alias=alias, vendor=vendor)

    def error(exc):
        errors_total.labels(alias=alias, vendor=vendor, type=type(exc).__name__).inc()

    class CursorWrapper(cursor_class):
        def execute(self, *args, **kwargs):
            executed.inc()
            started = default_timer()
            try:
                return super().execute(*args, **kwargs)
            except BaseException as exc:
                error(exc)
                raise
            finally:
                duration.observe(max(default_timer() - started, 0))

        def executemany(self, query, param_list, *args, **kwargs):
            executed.inc(len(param_list))
            executed_many.inc(len(param_list))
            started = default_timer()
            try:
                return super().executemany(query, param_list, *args, **kwargs)
            except BaseException as exc:
                error(exc)
                raise
            finally:
                duration.observe(max(default_timer() - started, 0))

    return CursorWrapper
