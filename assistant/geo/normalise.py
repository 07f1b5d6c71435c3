"""One spelling-insensitive key per place name, shared by the builder and the gazetteer.

Users type "st avold", "Saint-Avold", "SAINT AVOLD" or "voelklingen"; the data says
"Saint-Avold" and "Völklingen". Both sides go through the same folding so that
an exact dictionary hit is possible before any fuzzy matching.
"""
from __future__ import annotations

import re
import unicodedata

_UMLAUT_SPELLINGS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_SEPARATORS = re.compile(r"[-‐‑–—'’`´.,/()\"_]+")
_SPACES = re.compile(r"\s+")
# Abbreviations that French, Belgian and German addresses use interchangeably.
_WORD_FORMS = {
    "saint": "st", "sainte": "ste", "sankt": "st", "sint": "st", "lez": "les",
}


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form of ``text`` ("Saint-Avold" -> "st avold")."""
    text = text.replace("ß", "ss").replace("ẞ", "ss")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _SEPARATORS.sub(" ", text)
    words = [_WORD_FORMS.get(word, word) for word in _SPACES.split(text.strip()) if word]
    return " ".join(words)


def keys(name: str) -> set:
    """Every folded key under which ``name`` should be found.

    German umlauts have two accepted spellings (ü or ue): index both so that
    "Voelklingen" hits "Völklingen" exactly.
    """
    out = {fold(name)}
    if any(ch in name for ch in "äöüÄÖÜ"):
        out.add(fold(name.translate(_UMLAUT_SPELLINGS)))
    out.discard("")
    return out
