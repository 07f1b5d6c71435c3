"""Nearest eligible cross-border facility: gazetteer, zones, hospitals, replies.

Pure Python (stdlib + PyYAML + rapidfuzz + numpy) so that the Rasa action, the
tests and agents at a shell (``python -m assistant.geo "Arel"``) share one code
path. The data it reads lives in ``data/geo`` and ``data/zones``.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GEO_DATA_DIR = ROOT / "data" / "geo"
ZONES_DIR = ROOT / "data" / "zones"
