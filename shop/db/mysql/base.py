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
"""

from django_prometheus.db.backends.mysql import base


class DatabaseWrapper(base.DatabaseWrapper):
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
