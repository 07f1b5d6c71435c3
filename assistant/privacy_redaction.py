"""Masks the personal identifiers a patient may type, wherever their text is written or shown.

    redact(text) -> text with each identifier replaced by its kind: "[IBAN]", "[NISS]", "[phone]"...

Health questions are special-category data (GDPR Art. 9): the services' logs (log_redaction.py) and
the agent console's transcript must not keep a national register number, a bank account, an e-mail
address or a phone number next to them. Covered: Belgian NISS, French NIR, Luxembourg matricule,
German Krankenversicherungsnummer and Rentenversicherungsnummer, IBANs of the SEPA countries,
e-mail addresses and phone numbers in the five countries' usual writings.

The patterns are shaped on each identifier's structure (dates inside, lengths, country codes), not on
"long numbers", so that what the assistant itself talks about stays readable: postcodes and their
lists, years and dates, 112 / 116 117 / 1733, "Art. 11(3)(a)", "Regulation 883/2004". The assistant's
own texts (responses, knowledge documents) come out unchanged except for institutions' phone
numbers (tests/privacy/test_redaction.py). Standard library only: both Python envs import it.
"""
from __future__ import annotations

import re
from typing import Callable, List, Match, Optional, Pattern, Tuple

# Spaces as people type them in numbers, including the no-break spaces of French typography.
_SP = "[ \u00a0\u202f]"
# What may separate the groups of a NISS or a phone number; a NIR or a matricule is spaced out only
# (a dot would make "1764697263.123", a timestamp in Rasa's logs, a NIR).
_SEP = "[ \u00a0\u202f.\\-/]"
# An identifier is a whole token: not glued to letters or digits, not the tail of a dotted or
# slashed number ("1.000.000", "883/2004").
_START = r"(?<![\w+./\-])"
_END = r"(?![\w]|[.,/\-]\d)"

# Every SEPA country's IBAN length: an IBAN is cut at its country's length, so the words after it
# are never swallowed, and two letters that are no country ("ab12 ...") are no IBAN.
IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28,
    "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31,
    "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
    "VA": 22,
}

# Not inside a URL's path ("…/page_12@34.html").
EMAIL = re.compile(r"(?<![\w.+\-/])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}(?![\w\-])")
# Two letters, two check digits, then the account as written (grouped by four or not); the
# callback keeps exactly the country's length.
IBAN_CANDIDATE = re.compile(r"(?<![\w\-])([A-Za-z]{2})(\d{2})((?:[ \u00a0\u202f]?[A-Za-z0-9]){10,32})")
# NIR: sex (1, 2; 3, 4, 7, 8 for the provisional ones), year, month (20-99: unknown or fictitious),
# département (2A/2B in Corsica), commune, order number, then the 2-digit key, often spaced out.
_NIR = (rf"[1-478]{_SP}?\d{{2}}{_SP}?\d{{2}}{_SP}?(?:\d{{2}}|2[AaBb]){_SP}?\d{{3}}{_SP}?\d{{3}}")
NIR_WITH_KEY = re.compile(rf"{_START}{_NIR}{_SP}?\d{{2}}{_END}")
NIR_WITHOUT_KEY = re.compile(rf"{_START}{_NIR}{_END}")
# Luxembourg: birth date YYYYMMDD, then 5 digits ("1985 0730 12345").
LU_MATRICULE = re.compile(
    rf"{_START}(?:19|20)\d{{2}}{_SP}?(?:0[1-9]|1[0-2]){_SP}?(?:0[1-9]|[12]\d|3[01])"
    rf"{_SP}?\d{{3}}{_SP}?\d{{2}}{_END}")
# Belgium: birth date YYMMDD (month +20 or +40 for the bis numbers), order number, check number
# ("85.07.30-033.28").
NISS = re.compile(
    rf"{_START}(\d{{2}})({_SEP}?)((?:[024]\d|[135][0-2]))({_SEP}?)((?:[0-2]\d|3[01]))({_SEP}?)(\d{{3}})"
    rf"({_SEP}?)(\d{{2}}){_END}")
