"""The web view at scale: the overview page for 10,000 units, server time (goal ≤ 0.5 s).

The generated database of `bench.generate` (10,000 press agencies under 34 provinces, 50 indicators,
every agency has sent), an administrator signed in through a real sign-in link, and requests
through the bot's whole Starlette application in process (Starlette's test client): what is timed
is the server's work for one page, from the request to the last byte of the response. Also printed:
rows per page and pages, the page's size, a sorted and a filtered view, one unit's page, and the
chart image the overview embeds. `after_new_answer`: each request follows a change to one
submission, so the tally is made afresh (during a collection round, the usual case); `kept`: the
next clicks on unchanged data (sort, filter, another page), which reuse the tally and the chart
(`bot/web/kept.py`). CPU seconds are printed too: on a shared machine they say what the server did.
"""

from __future__ import annotations

import os
import tempfile
import time
import warnings
from pathlib import Path

from bench.common import line, median, note

RUNS = 5
UNITS = 10_000
PERIODS = 2  # the overview reads one period; the previous one is there as in real life


def signed_in_client(url: str):  # noqa: ANN201 - a TestClient
    """An administrator of the generated database, signed in with a sign-in link as `/web` gives it."""
    from bot.server import web_app
    from bot.web.auth import new_sign_in
    from bot.web.paths import sign_in_path
    from storage.models import Role
    from tests.helpers.app import make_app

    app = make_app(url, load=False)
    with app.uow() as uow:
        person = uow.people.add_person("Quản trị thử tải")
        uow.people.grant(person, Role.ADMIN, uow.units.by_code("CBC"))
        token = new_sign_in(uow, person.id, app.clock.now())
        uow.commit()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    client = TestClient(web_app(app, None, None), follow_redirects=False)
    assert client.get(sign_in_path(token)).status_code == 303
    return app, client


def timed(client, path: str, touch=None) -> tuple[float, float, int]:  # noqa: ANN001
    """Median wall and CPU seconds of RUNS requests (after one to warm up), and the response's size.

    `touch` runs before each request (outside the timing): a new answer, so nothing kept can be reused."""
    walls, cpus, size = [], [], 0
    for _ in range(RUNS + 1):
        if touch:
            touch()
        w, c = time.perf_counter(), time.process_time()
        response = client.get(path)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        size = len(response.content)
    return median(walls[1:]), median(cpus[1:]), size


def new_answer(app):  # noqa: ANN001, ANN201
    """A function that changes one submission, as a focal person's new answer would."""
    from sqlalchemy import text

    def touch() -> None:
        with app.uow() as uow:
            uow.session.execute(text("UPDATE submissions SET version = version + 1 "
                                     "WHERE id = (SELECT min(id) FROM submissions)"))
            uow.commit()

    return touch


def main() -> None:
    from bench.generate import build
    from storage.migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'web.sqlite3'}"
        upgrade(url)
        t0 = time.perf_counter()
        answers = build(url, UNITS, 50, PERIODS)
        note(f"built {UNITS:,} units × 50 indicators × {PERIODS} periods = {answers:,} answers in "
             f"{time.perf_counter() - t0:.0f} s; web view: requests in process through the bot's Starlette app, "
             f"median of {RUNS} after a first (cold) one")
        app, client = signed_in_client(url)
        cold, cold_cpu, size = timed(client, "/w/tong-hop", new_answer(app))
        kept, kept_cpu, _ = timed(client, "/w/tong-hop")
        rows = client.get("/w/tong-hop").text.count('<tr data-unit="')
        line("web.overview.10k.after_new_answer", cold, "s", "≤ 0.5 s", cold <= 0.5)
        line("web.overview.10k.after_new_answer.cpu", cold_cpu, "s")
        line("web.overview.10k.kept", kept, "s", "≤ 0.5 s", kept <= 0.5)
        line("web.overview.10k.kept.cpu", kept_cpu, "s")
        line("web.overview.10k.page", f"{rows} rows of {UNITS:,} units a page, {-(-UNITS // rows)} pages, "
                                      f"{size / 1024:.0f} kB")
        for name, path in (("sorted_by_status.page_50", "/w/tong-hop?sap-xep=trang-thai&trang=50"),
                           ("filtered_late", "/w/tong-hop?trang-thai=muon"),
                           ("unit_page", "/w/don-vi/A04242")):
            wall, _, _ = timed(client, path)
            line(f"web.{name}.10k", wall, "s", "≤ 0.5 s", wall <= 0.5)
        t0 = time.perf_counter()
        assert client.get("/w/tai/bieu-do.png").status_code == 200
        drawn = time.perf_counter() - t0
        t0 = time.perf_counter()
        assert client.get("/w/tai/bieu-do.png").status_code == 200
        line("web.chart.10k.drawn", drawn, "s")
        line("web.chart.10k.kept", time.perf_counter() - t0, "s")
        app.close()
        os.remove(url[len("sqlite:///"):])


if __name__ == "__main__":
    main()
