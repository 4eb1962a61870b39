"""Command words: `/nop`, `nop`, `nộp`, `tong hop`… mapped onto one canonical name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from conversations.parsing import fold
from storage.i18n import DEFAULT_LANG, LANGS, Catalog, locales_of
from storage.models import Role
from storage.period_names import read_period, with_codes
from storage.uow import UnitOfWork

# canonical name -> words a person may type instead of the slash command (already folded)
ALIASES: dict[str, tuple[str, ...]] = {
    "start": ("start", "bat dau"),
    "nop": ("nop", "nop bao cao", "nop so lieu", "submit"),
    "xem": ("xem", "xem lai", "view"),
    "han": ("han", "han nop", "deadline", "deadlines"),
    "huy": ("huy", "thoat", "tam dung", "dung lai", "cancel", "stop"),
    "huongdan": ("huong dan", "huongdan", "help", "tro giup", "giup"),
    "lang": ("lang", "ngon ngu", "language"),
    "lienket": ("lien ket", "lienket", "link"),
    "tonghop": ("tong hop", "tonghop", "summary"),
    "thieu": ("thieu", "con thieu", "missing"),
    "chitieu": ("chi tieu", "chitieu", "indicator"),
    "nhacnho": ("nhac nho", "nhacnho", "remind"),
    "web": ("web", "trang web"),
    "baocao": ("bao cao", "baocao", "du thao", "report", "draft"),
    "duyet": ("duyet", "xet duyet", "xem xet", "review"),
    "yeucausua": ("yeu cau sua", "yeucausua", "tra lai", "de nghi sua", "ask back"),
    "guilen": ("gui len", "guilen", "chuyen", "chuyen len", "gui tong hop", "forward"),
}
SLASH_NAMES = {"help": "huongdan", "tong_hop": "tonghop", "nhac_nho": "nhacnho", "chi_tieu": "chitieu",
               "bao_cao": "baocao", "gui_len": "guilen", "yeu_cau_sua": "yeucausua"}
_WORD_TO_NAME = {word: name for name, words in ALIASES.items() for word in words}
_MAX_WORDS = max(len(w.split()) for w in _WORD_TO_NAME)


def canonical_name(slash_name: str) -> str:
    """`/tong_hop` or `/help` typed as a slash command, to its canonical name."""
    name = fold(slash_name).split("@")[0]
    return SLASH_NAMES.get(name, _WORD_TO_NAME.get(name, name))


def match_command(text: str) -> tuple[str, str] | None:
    """(name, args) when typed text is a command word (with optional arguments), else None."""
    stripped = text.strip()
    if stripped.startswith("/"):
        head, _, args = stripped[1:].partition(" ")
        return canonical_name(head), args.strip()
    words = fold(stripped).split()
    originals = stripped.split()
    for n in range(min(_MAX_WORDS, len(words)), 0, -1):
        name = _WORD_TO_NAME.get(" ".join(words[:n]))
        if name is not None:
            args = " ".join(originals[n:])
            if _args_fit(name, args):
                return name, args
    return None


def _code_like(token: str) -> bool:
    """A period (`2026-Q4`), a form or unit code (`CDS`, `QT-BAO`), a form typed small (`cds`), or `ok`."""
    if token.lower() in ("ok", "cl", "cds"):
        return True
    return bool(re.fullmatch(r"[A-Z0-9][A-Z0-9/_-]*|\d{4}(-?[QqHhMm]\d{1,2})?|[QqHh]\d/\d{4}", token))


def _report_args(name: str, args: str) -> bool:
    """`tong hop quý IV/2026 CL`, `thieu 2026`, `chi tieu 2 nam 2026 cds`: a period (code or name), a form
    code, and for `chitieu` an indicator number first; any other word makes the text an answer, not a command."""
    tokens = with_codes(args.split())
    if name == "chitieu":
        if not re.fullmatch(r"\d{1,2}", tokens[0]):
            return False
        tokens = tokens[1:]
    periods = [x for x in tokens if read_period(x)]
    forms = [x for x in tokens if (x.lower() in ("cl", "cds") or re.fullmatch(r"[A-Z]{2,5}", x)) and not read_period(x)]
    return len(periods) <= 1 and len(forms) <= 1 and len(periods) + len(forms) == len(tokens)


def _args_fit(name: str, args: str) -> bool:
    """Bare words take arguments only where the command expects them (avoids eating answers)."""
    if not args:
        return True
    if name in ("tonghop", "thieu", "chitieu"):
        return _report_args(name, args)
    if name in ("nop", "xem"):
        return bool(re.fullmatch(r"[A-Za-z]*\s*\d{4}(-[QqHhMm]\d{1,2})?( \w+)?", " ".join(with_codes(args.split()))))
    if name in ("baocao", "duyet", "guilen"):  # codes only: period, form, unit (QT-BAO), `ok`
        tokens = args.split()
        return len(tokens) <= 5 and all(_code_like(t) for t in tokens)
    if name == "yeucausua":  # a unit code, then what to correct
        return bool(re.match(r"[A-Z0-9][A-Z0-9_-]+(\s|$)", args))
    return name in ("start", "lang")


# The command menu a chat shows (Telegram's «Menu» button), by role: what each role may use, in the order shown.
# A person holding several roles gets the union. Descriptions are `menu.<name>` in conversations/locales.
UNREGISTERED_MENU: tuple[str, ...] = ("start", "huongdan")
FOCAL_MENU: tuple[str, ...] = ("nop", "xem", "han", "huy", "huongdan", "lienket", "web")
ANALYST_MENU: tuple[str, ...] = (*FOCAL_MENU, "tonghop", "thieu", "chitieu", "duyet", "yeucausua", "guilen",
                                 "baocao")
ADMIN_MENU: tuple[str, ...] = (*ANALYST_MENU, "nhacnho")
ROLE_MENUS: dict[str, tuple[str, ...]] = {Role.FOCAL: FOCAL_MENU, Role.ANALYST: ANALYST_MENU, Role.ADMIN: ADMIN_MENU}
_MENU_ORDER = {name: i for i, name in enumerate(dict.fromkeys((*ADMIN_MENU, *UNREGISTERED_MENU)))}
_TEXTS = Catalog.load(locales_of(__file__))


def menu_names(roles: Iterable[str]) -> tuple[str, ...]:
    """The commands of a person holding `roles` (none: the unregistered menu, /start and /huongdan)."""
    names = {name for role in roles for name in ROLE_MENUS.get(role, ())}
    return tuple(sorted(names, key=_MENU_ORDER.__getitem__)) if names else UNREGISTERED_MENU


@dataclass(frozen=True)
class Menu:
    """The command menu of one chat: (command, description) pairs in one language."""

    lang: str
    entries: tuple[tuple[str, str], ...]


def menu(roles: Iterable[str], lang: str = DEFAULT_LANG) -> Menu:
    """The menu of a person holding `roles`, described in `lang` (Vietnamese for an unknown language)."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    return Menu(lang, tuple((name, _TEXTS.text(f"menu.{name}", lang)) for name in menu_names(roles)))


def menu_of(uow: UnitOfWork, channel: str, external_id: str) -> Menu | None:
    """The menu the account's person should see, in their language; None when the account has no person
    with an active role (unregistered, or every role taken back): the channel's default menu applies."""
    identity = uow.people.identity(channel, external_id)
    if identity is None or identity.person is None:
        return None
    roles = {grant.role for grant in uow.people.roles_of(identity.person.id)}
    return menu(roles, identity.person.language) if roles else None
