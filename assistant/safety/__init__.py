"""Safety net around the NLU model: emergencies and the numbers to call."""
from .emergency import EmergencyMatcher, normalise_for_matching

__all__ = ["EmergencyMatcher", "normalise_for_matching"]
