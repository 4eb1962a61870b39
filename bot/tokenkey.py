"""Channel tokens at rest: the Zalo OA access and refresh tokens are kept encrypted with TOKEN_KEY (Fernet).

A copy of the database (a backup, a stolen disk) then holds no usable token: the access token alone can
message every follower as the government OA. TOKEN_KEY is one Fernet key, or several separated by commas
while a rotation is under way: the first encrypts, any of them decrypts. Stored values carry the `fernet:`
prefix; a value without it is a token stored in plain text by an earlier version, encrypted on first use.
"""

from __future__ import annotations

from collections.abc import Iterable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PREFIX = "fernet:"
MAKE_ONE = 'make one with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


class TokenKeyError(ValueError):
    """TOKEN_KEY is missing, malformed or does not open the stored tokens; the message is one line."""


def _fernets(keys: str, name: str) -> list[Fernet]:
    parts = [k.strip() for k in keys.split(",") if k.strip()]
    if not parts:
        raise TokenKeyError(f"{name} is not set: it encrypts the Zalo tokens kept in the database; {MAKE_ONE}")
    fernets = []
    for part in parts:
        try:
            fernets.append(Fernet(part.encode()))
        except (ValueError, TypeError):
            raise TokenKeyError(f"{name} is not a Fernet key (32 url-safe base64-encoded bytes); {MAKE_ONE}") from None
    return fernets


class TokenCipher:
    """Seals tokens for the database and opens them again."""

    def __init__(self, keys: str, name: str = "TOKEN_KEY") -> None:
        self.name = name
        self._fernet = MultiFernet(_fernets(keys, name))

    @staticmethod
    def sealed(stored: str) -> bool:
        """True for a value written by `seal` (False: plain text from before encryption, or empty)."""
        return stored.startswith(PREFIX)

    def seal(self, token: str) -> str:
        """The value to store for `token` (an empty token stays empty: nothing to hide)."""
        return PREFIX + self._fernet.encrypt(token.encode()).decode() if token else ""

    def open(self, stored: str) -> str:
        """The token behind a stored value; plain text from before encryption is returned as is."""
        if not self.sealed(stored):
            return stored
        try:
            return self._fernet.decrypt(stored[len(PREFIX):].encode()).decode()
        except InvalidToken:
            raise TokenKeyError(f"{self.name} does not decrypt the Zalo tokens stored in the database (wrong key? "
                                "after `chitieu tokens rotate-key`, set it to the new key)") from None

    def reseal(self, stored: str) -> str:
        """The stored value encrypted with the first key (a rotation), or sealed if it was plain text."""
        if not self.sealed(stored):
            return self.seal(stored)
        try:
            return PREFIX + self._fernet.rotate(stored[len(PREFIX):].encode()).decode()
        except InvalidToken:
            raise TokenKeyError(f"none of the keys given decrypts the stored Zalo tokens ({self.name})") from None


def cipher_from(value: str | None, name: str = "TOKEN_KEY") -> TokenCipher:
    """The cipher of a setting's value, with the one-line error when it is missing or malformed."""
    return TokenCipher(value or "", name)


def rotation(old: Iterable[str], new: str) -> TokenCipher:
    """A cipher that decrypts with the new or any old key and encrypts with the new one."""
    return TokenCipher(",".join([new, *old]), "--new/--old")
