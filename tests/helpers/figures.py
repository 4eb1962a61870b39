"""Figures the fault and security runs measure (kills survived, leaks, …), shown at the end of the run.

Under pytest-xdist a worker's output is not shown, so each figure is also appended to the file named by
CHITIEU_FIGURES, which the controlling process sets and prints in its terminal summary (tests/conftest.py).
"""

from __future__ import annotations

import os

ENV = "CHITIEU_FIGURES"


def figure(line: str) -> None:
    """Print one figure line and keep it for the end-of-run summary."""
    print(f"\n{line}")
    path = os.environ.get(ENV)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(line + "\n")
