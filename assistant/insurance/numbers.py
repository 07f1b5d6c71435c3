"""The one reading of a number written in figures, for slot values, Situation fields and message words.

"30 %", "environ 12,5", "18 mois", 40, "40.0" -> the first number (a decimal comma counts as a point). Only
figures: number words ("deux", "zwee") are read by quantities.py next to their unit, because on their own they are
also articles ("un", "een", "a").
"""
from __future__ import annotations

import re
from typing import Any, Optional

# Up to three digits: shares and months; "2024" or a postcode is no amount.
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d+)?)(?!\d)")


def number_in(value: Any) -> Optional[float]:
    """The number a value gives: a number itself, or the first one written in figures in a text (None if none)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _NUMBER.search(str(value))
    return float(match.group(1).replace(",", ".")) if match else None
