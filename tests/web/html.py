"""Reading served pages in tests: a small element tree from the standard library's HTML parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    """A tag with its attributes and children (text nodes are plain strings)."""

    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text inside, whitespace collapsed."""
        parts: list[str] = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else f" {child.text} ")
        return " ".join("".join(parts).split())

    def all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Every element below with this tag and these attribute values (`class_` matches one class)."""
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if child.matches(tag, attrs):
                    found.append(child)
                found += child.all(tag, **attrs)
        return found

    def one(self, tag: str | None = None, **attrs: str) -> Element:
        """The first such element (fails the test when there is none)."""
        found = self.all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> in the page"
        return found[0]

    def matches(self, tag: str | None, attrs: dict[str, str]) -> bool:
        """True when this element has the tag and the attributes."""
        if tag and self.tag != tag:
            return False
        for key, value in attrs.items():
            if key == "class_":
                if value not in self.attrs.get("class", "").split():
                    return False
            elif self.attrs.get(key.replace("_", "-")) != value:
                return False
        return True


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def page(html: str) -> Element:
    """The parsed page."""
    builder = _Builder()
    builder.feed(html)
    return builder.root


def table_rows(doc: Element, table_id: str) -> list[list[str]]:
    """The body rows of a table, as the text of each cell."""
    body = doc.one("table", id=table_id).one("tbody")
    return [[c.text for c in row.children if isinstance(c, Element) and c.tag in ("th", "td")]
            for row in body.all("tr")]
