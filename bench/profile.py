"""Where the time goes (`python -m bench profile`; not part of the default `make bench`): py-spy samples the
CPU of every thread of a process (cProfile and pyinstrument see one thread of their own process only; the
reply path hops to worker threads and the e2e path runs in other processes).

1. reply path, in process: our bot on SQLite with 200 persons, sequential answers on the fast transport
   (`bench.reply.ours`), py-spy on this process while the answers are measured;
2. e2e path: the bots of `bench.e2e` over real HTTP, py-spy on the `chitieu run` process and on the durable
   peer's process while they answer the script.

Printed per process: CPU milliseconds per answer, the share of samples by thread, by layer (innermost known
package of each sample, see `bench.stacks`) and our functions by inclusive share. py-spy is a dev dependency.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench import e2e, reply
from bench.common import line, note
from bench.stacks import Profile, read
from bench.world import database

RATE = 250  # samples per second
TOP = 14


def py_spy() -> str:
    """The py-spy executable (next to this interpreter, or on PATH)."""
    here = Path(sys.executable).parent / "py-spy"
    found = str(here) if here.exists() else shutil.which("py-spy")
    if not found:
        raise SystemExit("py-spy is not installed: `make install` (it is in the dev extra) or pip install py-spy")
    return found


@contextlib.contextmanager
def sampling(pid: int, out: Path) -> Iterator[Path]:
    """py-spy recording `pid` (every thread, on-CPU samples only) into `out` while the block runs."""
    proc = subprocess.Popen([py_spy(), "record", "--pid", str(pid), "--format", "raw", "--output", str(out),
                             "--rate", str(RATE), "--threads", "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)  # attached
    try:
        yield out
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        if not out.exists():
            raise RuntimeError(f"py-spy wrote nothing: {err.decode(errors='replace')[-500:]}")


def show(tag: str, profile: Profile, answers: int) -> None:
    """Print one process's profile."""
    line(f"{tag}.active_ms_per_answer", profile.samples / RATE / max(answers, 1) * 1000,
         "ms (thread samples running or waiting for a core, all threads)")
    note(f"{tag} threads: " + ", ".join(f"{k} {profile.share(n):.0f}%" for k, n in profile.threads.most_common()))
    note(f"{tag} layers: " + ", ".join(f"{k} {profile.share(n):.0f}%" for k, n in profile.layers.most_common()))
    note(f"{tag} innermost functions (self):")
    for key, n in profile.leaves.most_common(TOP):
        note(f"    {profile.share(n):4.0f}%  {key}")
    note(f"{tag} our functions (inclusive):")
    for key, n in profile.ours.most_common(TOP):
        note(f"    {profile.share(n):4.0f}%  {key}")


def reply_path(folder: Path) -> None:
    """Profile 1: the reply path in this process."""
    out = folder / "reply.txt"
    counted: dict[str, int] = {}

    @contextlib.contextmanager
    def around() -> Iterator[None]:
        with sampling(os.getpid(), out):
            yield
        counted["answers"] = reply.ANSWERS[200]

    with database("sqlite") as url:
        asyncio.run(reply.ours(url, 200, 1, around=around, burst=False))
    show("profile.reply.sqlite.200", read(out.read_text()), counted["answers"])


def e2e_path(folder: Path) -> None:
    """Profile 2: the e2e path, in the bots' own processes."""
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp, e2e.session(Path(tmp)) as bots:
        e2e.measure(bots, e2e.WARM_UP, record=False)
        profiled = [b for b in bots if b.name in ("chitieu", "ptb_durable")]
        with contextlib.ExitStack() as stack:
            for bot in profiled:
                assert bot.process is not None
                stack.enter_context(sampling(bot.process.pid, folder / f"e2e-{bot.name}.txt"))
            e2e.measure(bots, e2e.TURNS)
        for bot in profiled:
            show(f"profile.e2e.{bot.name}", read((folder / f"e2e-{bot.name}.txt").read_text()), len(bot.turns))
        e2e.report(bots)


def main() -> None:
    note(f"profile: py-spy at {RATE} Hz, on-CPU samples of every thread; layer = innermost known package of a "
         "sample (standard-library frames count for their caller; SQLAlchemy's do_execute/do_commit = DB driver)")
    keep = os.environ.get("BENCH_PROFILE_DIR")  # keep py-spy's raw stacks there (e.g. for a flame graph)
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        folder = Path(keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        reply_path(folder)
        e2e_path(folder)
        if keep:
            note(f"raw stacks kept in {folder}")


if __name__ == "__main__":
    main()
