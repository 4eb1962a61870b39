"""Start and idle: cold start of `chitieu run` to its first reply (console mode, and Telegram against
the fake Bot API), and the resident memory of the idle process with 10,000 registered persons."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import line, median, note
from bench.world import database, make

RUNS = 3
PERSONS = 10_000
BIN = Path(sys.executable).parent / "chitieu"
QUIET = "2026-03-20T09:00:00+07:00"  # nothing is due that day: no nudges go out while idle


def console_start(url: str) -> tuple[float, float]:
    """Seconds from exec to the console's greeting, and to the answer of the first typed command."""
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "CLOCK_NOW": "2026-11-21T09:00:00+07:00"}
    for key in ("TELEGRAM_BOT_TOKEN", "ZALO_APP_ID"):
        env.pop(key, None)
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(BIN), "run"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    assert proc.stdin is not None and proc.stdout is not None
    greeting = _first_output(proc, 30.0) - t0
    proc.stdin.write(b"/huongdan\n")
    proc.stdin.flush()
    answer = _first_output(proc, 30.0) - t0
    proc.stdin.close()
    proc.wait(timeout=30)
    return greeting, answer


def _first_output(proc: subprocess.Popen[bytes], timeout: float) -> float:
    """The time the process next writes to stdout (then drain what is there)."""
    fd = proc.stdout.fileno()  # type: ignore[union-attr]
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        raise TimeoutError("no output from `chitieu run`")
    at = time.perf_counter()
    time.sleep(0.05)
    while select.select([fd], [], [], 0)[0] and os.read(fd, 65536):
        pass
    return at


def telegram_start(url: str, folder: Path, persons: int = 0) -> tuple[float, float]:
    """Seconds from exec to the reply to a waiting /start, and the idle process's resident memory (MB)."""
    from tests.fakes import FakeBotApi
    from tests.faults.botprocess import BotProcess

    with FakeBotApi() as fake:
        fake.add_user(4_000_001, "Lan")
        fake.user_sends_command(4_000_001, "huongdan")
        bot = BotProcess(fake, url, folder / "start.log", CLOCK_NOW=QUIET, LOG_LEVEL=os.environ.get("BENCH_LOG", "WARNING"))
        t0 = time.time()
        bot.start(timeout=60)
        try:
            try:
                fake.wait_for_messages(4_000_001, 1, timeout=60)
            except TimeoutError:
                print("\n".join(x for x in (folder / "start.log").read_text().splitlines()
                                if "ExtBot" not in x and "http" not in x)[-4000:], file=sys.stderr)
                raise
            first = time.time() - t0
            time.sleep(8.0)  # idle: polling, sweeps, one reminder pass done
            assert bot.proc is not None
            rss = _rss_mb(bot.proc.pid)
            queued = len(fake.calls("sendMessage")) - 1
        finally:
            bot.stop()
    if queued:
        note(f"{queued} messages other than the reply were sent while idle")
    return first, rss


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for row in status:
            if row.startswith("VmRSS:"):
                return int(row.split()[1]) / 1024
    return float("nan")


def _copy(url: str, folder: Path, i: int) -> str:
    target = folder / f"copy-{i}.sqlite3"
    shutil.copyfile(url[len("sqlite:///"):], target)
    return f"sqlite:///{target}"


def main() -> None:
    from bench.wave import people

    note(f"start: cold start of `chitieu run` (fresh process each time, median of {RUNS}); idle memory "
         f"= VmRSS of `chitieu run` on Telegram (fake Bot API) 8 s after its first reply")
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp, database("sqlite") as url:
        make(url).close()
        runs = [console_start(url) for _ in range(RUNS)]
        greeting, answer = median([r[0] for r in runs]), median([r[1] for r in runs])
        line("start.console.first_reply", greeting, "s", "≤ 2 s", greeting <= 2.0)
        line("start.console.first_answer_to_a_command", answer, "s")
        # a fresh copy each time: every fake server numbers its updates from the same id, and the inbox
        # would rightly take a second update 10001 for a redelivery
        tg = [telegram_start(_copy(url, Path(tmp), i), Path(tmp)) for i in range(RUNS)]
        first = median([r[0] for r in tg])
        line("start.telegram.first_reply", first, "s", "≤ 2 s", first <= 2.0)
        line("idle.memory.empty", median([r[1] for r in tg]), "MB")
        url = _copy(url, Path(tmp), RUNS)
        people(url, PERSONS)
        _first, rss = telegram_start(url, Path(tmp), PERSONS)
        line("idle.memory.10k_persons", rss, "MB", "≤ 150 MB", rss <= 150)


if __name__ == "__main__":
    main()
