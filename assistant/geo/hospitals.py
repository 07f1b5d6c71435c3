"""The hospital sites of data/geo/hospitals.csv (Eurostat GISCO 2020 extract)."""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple

from assistant.geo import GEO_DATA_DIR
from assistant.geo.distance import haversine_km


@dataclass(frozen=True)
class Hospital:
    id: str
    label: str             # readable name
    name: str              # hospital name as in the source
    site: str              # site name as in the source
    address: str
    postcode: str          # as in the source (a CEDEX code for many French sites)
    postcode_commune: str  # the commune's ordinary postcode
    city: str
    country: str
    lat: float
    lon: float
    emergency: str         # yes | no | "" (only Belgium fills it)
    main: bool             # a general hospital one would be sent to, not a day clinic or sub-unit
    source_id: str
    ref_date: str

    @property
    def full_address(self) -> str:
        postcode = self.postcode_commune or self.postcode
        return f"{self.address}, {postcode} {self.city}".strip(", ")


@functools.lru_cache(maxsize=None)
def load_hospitals(data_dir: Path = GEO_DATA_DIR) -> Dict[str, Hospital]:
    out = {}
    with open(data_dir / "hospitals.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out[row["id"]] = Hospital(
                id=row["id"], label=row["label"], name=row["name"], site=row["site"], address=row["address"],
                postcode=row["postcode"], postcode_commune=row["postcode_commune"], city=row["city"],
                country=row["country"], lat=float(row["lat"]), lon=float(row["lon"]), emergency=row["emergency"],
                main=row["main"] == "1", source_id=row["source_id"], ref_date=row["ref_date"])
    return out


def nearest_main(lat: float, lon: float, country: str,
                 hospitals: Optional[Dict[str, Hospital]] = None) -> Optional[Tuple[Hospital, float]]:
    """The closest general hospital in ``country``, with its straight-line distance."""
    best: Optional[Tuple[Hospital, float]] = None
    for hospital in (hospitals or load_hospitals()).values():
        if hospital.country != country or not hospital.main:
            continue
        distance = haversine_km(lat, lon, hospital.lat, hospital.lon)
        if best is None or distance < best[1]:
            best = (hospital, distance)
    return best

