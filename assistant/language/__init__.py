"""Which language a message is written in, and which one the user asked for."""
from .detect import Detection, LanguageDetector, SUPPORTED_LANGUAGES

__all__ = ["Detection", "LanguageDetector", "SUPPORTED_LANGUAGES"]
