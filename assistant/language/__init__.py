"""Which language a message is written in, and which one the user asked for."""
from .detect import SUPPORTED_LANGUAGES, Detection, LanguageDetector

__all__ = ["Detection", "LanguageDetector", "SUPPORTED_LANGUAGES"]
