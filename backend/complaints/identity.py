"""The complainant's identity, encrypted at rest (C81 Art. 15(c)): Fernet tokens under the keys of
``LI_COMPLAINANT_KEYS`` (newest first; ``MultiFernet`` encrypts with the first and decrypts with any), so a
database copy, backup or SQL console shows no name. Only ``reveal`` in ``service`` decrypts, for a granted user.
"""

import json
from typing import Annotated

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import BaseModel, ConfigDict, StringConstraints

from backend.config import DEV_COMPLAINANT_KEY, complainant_key_list, settings
from backend.fields import Input

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text500 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class Complainant(Input):
    """Who complained and how to reach them (for the reply). At least one field is needed to be identified."""

    model_config = ConfigDict(extra="forbid")

    name: Text200 = ""
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] = ""
    email: Text200 = ""
    address: Text500 = ""
    other: Text500 = ""  # what else identifies them (a complaint recorded before identities were split: its source)

    def is_empty(self) -> bool:
        return not any((self.name, self.phone, self.email, self.address, self.other))


class ComplainantRevealed(BaseModel):
    name: str
    phone: str
    email: str
    address: str
    other: str


class IdentityUnreadable(Exception):
    """No key of ``LI_COMPLAINANT_KEYS`` opens the stored token (a key removed before rotation finished)."""


def keys_in_use(keys: str | None = None) -> list[str]:
    """The configured keys (``keys`` overrides the setting, for the CLI and tests); outside prod, when none are
    configured, the public development key (the settings refuse prod without keys)."""
    if keys is None and settings.complainant_keys is not None:
        keys = settings.complainant_keys.get_secret_value()
    return complainant_key_list(keys) if keys else [DEV_COMPLAINANT_KEY]


def keyring(keys: str | None = None) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys_in_use(keys)])


def seal(who: Complainant, keys: str | None = None) -> str:
    text = json.dumps(who.model_dump(), ensure_ascii=False, sort_keys=True)
    return keyring(keys).encrypt(text.encode("utf-8")).decode("ascii")


def unseal(token: str, keys: str | None = None) -> ComplainantRevealed:
    try:
        raw = keyring(keys).decrypt(token.encode("ascii"))
    except InvalidToken:
        raise IdentityUnreadable("no configured key opens this complainant identity") from None
    return ComplainantRevealed.model_validate(json.loads(raw))


def rotate(token: str, keys: str | None = None) -> str:
    """The same identity under the newest key (``MultiFernet.rotate``: decrypts with any, encrypts with the first)."""
    try:
        return keyring(keys).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise IdentityUnreadable("no configured key opens this complainant identity") from None


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")
