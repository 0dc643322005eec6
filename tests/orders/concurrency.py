"""Run callables at the same moment from threads, each with its own database connection."""

import threading

from django.db import connection


def run_together(calls):
    """Start every call at once (a barrier); return [(result or None, exception or None)] in call order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = (call(), None)
        except Exception as exc:  # the test inspects every failure
            outcomes[index] = (None, exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a buyer hung"
    return outcomes
