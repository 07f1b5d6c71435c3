"""Great-circle distances. Straight-line ("as the crow flies"): the replies say so,
because road distance across the Ardennes or the Meuse valley can be much longer."""
from __future__ import annotations

import math

EARTH_DIAMETER_KM = 12742.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180.0
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return EARTH_DIAMETER_KM * math.asin(math.sqrt(a))
