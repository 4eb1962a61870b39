"""constraints.txt pins every dependency exactly, with hashes, and `make install` insists on them (issue 19)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s*--hash=sha256:[0-9a-f]{64})+)", re.MULTILINE)


def pins() -> dict[str, tuple[str, int]]:
    """Each pinned package (canonical name) with its version and how many hashes it carries."""
    text = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    return {canonicalize_name(m[1]): (m[2], m[3].count("--hash=")) for m in PIN.finditer(text)}


def test_every_requirement_line_is_an_exact_pin_with_hashes() -> None:
    lines = [x for x in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
             if x and not x.startswith((" ", "#", "\t"))]
    pinned = {canonicalize_name(x.split("==")[0]) for x in lines if "==" in x}
    assert lines and len(lines) == len(pins()), [x for x in lines if canonicalize_name(x.split("==")[0]) not in pins()
                                                 or x.split("==")[0] == x]
    assert pinned == set(pins())
    assert all(count >= 1 for _, count in pins().values())
    assert not any(x.startswith(("--index-url", "--extra-index-url", "--find-links", "-f ")) for x in lines), \
        "no machine's own package source in the pins"


def test_every_dependency_of_pyproject_and_constraints_in_is_pinned() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [*project["project"]["dependencies"], *project["project"]["optional-dependencies"]["dev"],
              *project["build-system"]["requires"]]
    wanted += [x.split("#")[0].strip() for x in (ROOT / "constraints.in").read_text(encoding="utf-8").splitlines()
               if x.split("#")[0].strip()]
    pinned = pins()
    for spec in wanted:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req.name} is not in constraints.txt: run `make constraints`"
        assert req.specifier.contains(pinned[name][0], prereleases=True), (spec, pinned[name][0])
    assert "cryptography" in pinned


def test_make_install_requires_hashes_and_python_3_11() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    install = makefile.split("$(STAMP): pyproject.toml constraints.txt", 1)[1].split("\ninstall:", 1)[0]
    assert "--require-hashes" in install and "-r constraints.txt" in install
    assert "--no-deps --no-build-isolation -e ." in install and "check" in install
    assert "-c constraints.txt" not in install, "constraints without hashes would let unpinned files in"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["requires-python"] == ">=3.11,<3.12"
