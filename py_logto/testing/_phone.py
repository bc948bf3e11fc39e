"""Phone numbers as Logto handles them (through libphonenumber): a digits-only number is read as
``+<digits>``, split into a country calling code and a national number, and stored as the two
joined again, which drops a national trunk ``0`` written after the country code.

This module knows every assigned country calling code and which countries dial a trunk ``0``;
it does not know each country's numbering plan, so it accepts numbers libphonenumber would also
accept but could not format, and it groups the digits of international formats only for the
countries in ``_GROUPS``.
"""

from __future__ import annotations

from typing import Dict, NamedTuple, Optional, Tuple

__all__ = ["ParsedPhone", "format_international", "normalize", "parse_phone"]

_CALLING_CODES = frozenset(
    [
        "1",
        "7",
        "20",
        "27",
        "30",
        "31",
        "32",
        "33",
        "34",
        "36",
        "39",
        "40",
        "41",
        "43",
        "44",
        "45",
        "46",
        "47",
        "48",
        "49",
        "51",
        "52",
        "53",
        "54",
        "55",
        "56",
        "57",
        "58",
        "60",
        "61",
        "62",
        "63",
        "64",
        "65",
        "66",
        "81",
        "82",
        "84",
        "86",
        "90",
        "91",
        "92",
        "93",
        "94",
        "95",
        "98",
        "211",
        "212",
        "213",
        "216",
        "218",
        "220",
        "221",
        "222",
        "223",
        "224",
        "225",
        "226",
        "227",
        "228",
        "229",
        "230",
        "231",
        "232",
        "233",
        "234",
        "235",
        "236",
        "237",
        "238",
        "239",
        "240",
        "241",
        "242",
        "243",
        "244",
        "245",
        "246",
        "247",
        "248",
        "249",
        "250",
        "251",
        "252",
        "253",
        "254",
        "255",
        "256",
        "257",
        "258",
        "260",
        "261",
        "262",
        "263",
        "264",
        "265",
        "266",
        "267",
        "268",
        "269",
        "290",
        "291",
        "297",
        "298",
        "299",
        "350",
        "351",
        "352",
        "353",
        "354",
        "355",
        "356",
        "357",
        "358",
        "359",
        "370",
        "371",
        "372",
        "373",
        "374",
        "375",
        "376",
        "377",
        "378",
        "380",
        "381",
        "382",
        "383",
        "385",
        "386",
        "387",
        "389",
        "420",
        "421",
        "423",
        "500",
        "501",
        "502",
        "503",
        "504",
        "505",
        "506",
        "507",
        "508",
        "509",
        "590",
        "591",
        "592",
        "593",
        "594",
        "595",
        "596",
        "597",
        "598",
        "599",
        "670",
        "672",
        "673",
        "674",
        "675",
        "676",
        "677",
        "678",
        "679",
        "680",
        "681",
        "682",
        "683",
        "685",
        "686",
        "687",
        "688",
        "689",
        "690",
        "691",
        "692",
        "800",
        "808",
        "850",
        "852",
        "853",
        "855",
        "856",
        "870",
        "878",
        "880",
        "881",
        "882",
        "883",
        "886",
        "888",
        "960",
        "961",
        "962",
        "963",
        "964",
        "965",
        "966",
        "967",
        "968",
        "970",
        "971",
        "972",
        "973",
        "974",
        "975",
        "976",
        "977",
        "979",
        "992",
        "993",
        "994",
        "995",
        "996",
        "998",
    ]
)
# Countries whose national numbers are dialled with a leading trunk "0" (dropped when stored).
_TRUNK_ZERO = frozenset(
    [
        "20",
        "27",
        "31",
        "32",
        "33",
        "41",
        "43",
        "44",
        "46",
        "49",
        "51",
        "53",
        "54",
        "55",
        "56",
        "57",
        "58",
        "60",
        "61",
        "62",
        "63",
        "64",
        "66",
        "81",
        "82",
        "84",
        "86",
        "90",
        "91",
        "92",
        "93",
        "94",
        "95",
        "98",
        "211",
        "212",
        "213",
        "216",
        "218",
        "234",
        "249",
        "250",
        "251",
        "252",
        "254",
        "255",
        "256",
        "260",
        "263",
        "353",
        "355",
        "358",
        "359",
        "380",
        "381",
        "382",
        "383",
        "385",
        "386",
        "387",
        "389",
        "421",
        "593",
        "595",
        "598",
        "880",
        "886",
        "961",
        "962",
        "963",
        "964",
        "966",
        "967",
        "970",
        "971",
        "972",
        "977",
        "992",
        "993",
        "994",
        "995",
        "996",
        "998",
    ]
)
# How libphonenumber groups international formats, by calling code and national-number length.
_GROUPS: Dict[Tuple[str, int], Tuple[int, ...]] = {
    ("1", 10): (3, 3, 4),
    ("7", 10): (3, 3, 2, 2),
    ("33", 9): (1, 2, 2, 2, 2),
    ("44", 10): (4, 6),
    ("61", 9): (3, 3, 3),
    ("86", 11): (3, 4, 4),
    ("91", 10): (5, 5),
}
_MIN_NATIONAL = 2
_MAX_NATIONAL = 17


class ParsedPhone(NamedTuple):
    country_code: str
    national_number: str


def parse_phone(phone: str) -> Optional[ParsedPhone]:
    """Split a phone number into calling code and national number; ``None`` where libphonenumber
    throws (too short, too long, no known calling code)."""
    digits = phone[1:] if phone.startswith("+") else phone
    if not digits.isdigit() or not digits.isascii() or len(digits) < 1 + _MIN_NATIONAL:
        return None
    for size in (1, 2, 3):
        code = digits[:size]
        if code in _CALLING_CODES:
            national = digits[size:]
            if code in _TRUNK_ZERO and national.startswith("0") and len(national) > 5:
                national = national[1:]
            if not _MIN_NATIONAL <= len(national) <= _MAX_NATIONAL:
                return None
            return ParsedPhone(code, national)
    return None


def normalize(phone: str) -> str:
    """The form Logto stores and compares: calling code + national number, or the input itself
    when it cannot be parsed."""
    parsed = parse_phone(phone)
    return phone if parsed is None else parsed.country_code + parsed.national_number


def format_international(phone: str) -> str:
    """``+1 415 555 7906``: how Logto shows a stored phone number to people."""
    parsed = parse_phone(phone)
    if parsed is None:
        return phone
    code, national = parsed
    groups = _GROUPS.get((code, len(national)))
    if groups is None:
        return f"+{code} {national}"
    parts = []
    start = 0
    for size in groups:
        parts.append(national[start : start + size])
        start += size
    return f"+{code} {' '.join(parts)}"
