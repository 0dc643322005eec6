"""The MySQL backend (shop/db/mysql) opens a transaction with START TRANSACTION and keeps the session in autocommit
mode: one round trip to open and one to close a transaction, with the same guarantees as Django's own backend."""

import MySQLdb
import pytest
from django.db import connection, transaction

from accounts.models import User
from tests.factories import UserFactory

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]


def _counters():
    with connection.cursor() as cursor:
        cursor.execute(
            "SHOW SESSION STATUS WHERE Variable_name IN ('Com_set_option', 'Com_begin', 'Com_commit', 'Com_rollback')"
        )
        return {name: int(value) for name, value in cursor.fetchall()}


def _changed(before, after):
    return {name: after[name] - before[name] for name in before if after[name] != before[name]}


def _other_session_sees(email):
    """Whether a separate connection (another web process) sees a committed user with this email."""
    settings = connection.settings_dict
    other = MySQLdb.connect(
        host=settings["HOST"] or "127.0.0.1", port=int(settings["PORT"] or 3306), user=settings["USER"],
        password=settings["PASSWORD"], database=settings["NAME"], autocommit=True,
    )  # fmt: skip
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM accounts_user WHERE email = %s", [email])
            return cursor.fetchone()[0] == 1
    finally:
        other.close()


def test_a_transaction_is_begin_and_commit_with_no_autocommit_switching():
    connection.ensure_connection()
    before = _counters()
    with transaction.atomic():
        UserFactory(email="one@example.com")
    assert _changed(before, _counters()) == {"Com_begin": 1, "Com_commit": 1}


def test_a_transaction_is_invisible_to_others_until_its_commit_and_a_rollback_leaves_nothing():
    with transaction.atomic():
        UserFactory(email="inside@example.com")
        assert not _other_session_sees("inside@example.com")
    assert _other_session_sees("inside@example.com")

    with pytest.raises(RuntimeError), transaction.atomic():
        UserFactory(email="undone@example.com")
        raise RuntimeError("the block fails")
    assert not User.objects.filter(email="undone@example.com").exists()


def test_outside_a_transaction_every_statement_commits_at_once():
    with transaction.atomic():
        pass
    UserFactory(email="after@example.com")  # no transaction: must not be left open by the block before
    assert _other_session_sees("after@example.com")


def test_select_for_update_still_needs_a_transaction():
    with pytest.raises(transaction.TransactionManagementError):
        list(User.objects.select_for_update())


def test_statements_their_durations_and_errors_are_counted_in_the_database_metrics():
    from django.db import DatabaseError
    from django_prometheus.db import errors_total, execute_total, query_duration_seconds

    def sample(metric, name, **labels):
        # The metric's own samples: a scrape of the whole registry would run the database gauges' queries too.
        labels = {"alias": "default", "vendor": "mysql", **labels}
        found = [s.value for s in metric.collect()[0].samples if s.name == name and s.labels == labels]
        return found[0] if found else 0

    def samples():
        return (
            sample(execute_total, "django_db_execute_total"),
            sample(query_duration_seconds, "django_db_query_duration_seconds_count"),
            sample(errors_total, "django_db_errors_total", type="ProgrammingError"),
        )

    connection.ensure_connection()
    before = samples()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.execute("SELECT 2")
        with pytest.raises(DatabaseError):
            cursor.execute("SELECT * FROM no_such_table")
    assert [after - was for was, after in zip(before, samples(), strict=True)] == [3, 3, 1]
