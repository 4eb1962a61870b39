"""Read catalog files in stages (read → validate → cross-check); errors name file, entry and the fix."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from conversations.catalog.schema import FormDef, UnitDef, UnitsFile

M = TypeVar("M", bound=BaseModel)
# The catalog shipped with the bot is package data: found next to this module wherever it is installed
# (a wheel in a virtualenv, an editable checkout), never relative to the working directory.
SHIPPED = Path(__file__).resolve().parent / "shipped"


class CatalogError(Exception):
    """A catalog file is wrong; the message names the file, the entry and what to write instead."""

    def __init__(self, file: Path | str, entry: str, problem: str) -> None:
        self.file, self.entry, self.problem = str(file), entry, problem
        super().__init__(f"{file}: {entry}: {problem}" if entry else f"{file}: {problem}")


@dataclass(frozen=True)
class LoadedForm:
    """A validated form file and the hash that versions it."""

    definition: FormDef
    path: Path
    content_hash: str


def read_yaml(path: Path) -> Any:
    """Stage 1: parse YAML, reporting the line of a syntax error."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(path, "", "file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise CatalogError(path, where, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None


def _entry_name(data: Any, loc: tuple[Any, ...]) -> str:
    """`questions[2] (ct3).shape` from a pydantic error location, naming list items by key/code."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = ""
            if isinstance(node, list) and item < len(node) and isinstance(node[item], dict):
                ident = node[item].get("key") or node[item].get("code")
                label = f" ({ident})" if ident else ""
            parts[-1:] = [f"{parts[-1] if parts else ''}[{item}]{label}"]
            node = node[item] if isinstance(node, list) and item < len(node) else None
        else:
            parts.append(str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return ".".join(parts)


def validate(model: type[M], data: Any, path: Path) -> M:
    """Stage 2: validate against the schema; the first error becomes a CatalogError."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key; check its spelling against the other entries"
        elif err["type"] == "missing":
            msg = "required; add it"
        elif err["type"] == "enum" or err["type"] == "literal_error":
            msg = f"{err['input']!r} is not allowed; {msg.replace('Input should be', 'write')}"
        raise CatalogError(path, _entry_name(data, tuple(err["loc"])), msg) from None


def content_hash(definition: FormDef) -> str:
    """A hash of the validated content, so comments and formatting do not make a new version."""
    canonical = json.dumps(definition.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def load_form(path: Path) -> LoadedForm:
    """Read and validate one form file."""
    definition = validate(FormDef, read_yaml(path), path)
    return LoadedForm(definition, path, content_hash(definition))


def load_units(path: Path) -> list[UnitDef]:
    """Read and validate the units file, then check every parent and successor exists."""
    units = validate(UnitsFile, read_yaml(path), path).units
    codes = [u.code for u in units]
    seen: set[str] = set()
    for i, unit in enumerate(units):
        if unit.code in seen:
            raise CatalogError(path, f"units[{i}] ({unit.code})", "code used twice; give each unit its own code")
        seen.add(unit.code)
    for i, unit in enumerate(units):
        for field in ("parent", "successor"):
            ref = getattr(unit, field)
            if ref and ref not in codes:
                raise CatalogError(path, f"units[{i}] ({unit.code}).{field}",
                                   f"no unit has code {ref!r}; write one of the codes in this file")
    return units


def load_catalog(folder: Path = SHIPPED) -> tuple[list[UnitDef], list[LoadedForm]]:
    """Stage 3: the units file and every form in `forms/`, with targets' scopes checked against units."""
    units = load_units(folder / "units.yaml")
    codes = {u.code for u in units}
    forms = [load_form(p) for p in sorted((folder / "forms").glob("*.yaml"))]
    if not forms:
        raise CatalogError(folder / "forms", "", "no form files (*.yaml) found")
    for loaded in forms:
        _check_scopes(loaded, codes)
    seen = [f.definition.code for f in forms]
    dupes = {c for c in seen if seen.count(c) > 1}
    if dupes:
        raise CatalogError(folder / "forms", "", f"form code {sorted(dupes)[0]} is used by two files")
    return units, forms


def _check_scopes(loaded: LoadedForm, codes: set[str]) -> None:
    """Every target scope and receiver must be a known unit code."""
    d = loaded.definition
    if d.receiver and d.receiver not in codes:
        raise CatalogError(loaded.path, "receiver", f"no unit has code {d.receiver!r}")
    for qi, q in enumerate(d.questions):
        for ti, t in enumerate(q.targets):
            if t.scope and t.scope not in codes:
                raise CatalogError(loaded.path, f"questions[{qi}] ({q.key}).targets[{ti}].scope",
                                   f"no unit has code {t.scope!r}; use a code from units.yaml or remove scope")
