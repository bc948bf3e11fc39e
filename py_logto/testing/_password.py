"""Logto's default password policy (8 to 256 characters, one character type, no repetition or
sequence, nothing from the user's profile), with the issues it reports, in its order.

The "pwned" rule, which asks haveibeenpwned.com, is not applied: the sandbox stays offline.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Set

__all__ = ["password_issues"]

MIN_LENGTH = 8
MAX_LENGTH = 256
_SYMBOLS = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ ")
_SEQUENCES = (
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz",
    "2wsx",
    "3edc",
    "4rfv",
    "5tgb",
    "6yhn",
    "7ujm",
    "8ik",
    "9ol",
)
_SEQUENCE_FORMS = tuple(
    form for sequence in _SEQUENCES for form in (sequence, sequence[::-1], sequence.upper(), sequence[::-1].upper())
)
_THRESHOLD = 3  # a run of 3 repeated or sequential characters counts
_TOLERANCE = 3  # restricted characters tolerated beyond length - 3


def _character_types(password: str) -> Optional[int]:
    kinds: Set[str] = set()
    for char in password:
        if "a" <= char <= "z":
            kinds.add("lower")
        elif "A" <= char <= "Z":
            kinds.add("upper")
        elif "0" <= char <= "9":
            kinds.add("digit")
        elif char in _SYMBOLS:
            kinds.add("symbol")
        else:
            return None
    return len(kinds)


def _repetition(text: str) -> int:
    length = len(text) - len(text.lstrip(text[0])) if text else 0
    return length if length >= _THRESHOLD else 0


def _sequence(text: str) -> int:
    length = 0
    for end in range(1, len(text) + 1):
        if end > 1 and not any(text[:end] in form for form in _SEQUENCE_FORMS):
            break
        length = end
    return length if length >= _THRESHOLD else 0


def _user_info(text: str, user: Dict[str, Optional[str]]) -> int:
    lowered = text.lower()
    length = 0
    name = user.get("name")
    if name:
        if lowered.startswith(name.lower()):
            length = max(length, len(name))
        else:
            joined = re.sub(r"\s+", "", name)
            if lowered.startswith(joined.lower()):
                length = max(length, len(joined))
            for word in name.split(" "):
                if lowered.startswith(word.lower()):
                    length = max(length, len(word))
    username = user.get("username")
    if username and lowered.startswith(username.lower()):
        length = max(length, len(username))
    email = user.get("email")
    prefix = email.split("@")[0] if email else ""
    if prefix and lowered.startswith(prefix.lower()):
        length = max(length, len(prefix))
    phone = user.get("phone")
    if phone and lowered.startswith(phone):
        length = max(length, len(phone))
    return length


def password_issues(password: str, user: Dict[str, Optional[str]]) -> List[Dict[str, Any]]:
    """The ``data`` of ``422 password.rejected`` for ``password``; empty when it is acceptable.

    ``user`` holds the ``name``, ``username``, ``email`` and ``phone`` the password may not start with.
    """
    issues: List[Dict[str, Any]] = []
    if len(password) < MIN_LENGTH:
        issues.append({"code": "password_rejected.too_short", "interpolation": {"min": MIN_LENGTH}})
    elif len(password) > MAX_LENGTH:
        issues.append({"code": "password_rejected.too_long", "interpolation": {"max": MAX_LENGTH}})
    types = _character_types(password)
    if types is None:
        issues.append({"code": "password_rejected.unsupported_characters"})
    elif types < 1:
        issues.append({"code": "password_rejected.character_types", "interpolation": {"min": 1}})

    flagged = [False] * len(password)
    found: List[str] = []
    for start in range(len(password)):
        rest = password[start:]
        for code, length in (
            ("restricted.repetition", _repetition(rest)),
            ("restricted.sequence", _sequence(rest)),
            ("restricted.user_info", _user_info(rest, user)),
        ):
            if length > 0:
                flagged[start : start + length] = [True] * len(flagged[start : start + length])
                if code not in found:
                    found.append(code)
    if sum(flagged) > max(1, len(password) - _TOLERANCE):
        issues.extend({"code": f"password_rejected.{code}"} for code in found)
    return issues
