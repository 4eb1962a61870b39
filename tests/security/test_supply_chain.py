"""constraints.txt pins every dependency exactly, with hashes, and `make install` insists on them (issue 19);
constraints-run.txt pins what running needs, the same versions and hashes, without the test tools (issue 14)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s*--hash=sha256:[0-9a-f]{64})+)", re.MULTILINE)


def pins(name: str = "constraints.txt") -> dict[str, tuple[str, int]]:
    """Each pinned package (canonical name) with its version and how many hashes it carries."""
    return {package: (version, len(hashes)) for package, (version, hashes) in pinned_hashes(name).items()}


def pinned_hashes(name: str) -> dict[str, tuple[str, frozenset[str]]]:
    """Each pinned package (canonical name) of a constraints file with its version and its hashes."""
    text = (ROOT / name).read_text(encoding="utf-8")
    return {canonicalize_name(m[1]): (m[2], frozenset(re.findall(r"sha256:([0-9a-f]{64})", m[3])))
            for m in PIN.finditer(text)}


def requirements(*extras: str) -> list[Requirement]:
    """pyproject.toml's runtime dependencies and those of `extras`."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(x) for x in [*project["dependencies"],
                                     *(d for e in extras for d in project["optional-dependencies"][e])]]


@pytest.mark.parametrize("name", ["constraints.txt", "constraints-run.txt"])
def test_every_requirement_line_is_an_exact_pin_with_hashes(name: str) -> None:
    lines = [x for x in (ROOT / name).read_text(encoding="utf-8").splitlines()
             if x and not x.startswith((" ", "#", "\t"))]
    pinned = {canonicalize_name(x.split("==")[0]) for x in lines if "==" in x}
    assert lines and len(lines) == len(pins(name)), [x for x in lines if canonicalize_name(x.split("==")[0])
                                                     not in pins(name) or x.split("==")[0] == x]
    assert pinned == set(pins(name))
    assert all(count >= 1 for _, count in pins(name).values())
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


def test_the_run_pins_are_the_full_pins_without_the_test_tools() -> None:
    full, run = pinned_hashes("constraints.txt"), pinned_hashes("constraints-run.txt")
    assert set(run) < set(full)
    assert {name: full[name] for name in run} == run, "same version and hashes in both files: `make constraints`"
    for req in requirements("postgres"):
        name = canonicalize_name(req.name)
        assert name in run and req.specifier.contains(run[name][0], prereleases=True), (str(req), run.get(name))
    runtime = {canonicalize_name(r.name) for r in requirements("postgres")}
    tools = {canonicalize_name(r.name) for r in requirements("dev")} - runtime
    assert {"pytest", "ruff", "hypothesis", "selenium"} <= tools
    assert not tools & set(run), f"test tools pinned for running: {sorted(tools & set(run))}"


def test_postgres_driver_is_an_extra_not_a_runtime_dependency() -> None:
    runtime = {canonicalize_name(r.name) for r in requirements()}
    assert "psycopg" not in runtime
    assert "psycopg" in {canonicalize_name(r.name) for r in requirements("postgres")}
    assert "psycopg" in {canonicalize_name(r.name) for r in requirements("dev")}, "the suite runs on PostgreSQL"


def test_make_install_requires_hashes_and_python_3_11() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("define venv_install", 1)[1].split("endef", 1)[0]
    assert "--require-hashes" in recipe and "-r $(1)" in recipe and "(3, 11)" in recipe
    assert "--no-deps --no-build-isolation -e ." in recipe and "check" in recipe
    installs = [x for x in recipe.splitlines() if "$(PIP) install" in x]
    assert len(installs) == 2 and not any(" -c " in x for x in installs), "constraints without hashes would let unpinned files in"
    assert "$(STAMP): pyproject.toml constraints.txt\n\t$(call venv_install,constraints.txt)" in makefile
    assert "$(RUN_STAMP): pyproject.toml constraints-run.txt\n\t$(call venv_install,constraints-run.txt)" in makefile
    assert re.search(r"^run: install-run$", makefile, re.MULTILINE)
    assert re.search(r"^test: install$", makefile, re.MULTILINE)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["requires-python"] == ">=3.11,<3.12"
