"""End to end over real HTTP: a message posted at the tests' fake Bot API (`tests/fakes`) → the bot's first
reply recorded by it (the `sendMessage` or `editMessageText` to that chat, at its arrival), for
- chitieu-bot: the real `chitieu run` stack in its own process, pointed at the fake with TELEGRAM_API_BASE_URL
  (production settings: its polling loop, inbox, engine, outbox, delivery, AIORateLimiter);
- the two peers of `bench.peer` (PTB's ConversationHandler form bot, PicklePersistence and the durable
  SQLite persistence), each in its own process, long polling the way `run_polling` does.

One focal person per bot, the same script (the five-step Form 1 cycle: answer, skip, answer, back, back;
answers typed, presses on the inline buttons the bot sent), TURNS per round, ROUNDS rounds; the bots take turns
message by message (the order rotating), each bot against its own fake server in this process, a short pause
before each message so that one bot's trailing calls are done before the next bot's turn. Logging at WARNING
for all three. Percentiles are over every measured turn of every round.

Each turn is also split at the bot's next getUpdates call (from the fake's log): posted → next poll is the
update's trip to the bot and what the bot does before asking for more (ours: stores it in the inbox and
commits; PTB: puts it in its queue); next poll → first reply is the rest (apply, commit, send).
"""

from __future__ import annotations

import bisect
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import line, median, note, percentile
from bench.world import database, focal_persons, make
from tests.fakes import ApiCall, FakeBotApi

TURNS = int(os.environ.get("BENCH_E2E_TURNS", "60"))
ROUNDS = int(os.environ.get("BENCH_E2E_ROUNDS", "3"))
WARM_UP = 5
PAUSE = 0.1  # seconds before each message
REPLY_METHODS = ("sendMessage", "editMessageText")
ROOT = Path(__file__).resolve().parents[1]
UID = 5_000_001  # bench.world.FIRST_UID: the first focal person focal_persons() registers


def step_input(step: int) -> tuple[str, str]:
    """("text", what to type) or ("press", callback data) for step `step` of the five-step cycle."""
    k, phase = divmod(step, 5)
    k %= 5
    return [("text", f"{60 + k}%/{40 - k}%"), ("press", "skip:ct1"), ("text", f"{120 + k}.500/150.000"),
            ("press", "back:ct2"), ("press", "back:ct2")][phase]


def first_reply(calls: Sequence[ApiCall], chat_id: int) -> ApiCall | None:
    """The first successful message the bot sent or edited into `chat_id` among `calls`, if any."""
    return next((c for c in calls if c.method in REPLY_METHODS and c.status == 200
                 and str(c.chat_id) == str(chat_id)), None)


def calls_by_method(calls: Sequence[ApiCall]) -> Counter[str]:
    """How many calls of each Bot API method (getUpdates included)."""
    return Counter(c.method for c in calls)


def next_poll(t0: float, polls: Sequence[float]) -> float | None:
    """The arrival of the first getUpdates call after `t0` (sorted `polls`): when the bot was done taking the
    update it was just handed (ours: stored in the inbox and confirmed; PTB: put in its queue)."""
    i = bisect.bisect_right(polls, t0)
    return polls[i] if i < len(polls) else None


@dataclass
class Turn:
    """One measured step: what was sent, when it was posted and when the first reply arrived (time.time())."""

    kind: str  # "text" or "press"
    posted: float
    replied: float

    @property
    def seconds(self) -> float:
        """Posted → first reply."""
        return self.replied - self.posted


@dataclass
class Bot:
    """One bot under test: its fake server, its process, where it is in the script, what it measured."""

    name: str
    fake: FakeBotApi
    process: subprocess.Popen[bytes] | None = None
    step: int = 0
    turns: list[Turn] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)

    def turn(self, timeout: float = 30.0) -> Turn:
        """Post the next step at the fake and wait for the first reply."""
        kind, value = step_input(self.step)
        before = len(self.fake.calls())
        if kind == "text":
            t0 = time.time()
            self.fake.user_sends_text(UID, value)
        else:
            message = next(m for m in reversed(self.fake.sent_to(UID)) if value in
                           [b.callback_data for row in m.buttons for b in row])
            t0 = time.time()
            self.fake.user_presses_button(UID, message, callback_data=value)
        reply = self.fake.wait_for(lambda: first_reply(self.fake.calls()[before:], UID), timeout)
        self.step += 1
        return Turn(kind, t0, reply.at)

    def seconds(self, kind: str | None = None) -> list[float]:
        """Posted → first reply of the measured turns (of one kind)."""
        return [t.seconds for t in self.turns if kind in (None, t.kind)]

    def phases(self) -> tuple[list[float], list[float]]:
        """Per turn: posted → the bot's next getUpdates, and that → the first reply (turns without one
        in between left out)."""
        polls = sorted(c.at for c in self.fake.calls("getUpdates"))
        taken, rest = [], []
        for t in self.turns:
            at = next_poll(t.posted, polls)
            if at is not None and at <= t.replied:
                taken.append(at - t.posted)
                rest.append(t.replied - at)
        return taken, rest