# Germany: the health insurance number is a letter and 9 digits ("A123456789"); the pension
# insurance number is area, birth date DDMMYY, initial letter, serial and check ("65 170839 J 003").
# Not a segment of an identifier joined by - or _: a conversation id such as "erase-d078806632" is what
# `make erase` looks for in the logs, and must stay readable there.
KVNR = re.compile(r"(?<![\w\-])[A-Za-z]\d{9}(?![\w\-])")
RVNR = re.compile(rf"{_START}\d{{2}}{_SP}?(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{{2}}{_SP}?[A-Za-z]"
                  rf"{_SP}?\d{{3}}{_END}")
# With the country code (+32, 0049): 8 to 15 digits in all, a trunk "(0)" allowed; not the decimals
# of a number ("0.0049651123", a confidence in Rasa's logs) nor the start of a hex id.
PHONE_INTERNATIONAL = re.compile(
    r"(?<![\w+.,])(?:\+|00)[1-9](?:[ \u00a0\u202f.\-/]?\(?\d\)?){7,14}(?![\w])")
# National (0 then 8 to 11 digits), except a date ("01.01.2025 10:30" is not a number to mask).
PHONE_NATIONAL = re.compile(
    r"(?<![\w+.,/()\-])(?!\d{1,2}([./\-])\d{1,2}\1\d{2,4}(?![./\-]?\d))"
    r"\(?0[1-9](?:\)?[ \u00a0\u202f.\-/]?\d){7,10}(?![\w])")
# Luxembourg mobiles are dialled without a leading 0: 621, 628, 661, 671, 691 ... and 6 digits.
PHONE_LU_MOBILE = re.compile(rf"{_START}6[2-9]1(?:{_SP}?\d{{3}}){{2}}{_END}")


def _iban(match: Match) -> str:
    country = match.group(1).upper()
    length = IBAN_LENGTHS.get(country)
    if length is None:
        return match.group(0)
    account, needed, cut = match.group(3), length - 4, None
    for index, char in enumerate(account):
        if char.isalnum():
            needed -= 1
            if needed == 0:
                cut = index + 1
                break
    rest = account[cut:] if cut is not None else ""
    # Too short for its country, or the token goes on (a widget's 32-hex conversation id may start
    # with "de12"): not an IBAN.
    if cut is None or rest[:1].isalnum():
        return match.group(0)
    return "[IBAN]" + rest


def _niss(match: Match) -> str:
    """A NISS is written with a separator between the birth date and the order number
    ("85.07.30-033.28", "850730 033 28"): masked as it is. Otherwise (bare, or "0651-1234567") only
    when the check number fits (for those born from 2000 it is computed with a 2 in front): it may
    be a phone number, left to the phone patterns."""
    digits = "".join(match.group(i) for i in (1, 3, 5, 7))
    check = int(match.group(9))
    if match.group(6) or check in (97 - int(digits) % 97, 97 - int("2" + digits) % 97):
        return "[NISS]"
    return match.group(0)


def _phone(match: Match) -> str:
    groups = re.split(r"[^\d]+", match.group(0).strip("()"))
    # "08390 08400": a list of French postcodes, not a phone number.
    if len(groups) > 1 and all(len(group) == 5 for group in groups):
        return match.group(0)
    return "[phone]"


Replacement = Callable[[Match], str]
# The order matters: the longer, more specific shapes first (an IBAN holds digit groups that would
# otherwise look like a phone number; a NIR with its key is longer than a matricule).
RULES: List[Tuple[str, Pattern, Optional[Replacement]]] = [
    ("e-mail", EMAIL, None),
    ("IBAN", IBAN_CANDIDATE, _iban),
    ("RVNR", RVNR, None),
    ("NIR", NIR_WITH_KEY, None),
    ("matricule", LU_MATRICULE, None),
    ("NIR", NIR_WITHOUT_KEY, None),
    ("NISS", NISS, _niss),
    ("KVNR", KVNR, None),
    ("phone", PHONE_INTERNATIONAL, None),
    ("phone", PHONE_NATIONAL, _phone),
    ("phone", PHONE_LU_MOBILE, None),
]


def redact(text: str) -> str:
    """``text`` with every identifier replaced by "[kind]"; any other text is left as it is."""
    if not text or not any(c.isdigit() or c == "@" for c in text):
        return text
    for kind, pattern, replacement in RULES:
        text = pattern.sub(replacement or f"[{kind}]", text)
    return text


def redact_value(value):
    """``redact`` through the strings of a JSON-like value (slots, entities)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_value(item) for item in value]
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    return value
