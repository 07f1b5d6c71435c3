"""Language identification for short chat messages in fr, de, nl, lb and en.

py3langid alone misreads the greetings people actually type ("Moien" comes out as
French) and confuses Luxembourgish with German, so a small marker lexicon
(data/language/lexicon.yml) is combined with its probabilities. Only depends on
the standard library, PyYAML and py3langid: it runs inside the Rasa server's env
(numpy 1.23) as well as the action server's.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

SUPPORTED_LANGUAGES: Tuple[str, ...] = ("fr", "de", "nl", "lb", "en")
DEFAULT_LEXICON = Path(__file__).resolve().parents[2] / "data" / "language" / "lexicon.yml"

# A marker weighs as much as a very sure model vote: one unambiguous greeting must
# beat the character model on a one-word message.
MARKER_WEIGHT = 1.0
# Below these the message is "short or ambiguous" and the conversation keeps its language.
MIN_WORDS_FOR_MODEL = 3
MIN_MODEL_PROBABILITY = 0.80
MIN_MARGIN = 0.35

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
# A word in quotation marks is a term quoted from another language ("Do I need a “mutuelle”?"):
# it says nothing about the language the person writes in, so markers skip it.
_QUOTED = re.compile(r"[“«„\"](?:[^“”«»„\"\n]{1,60})[”»“\"]")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("’", "'")
    return text.lower()


@dataclass(frozen=True)
class Detection:
    """The outcome for one message.

    ``language`` is the best guess (None when the text has no letters at all);
    ``confident`` says whether it is strong enough to switch the conversation.
    """

    language: Optional[str]
    confidence: float
    confident: bool
    source: str  # "marker", "model" or "none"
    scores: Dict[str, float] = field(default_factory=dict)


class LanguageDetector:
    """Detects the language of chat messages; load once, call many times."""

    def __init__(self, lexicon_path: Path | str = DEFAULT_LEXICON,
                 languages: Tuple[str, ...] = SUPPORTED_LANGUAGES) -> None:
        from py3langid.langid import _load_identifier  # the only loader that restricts languages

        self.languages = tuple(languages)
        self._model = _load_identifier(norm_probs=True, langs=list(self.languages))
        with open(lexicon_path, encoding="utf-8") as handle:
            lexicon = yaml.safe_load(handle)
        self._markers = {
            lang: self._compile(words) for lang, words in lexicon.get("markers", {}).items()
            if lang in self.languages
        }
        self._names = {
            lang: self._compile(words) for lang, words in lexicon.get("names", {}).items()
            if lang in self.languages
        }

    @staticmethod
    def _compile(words: List[str]) -> re.Pattern:
        alternatives = sorted({_normalise(w) for w in words}, key=len, reverse=True)
        body = "|".join(re.escape(w) for w in alternatives)
        return re.compile(rf"(?<![\w'])(?:{body})(?![\w'])", re.UNICODE)

    def _marker_hits(self, text: str) -> Dict[str, int]:
        unquoted = _QUOTED.sub(" ", text)
        if _WORD.search(unquoted):        # a message all in quotes ("Moien") is the person's own words
            text = unquoted
        return {lang: len(pattern.findall(text)) for lang, pattern in self._markers.items()}

    def detect(self, text: str) -> Detection:
        normalised = _normalise(text or "")
        words = _WORD.findall(normalised)
        if not words:
            return Detection(None, 0.0, False, "none")

        probabilities = dict(self._model.rank(normalised))
        hits = self._marker_hits(normalised)
        scores = {
            lang: probabilities.get(lang, 0.0) + MARKER_WEIGHT * hits.get(lang, 0)
            for lang in self.languages
        }
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        (best, best_score), (_, second_score) = ranked[0], ranked[1]
        margin = best_score - second_score
        marker_languages = [lang for lang, count in hits.items() if count]

        if hits.get(best):
            # Markers of a single language are decisive; mixed markers need a clear margin.
            confident = len(marker_languages) == 1 or margin >= MARKER_WEIGHT
            source = "marker"
        else:
            confident = (
                len(words) >= MIN_WORDS_FOR_MODEL
                and probabilities.get(best, 0.0) >= MIN_MODEL_PROBABILITY
                and margin >= MIN_MARGIN
            )
            source = "model"
        confidence = min(1.0, best_score) if source == "model" else min(1.0, 0.5 + margin / 2)
        return Detection(best, round(confidence, 3), confident, source,
                         {lang: round(score, 3) for lang, score in ranked})

    def requested_languages(self, text: str) -> List[str]:
        """Languages the message names ("auf Deutsch bitte" -> ["de"]), in order of appearance."""
        normalised = _normalise(text or "")
        found = []
        for lang, pattern in self._names.items():
            match = pattern.search(normalised)
            if match:
                found.append((match.start(), lang))
        return [lang for _, lang in sorted(found)]
