"""The refusal sentences: vi and en hold the same keys and placeholders, and every refusal has one."""

import re
from pathlib import Path

import pytest
import yaml

from conversations.parsing import AnswerSpec, Problem
from conversations.parsing.problems import catalog
from conversations.parsing.spec import example_key
from storage.values import Shape

LOCALES = Path(__file__).resolve().parents[2] / "conversations" / "locales"
PACKAGE = LOCALES.parent / "parsing"


def flat(tree: dict, prefix: str = "parse.") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(value)
    return out


def load(lang: str) -> dict[str, str]:
    return flat(yaml.safe_load((LOCALES / lang / "parse.yaml").read_text(encoding="utf-8")))


def placeholders(template: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", template))


def test_vi_and_en_have_the_same_keys() -> None:
    assert load("vi").keys() == load("en").keys()


@pytest.mark.parametrize("key", sorted(load("vi")))
def test_vi_and_en_have_the_same_placeholders(key: str) -> None:
    assert placeholders(load("vi")[key]) == placeholders(load("en")[key])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_problem_has_a_sentence(lang: str) -> None:
    assert {p.value for p in Problem} <= load(lang).keys()


def test_every_parse_key_in_the_code_is_a_problem_or_an_example() -> None:
    """Keys written as literals anywhere in the package must be in the catalog (guards against strays)."""
    literals = set()
    for path in PACKAGE.glob("*.py"):
        literals |= set(re.findall(r"\"(parse\.[a-z_.]+)\"", path.read_text(encoding="utf-8")))
    assert literals <= load("vi").keys()


@pytest.mark.parametrize("shape", list(Shape))
@pytest.mark.parametrize("counts", [False, True])
def test_every_shape_has_an_example(shape: Shape, counts: bool) -> None:
    key = example_key(AnswerSpec(shape, counts_required=counts))
    assert key in load("vi") and key in load("en")


def test_the_loaded_catalog_holds_the_parse_sentences() -> None:
    assert catalog().text("parse.example.percent", "vi") == "12,5%"
    assert catalog().text("parse.example.percent", "en") == "12.5%"


def test_every_vietnamese_refusal_addresses_the_user_as_anh_chi() -> None:
    refusals = {key: s for key, s in load("vi").items() if not key.startswith("parse.example.")}
    assert [key for key, sentence in refusals.items() if "Anh/Chị" not in sentence] == []
