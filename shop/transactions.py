"""Transaction helpers shared by the apps' services."""

from contextlib import contextmanager

from django.db import IntegrityError, transaction

# Databases on which a failed statement (a duplicate key) is rolled back alone and the transaction goes on:
# InnoDB ("a duplicate-key error rolls back the SQL statement") and SQLite (the default ABORT conflict
# resolution). PostgreSQL aborts the whole transaction, so there a savepoint is needed.
_STATEMENT_ROLLBACK_VENDORS = frozenset({"mysql", "sqlite"})


@contextmanager
def single_insert(using=None):
    """Wrap ONE INSERT whose ``IntegrityError`` (a unique key taken) the caller catches and survives, inside a
    transaction, as ``transaction.atomic()`` would, without its SAVEPOINT and RELEASE round trips where the
    database rolls back only the failed statement: there Django's rollback mark (set by ``Model.save`` on any
    error) is cleared again, since the transaction is intact. The block must be a single statement: anything
    it did before a failing second statement would stay."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block or connection.vendor not in _STATEMENT_ROLLBACK_VENDORS:
        with transaction.atomic(using=using):
            yield
        return
    already_doomed = connection.needs_rollback
    try:
        yield
    except IntegrityError:
        if not already_doomed:
            transaction.set_rollback(False, using=using)
        raise