def start_peer(kind: str, fake: FakeBotApi, folder: Path, timeout: float = 60.0) -> subprocess.Popen[bytes]:
    """`python -m bench.peer` against `fake`, returned once it polls (PTB deletes the webhook first)."""
    env = {**os.environ, "PEER_TOKEN": fake.token, "PEER_BASE_URL": fake.base_url,
           "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    polls = len(fake.calls("deleteWebhook"))
    log = (folder / f"peer-{kind}.log").open("ab")
    proc = subprocess.Popen([sys.executable, "-m", "bench.peer", "--kind", kind, "--folder", str(folder)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while len(fake.calls("deleteWebhook")) <= polls:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the {kind} peer did not start polling; see {folder}/peer-{kind}.log")
        time.sleep(0.05)
    return proc


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM, then SIGKILL after 10 s."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextlib.contextmanager
def session(folder: Path) -> Iterator[list[Bot]]:
    """The three bots running against their fakes, each person ready at question 1 of Form 1."""
    from tests.faults.botprocess import BotProcess

    with contextlib.ExitStack() as stack, database("sqlite") as url:
        fakes = [stack.enter_context(FakeBotApi()) for _ in range(3)]
        for fake in fakes:
            fake.add_user(UID, "Đầu mối")
        app = make(url)
        focal_persons(app, 1)
        app.close()
        ours = BotProcess(fakes[0], url, folder / "chitieu.log", OUTBOX_POLL_SECONDS="2",
                          OUTBOX_CLAIM_TIMEOUT_SECONDS="120")
        ours.start(timeout=60)
        stack.callback(ours.stop)
        bots = [Bot("chitieu", fakes[0], ours.proc)]
        for kind, fake in zip(("pickle", "durable"), fakes[1:], strict=True):
            (folder / kind).mkdir()
            bot = Bot(f"ptb_{'reference' if kind == 'pickle' else 'durable'}", fake,
                      start_peer(kind, fake, folder / kind))
            stack.callback(stop, bot.process)
            fake.user_sends_text(UID, "/nop")
            fake.wait_for_messages(UID, 1, timeout=30)
            bots.append(bot)
        yield bots


def measure(bots: list[Bot], turns: int, record: bool = True) -> None:
    """`turns` steps for every bot, interleaved message by message (the order rotating); recorded: the
    turns and the Bot API calls they made."""
    marks = [len(b.fake.calls()) for b in bots]
    for i in range(turns):
        for bot in bots[i % len(bots):] + bots[:i % len(bots)]:
            time.sleep(PAUSE)
            turn = bot.turn()
            if record:
                bot.turns.append(turn)
    time.sleep(PAUSE)  # the trailing calls of the last turn
    for bot, mark in zip(bots, marks, strict=True):
        if record:
            bot.calls += calls_by_method(bot.fake.calls()[mark:])


def run(rounds: int = ROUNDS, turns: int = TURNS) -> list[Bot]:
    """Start the bots, warm them up, measure `rounds` × `turns` steps each; the bots with their figures."""
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp, session(Path(tmp)) as bots:
        measure(bots, WARM_UP, record=False)
        for _ in range(rounds):
            measure(bots, turns)
        return bots


def report(bots: list[Bot]) -> None:
    """p50/p99 of each bot, by kind of input, the two phases, Bot API calls per turn; the ratios."""
    for bot in bots:
        tag, every = f"e2e.{bot.name}", bot.seconds()
        line(f"{tag}.p50", percentile(every, 50) * 1000, "ms")
        line(f"{tag}.p99", percentile(every, 99) * 1000, "ms")
        for kind in ("text", "press"):
            line(f"{tag}.{kind}.p50", median(bot.seconds(kind)) * 1000, "ms")
        taken, rest = bot.phases()
        if len(taken) >= len(bot.turns) / 2:
            line(f"{tag}.posted_to_next_poll.p50", median(taken) * 1000, "ms (update fetched and taken)")
            line(f"{tag}.next_poll_to_reply.p50", median(rest) * 1000, "ms (applied, reply sent)")
        else:
            note(f"{bot.name}: its next getUpdates comes after its reply (PTB hands the update to the handler "
                 "before polling again), so the turn is not split")
        turns = len(bot.turns) or 1
        line(f"{tag}.bot_api_calls_per_turn", sum(n for m, n in bot.calls.items() if m != "getUpdates") / turns, "")
        line(f"{tag}.get_updates_per_turn", bot.calls.get("getUpdates", 0) / turns, "")
        note(f"{bot.name} calls per turn: " + ", ".join(f"{m} {n / turns:.2f}" for m, n in bot.calls.most_common()))
    ours = bots[0].seconds()
    for peer in bots[1:]:
        for q in (50, 99):
            line(f"e2e.ratio_to_{peer.name}.p{q}", percentile(ours, q) / percentile(peer.seconds(), q), "x")


def main() -> None:
    note(f"e2e: message posted at the fake Bot API → first reply recorded by it, over real HTTP; chitieu run "
         f"vs the PTB peers, each its own process and fake; {ROUNDS} rounds × {TURNS} turns (answers and "
         f"back-presses) per bot, interleaved, {PAUSE * 1000:.0f} ms pause before each message")
    report(run())


if __name__ == "__main__":
    main()
