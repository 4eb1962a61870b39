"""Addresses of the web view (Vietnamese words, as a person would read them in the address bar)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

PREFIX = "/w"
HOME = "/"
OVERVIEW = "/tong-hop"
INDICATORS = "/chi-tieu"
INDICATOR = "/chi-tieu/{number}"
UNIT = "/don-vi/{code}"
SIGN_IN = "/vao/{token}"
LOGOUT = "/dang-xuat"
SIGNED_OUT = "/da-dang-xuat"
DOWNLOAD = "/tai/{name}"
STATIC = "/static"

# query parameters
PERIOD, FORM, SCOPE, STATUS, SORT, PAGE = "ky", "bieu", "pham-vi", "trang-thai", "sap-xep", "trang"


def href(path: str, params: Mapping[str, object] | None = None, **more: object) -> str:
    """`/w/tong-hop?ky=2026-Q3&bieu=CL`: the prefix added, empty parameters and page 1 left out.

    Keyword names use `_` for the `-` of the address (`pham_vi` is `pham-vi`)."""
    merged = {**(params or {}), **{k.replace("_", "-"): v for k, v in more.items()}}
    query = {k: str(v) for k, v in merged.items() if v not in (None, "")}
    if query.get(PAGE) == "1":
        del query[PAGE]
    return PREFIX + path + ("?" + urlencode(query) if query else "")


def sign_in_path(token: str) -> str:
    """The path of a sign-in link."""
    return PREFIX + SIGN_IN.format(token=token)
