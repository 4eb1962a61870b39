"""Pieces of the benchmark harness with logic: the goal table, py-spy stacks, the e2e turn bookkeeping.
No timings are asserted here; `make bench` measures them."""

from __future__ import annotations

import pytest

from bench import goals
from bench.common import line
from bench.e2e import first_reply, next_poll, step_input
from bench.stacks import layer_of, parse_line, read
from tests.fakes import ApiCall


@pytest.fixture(autouse=True)
def empty_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(goals, "figures", {})
    monkeypatch.setattr(goals, "skipped", {})


def test_a_goal_figure_is_printed_with_its_goal_and_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    line("reply.sqlite.200.seq.p50", 2.5, "ms")
    line("reply.sqlite.200.seq.p99", 24.0, "ms")
    out = capsys.readouterr().out.splitlines()
    assert out == ["reply.sqlite.200.seq.p50: 2.5 ms (goal ≤ 3 ms, met)",
                   "reply.sqlite.200.seq.p99: 24 ms (goal ≤ 15 ms, NOT met)"]


def test_the_closing_table_has_every_row_met_not_met_or_not_run_with_the_reason() -> None:
    line("throughput.sqlite.threads1", 3200.0, "messages/s")
    line("summary.10k.text", 1.2, "s")
    goals.skip("reply.postgresql", "PostgreSQL not reachable")
    rows = {row.split(" | ")[1].split(" = ")[0]: row for row in goals.table()[:-1]}
    assert len(rows) == len(goals.GOALS)
    assert rows["throughput.sqlite.threads1"].endswith("| met")
    assert rows["summary.10k.text"].endswith("| NOT met")
    assert rows["reply.postgresql.200.seq.p99"].endswith("not run (PostgreSQL not reachable)")
    assert rows["e2e.ratio_to_ptb_durable.p50"].endswith("not run (its benchmark was not selected)")
    assert goals.table()[-1] == f"goals met: 1 of {len(goals.GOALS)}"


def test_a_not_a_number_never_meets_a_goal() -> None:
    line("wave.sqlite.missed", float("nan"), "")
    assert goals.verdict(goals.BY_FIGURE["wave.sqlite.missed"])[1] == "NOT met"


RAW = """\
thread (101): MainThread;run (asyncio/base_events.py:600);handle (conversations/service.py:70);execute (sqlalchemy/orm/session.py:2300);DefaultDialect.do_execute (sqlalchemy/engine/default.py:924) 6
thread (101): MainThread;run (asyncio/base_events.py:600);handle (conversations/service.py:70);compile (sqlalchemy/sql/compiler.py:10);deepcopy (copy.py:128) 3
thread (102): asyncio_0;_worker (concurrent/futures/thread.py:81) 1
not a sample line
"""


def test_stacks_are_counted_by_thread_by_layer_and_by_our_functions() -> None:
    profile = read(RAW)
    assert profile.samples == 10
    assert profile.threads == {"MainThread": 9, "asyncio workers": 1}
    assert profile.layers == {"DB driver": 6, "SQLAlchemy (Python)": 3, "event loop and threads": 1}
    assert profile.ours == {"handle (conversations/service.py)": 9}
    assert profile.leaves["deepcopy (copy.py)"] == 3


def test_a_standard_library_frame_counts_for_its_caller() -> None:
    parsed = parse_line("thread (1): T;f (bot/intake.py:3);dumps (json/__init__.py:231) 2")
    assert parsed is not None
    assert layer_of(parsed[1]) == "json"
    parsed = parse_line("thread (1): T;f (bot/intake.py:3);copy (copy.py:1) 2")
    assert parsed is not None and layer_of(parsed[1]).startswith("chitieu bot/")


def call(method: str, chat: object, at: float, status: int = 200) -> ApiCall:
    return ApiCall(method, {}, {}, chat, at, status)


def test_the_first_reply_is_the_first_successful_message_to_that_chat() -> None:
    calls = [call("answerCallbackQuery", None, 1.0), call("sendMessage", "8", 1.1),
             call("sendMessage", "7", 1.2, status=429), call("editMessageReplyMarkup", "7", 1.3),
             call("sendMessage", "7", 1.4), call("sendMessage", "7", 1.5)]
    assert first_reply(calls, 7) is calls[4]
    assert first_reply(calls[:4], 7) is None


def test_a_turn_is_split_at_the_next_poll_and_the_script_cycles_every_five_steps() -> None:
    assert next_poll(2.0, [1.0, 2.5, 3.0]) == 2.5
    assert next_poll(3.5, [1.0, 2.5, 3.0]) is None
    assert [step_input(i)[0] for i in range(6)] == ["text", "press", "text", "press", "press", "text"]
    assert step_input(5) != step_input(0)  # the typed values change from cycle to cycle
    assert step_input(25) == step_input(0)
