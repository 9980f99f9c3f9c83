"""Password policy (OWASP ASVS 2.1): at least 12 characters and not one of the 30 000 most common passwords.

The list is zxcvbn's (MIT, the ``zxcvbn`` package: the Xato corpus by frequency), not typed by hand. A password is
refused when it, or it stripped of trailing digits and symbols, is on the list in any letter case."""

from functools import cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

from backend.errors import Invalid

MIN_LENGTH = 12


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def weakness(password: str) -> str | None:
    """Why a password is refused, or None."""
    if len(password) < MIN_LENGTH:
        return f"at least {MIN_LENGTH} characters / 至少{MIN_LENGTH}个字符"
    lowered = password.lower()
    stem = lowered.rstrip("0123456789!@#$%^&*?.-_ ")
    if lowered in common_passwords() or (len(stem) >= 4 and stem in common_passwords()):
        return "a commonly used password / 常见密码"
    if not stem:
        return "digits and symbols only / 仅有数字和符号"
    if len(set(lowered)) < 4:
        return "too few different characters / 不同字符太少"
    return None


def check(password: str) -> None:
    reason = weakness(password)
    if reason is not None:
        raise Invalid("user.weak_password", f"The password is refused: {reason}. / 密码不符合要求。", reason=reason)
