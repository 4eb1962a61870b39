"""The throughput benchmark drives registered focal persons through Form 1 (its messages store answers),
not the greeting an unregistered sender gets. No timing is asserted."""

from __future__ import annotations

from bench.throughput import CHANNEL, run, stored_answers
from bench.world import focal_persons
from tests.helpers.app import make_app


def test_the_benchmark_messages_store_the_answers_of_every_person(catalog_sqlite_url: str) -> None:
    app = make_app(catalog_sqlite_url, load=False)
    uids = focal_persons(app, 2, channel=CHANNEL)
    assert stored_answers(app) == 0
    run(app.dialogue_service(), uids, dict.fromkeys(uids, 0), 10, 1, "test")
    assert stored_answers(app) == 4  # ct1 and ct2 of each person
    app.close()
