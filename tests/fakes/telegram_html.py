"""Telegram's HTML parse mode as the Bot API applies it: plain text plus entities, or the error it sends.

Follows the rules of the Bot API's parser (tdlib): only the tags listed in the Bot API docs, the four named
entities ``&lt; &gt; &amp; &quot;`` plus numeric ones, a stray ``&`` kept as text, and a stray ``<`` read as
the start of a tag (so ``a < b`` is rejected, as Telegram rejects it). Offsets count UTF-16 code units.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_ENTITY_TYPE_OF_TAG = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class EntityParseError(ValueError):
    """The markup is not what Telegram accepts; the message is the text after "can't parse entities: "."""


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    start: int  # UTF-16 offset in the output text
    byte_offset: int


@dataclass
class _Parser:
    source: str
    pos: int = 0
    out: list[str] = field(default_factory=list)
    length: int = 0  # UTF-16 length of the output so far
    open_tags: list[_OpenTag] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)

    def run(self) -> tuple[str, list[dict]]:
        while self.pos < len(self.source):
            char = self.source[self.pos]
            if char == "&" and self._take_entity():
                continue
            if char != "<":
                self._emit(char)
                self.pos += 1
            elif self.source.startswith("</", self.pos):
                self._close_tag()
            else:
                self._open_tag()
        if self.open_tags:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.open_tags[-1].name}"'
            )
        for entity in self.entities:
            entity.pop("_language", None)
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def _emit(self, text: str) -> None:
        self.out.append(text)
        self.length += utf16_len(text)

    def _byte_offset(self, pos: int) -> int:
        return len(self.source[:pos].encode())

    def _take_entity(self) -> bool:
        decoded, end = decode_html_entity(self.source, self.pos)
        if decoded is None:
            return False
        self._emit(decoded)
        self.pos = end
        return True

    def _skip_spaces(self) -> None:
        while self.pos < len(self.source) and self.source[self.pos].isspace():
            self.pos += 1

    def _scan_until(self, stops: str) -> str:
        start = self.pos
        while (
            self.pos < len(self.source)
            and not self.source[self.pos].isspace()
            and self.source[self.pos] not in stops
        ):
            self.pos += 1
        return self.source[start : self.pos]

    def _open_tag(self) -> None:
        begin = self.pos
        self.pos += 1
        name = self._scan_until(">").lower()
        if self.pos >= len(self.source):
            raise EntityParseError(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        if name not in _ENTITY_TYPE_OF_TAG:
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {self._byte_offset(begin)}'
            )
        attributes = self._read_attributes(name, begin)
        self.pos += 1  # the '>'
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self._byte_offset(begin)}'
            )
        self.open_tags.append(_OpenTag(name, attributes, self.length, self._byte_offset(begin)))

    def _read_attributes(self, tag: str, begin: int) -> dict[str, str]:
        attributes: dict[str, str] = {}
        while True:
            self._skip_spaces()
            if self.pos >= len(self.source):
                raise EntityParseError(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
            if self.source[self.pos] == ">":
                return attributes
            name = self._scan_until("=>/\"'").lower()
            if not name:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {self._byte_offset(begin)}'
                )
            self._skip_spaces()
            if self.source[self.pos : self.pos + 1] != "=":
                attributes[name] = ""
                continue
            self.pos += 1
            self._skip_spaces()
            attributes[name] = self._read_attribute_value()

    def _read_attribute_value(self) -> str:
        quote = self.source[self.pos : self.pos + 1]
        if quote not in ("'", '"'):
            return self._scan_until(">").lower()
        self.pos += 1
        value: list[str] = []
        while self.pos < len(self.source) and self.source[self.pos] != quote:
            decoded, end = decode_html_entity(self.source, self.pos)
            value.append(decoded if decoded is not None else self.source[self.pos])
            self.pos = end if decoded is not None else self.pos + 1
        self.pos += 1
        return "".join(value)

    def _close_tag(self) -> None:
        begin = self.pos
        self.pos += 2
        name = self._scan_until(">").lower()
        self._skip_spaces()
        if self.source[self.pos : self.pos + 1] != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {self._byte_offset(begin)}")
        self.pos += 1
        if not self.open_tags:
            raise EntityParseError(f"Unexpected end tag at byte offset {self._byte_offset(begin)}")
        opened = self.open_tags[-1]
        if name and name != opened.name:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {self._byte_offset(begin)}, "
                f'expected "</{opened.name}>", found "</{name}>"'
            )
        self.open_tags.pop()
        if self.length > opened.start:
            self._add_entity(opened)

    def _add_entity(self, tag: _OpenTag) -> None:
        entity: dict = {
            "type": _ENTITY_TYPE_OF_TAG[tag.name],
            "offset": tag.start,
            "length": self.length - tag.start,
        }
        if tag.name == "a":
            if not tag.attributes.get("href"):
                return
            entity["url"] = tag.attributes["href"]
        elif tag.name == "tg-emoji":
            if not tag.attributes.get("emoji-id", "").isdigit():
                raise EntityParseError("Invalid custom emoji identifier specified")
            entity["custom_emoji_id"] = tag.attributes["emoji-id"]
        elif tag.name == "blockquote" and "expandable" in tag.attributes:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "code" and self._inside_pre():
            language = tag.attributes.get("class", "")
            if language.startswith("language-"):
                entity["_language"] = language.removeprefix("language-")
        elif tag.name == "pre" and self._inner_code_matches(entity):
            inner = self.entities.pop()
            if "_language" in inner:
                entity["language"] = inner["_language"]
        self.entities.append(entity)

    def _inner_code_matches(self, pre: dict) -> bool:
        last = self.entities[-1] if self.entities else None
        return bool(
            last
            and last["type"] == "code"
            and last["offset"] == pre["offset"]
            and last["length"] == pre["length"]
        )

    def _inside_pre(self) -> bool:
        return any(tag.name == "pre" for tag in self.open_tags)


def decode_html_entity(text: str, pos: int) -> tuple[str | None, int]:
    """Decode ``&lt;``, ``&#65;`` or ``&#x41;`` at ``pos``; (None, pos) when it is a literal '&'."""
    end = text.find(";", pos + 1)
    if end == -1 or end - pos > 10:
        return None, pos
    body = text[pos + 1 : end]
    if body in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[body], end + 1
    try:
        if body[:2].lower() == "#x":
            code = int(body[2:], 16)
        elif body.startswith("#") and body[1:].isdigit():
            code = int(body[1:])
        else:
            return None, pos
        return chr(code), end + 1
    except (ValueError, OverflowError):
        return None, pos


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def strip_text(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Trim surrounding whitespace as Telegram does, moving and clipping entities to match."""
    stripped = text.strip()
    removed = utf16_len(text) - utf16_len(text.lstrip())
    total = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(0, entity["offset"] - removed)
        end = min(total, entity["offset"] + entity["length"] - removed)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def parse_html(source: str) -> tuple[str, list[dict]]:
    """Return (text, entities) for an HTML-formatted message, or raise :class:`EntityParseError`."""
    return _Parser(source).run()
