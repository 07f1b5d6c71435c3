"""Turn what a user typed ("Arel", "Luik", "L-4240", "6460", "Sarrebruk") into places.

``resolve(text, country_hint=None)`` never raises: an unknown or ambiguous input
comes back as a ``Resolution`` whose ``status`` and ``reason`` let the caller ask a
question (which country? which postcode?) instead of guessing.

Order of evidence: a postcode (with the country from its prefix, the hint or the
name next to it), then an exact name or exonym, then a fuzzy match for typos.
Postcodes clash across countries (BE 6460 Chimay / NL 6461 Kerkrade, FR and DE
5-digit codes), so a bare code found in two countries is returned as ambiguous.
"""
from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from rapidfuzz import fuzz, process

from assistant.geo import GEO_DATA_DIR
from assistant.geo.distance import haversine_km
from assistant.geo.normalise import fold, keys

COUNTRIES = ("BE", "DE", "FR", "LU", "NL")
# Big towns outside the served regions (kept so that "Paris" is not fuzzy-matched to "Parois").
OUTSIDE_KIND = "outside_region"

# Status values of a Resolution.
FOUND, AMBIGUOUS, NOT_FOUND = "found", "ambiguous", "not_found"

# Country words users add to a place ("Arlon, Belgique", "Kerkrade NL").
_COUNTRY_WORDS = {
    "belgique": "BE", "belgie": "BE", "belgien": "BE", "belgium": "BE", "belsch": "BE", "be": "BE",
    "france": "FR", "frankreich": "FR", "frankrijk": "FR", "frankraich": "FR", "fr": "FR",
    "deutschland": "DE", "germany": "DE", "allemagne": "DE", "duitsland": "DE", "daitschland": "DE", "de": "DE",
    "nederland": "NL", "netherlands": "NL", "pays bas": "NL", "niederlande": "NL", "holland": "NL", "nl": "NL",
    "the netherlands": "NL",
    "luxembourg": "LU", "luxemburg": "LU", "letzebuerg": "LU", "grand duche": "LU", "lu": "LU",
}
_POSTCODE_PREFIX = {"B": "BE", "BE": "BE", "F": "FR", "FR": "FR", "D": "DE", "DE": "DE",
                    "L": "LU", "LU": "LU", "NL": "NL"}
_POSTCODE = re.compile(
    r"(?<![\w-])(?:(?P<prefix>NL|BE|FR|DE|LU|B|F|D|L)\s?[-–]?\s?)?(?P<digits>\d{4,5})"
    r"(?:\s?(?P<letters>[A-Z]{2}))?(?![\w])", re.IGNORECASE)
# Two capitals after 4 digits are a Dutch PC6 suffix ("6411 AB"), unless they are a word.
_NOT_NL_LETTERS = {"LA", "LE", "DE", "DU", "EN", "ST", "AM", "AN", "IM", "OP", "AU", "IN", "OF", "TO", "AT"}
# Fuzzy matching on very short inputs finds nonsense ("Mol" -> "Mons").
_MIN_FUZZY_LENGTH = 4
_FUZZY_CUTOFF = 82.0
# Same name in two places: the bigger one is meant when it is this many times bigger.
_DOMINANCE = 5.0
_SAME_PLACE_KM = 15.0


@dataclass(frozen=True)
class Place:
    place_id: str
    country: str
    name: str
    kind: str
    admin1: str
    admin2: str
    admin3: str
    code: str          # INSEE commune code for France, empty elsewhere
    lat: float
    lon: float
    population: int
    postcodes: Tuple[str, ...]
    alt_names: Tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    place: Place
    postcode: str          # the postcode typed, else the place's first one
    matched_by: str        # name | alternate_name | fuzzy | postcode | postcode+name
    matched_text: str      # the spelling in the data that matched
    score: float           # 0–100

    @property
    def name(self) -> str:
        return self.place.name

    @property
    def country(self) -> str:
        return self.place.country

    @property
    def lat(self) -> float:
        return self.place.lat

    @property
    def lon(self) -> float:
        return self.place.lon

    def as_dict(self) -> dict:
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon,
                "postcode": self.postcode, "matched_by": self.matched_by, "matched_text": self.matched_text,
                "score": round(self.score, 1), "place_id": self.place.place_id}


@dataclass(frozen=True)
class Resolution:
    query: str
    status: str                                  # found | ambiguous | not_found
    candidates: Tuple[Candidate, ...] = ()
    countries: Tuple[str, ...] = ()              # the countries to ask about when ambiguous
    reason: str = ""                             # machine-readable why (see _REASONS in render)
    postcode: str = ""                           # the postcode found in the text, if any

    @property
    def best(self) -> Optional[Candidate]:
        return self.candidates[0] if self.status == FOUND and self.candidates else None

    def as_dict(self) -> dict:
        return {"query": self.query, "status": self.status, "reason": self.reason, "postcode": self.postcode,
                "countries": list(self.countries), "candidates": [c.as_dict() for c in self.candidates]}


@dataclass
class _PostcodeQuery:
    digits: str
    countries: Tuple[str, ...]
    display: str


@dataclass
class Gazetteer:
    places: List[Place]
    by_id: Dict[str, Place] = field(default_factory=dict)
    name_index: Dict[str, List[Tuple[Place, bool, str]]] = field(default_factory=dict)
    postcode_index: Dict[Tuple[str, str], List[Tuple[Place, str]]] = field(default_factory=dict)
    fuzzy_keys: List[str] = field(default_factory=list)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, data_dir: Path = GEO_DATA_DIR) -> "Gazetteer":
        places = []
        with open(data_dir / "places.tsv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                places.append(Place(
                    place_id=row["place_id"], country=row["country"], name=row["name"], kind=row["kind"],
                    admin1=row["admin1"], admin2=row["admin2"], admin3=row["admin3"], code=row["code"],
                    lat=float(row["lat"]), lon=float(row["lon"]), population=int(row["population"] or 0),
                    postcodes=tuple(row["postcodes"].split()),
                    alt_names=tuple(a for a in row["alt_names"].split("|") if a)))
        gazetteer = cls(places=places)
        gazetteer.by_id = {p.place_id: p for p in places}
        index = defaultdict(list)
        for place in places:
            for key in keys(place.name):
                index[key].append((place, True, place.name))
            for alt in place.alt_names:
                for key in keys(alt):
                    index[key].append((place, False, alt))
        gazetteer.name_index = dict(index)
        gazetteer.fuzzy_keys = sorted(index)
        postcodes = defaultdict(list)
        with open(data_dir / "postcodes.tsv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                place = gazetteer.by_id.get(row["place_id"])
                if place is not None:
                    postcodes[(row["country"], _postcode_digits(row["postcode"]))].append((place, row["place"]))
        gazetteer.postcode_index = dict(postcodes)
        return gazetteer

    # ------------------------------------------------------------------ public
    def resolve(self, text: str, country_hint: Optional[str] = None) -> Resolution:
        query = (text or "").strip()
        hint = (country_hint or "").upper() or None
        if hint not in COUNTRIES:
            hint = None
        if not query:
            return Resolution(query, NOT_FOUND, reason="empty_query")
        name_part, postcode, hint = self._split(query, hint)
        if postcode is not None:
            return self._resolve_postcode(query, postcode, name_part, hint)
        if not fold(name_part):
            return Resolution(query, NOT_FOUND, reason="empty_query")
        return self._resolve_name(query, name_part, hint)

    # ------------------------------------------------------------------ parsing
    def _split(self, query: str, hint: Optional[str]):
        """Take the postcode and any country word out of the text."""
        postcode = None
        name_part = query
        for match in _POSTCODE.finditer(query):
            parsed = _parse_postcode(match, hint)
            if parsed is not None:
                postcode = parsed
                name_part = (query[:match.start()] + " " + query[match.end():]).strip()
                break
        words = fold(name_part)
        if words in self.name_index:   # "Ville de Luxembourg" is a name, not "Ville de" + a country
            return name_part, postcode, hint
        for word, country in sorted(_COUNTRY_WORDS.items(), key=lambda item: -len(item[0])):
            pattern = rf"(?:^|\s){re.escape(word)}$"
            rest = re.sub(pattern, "", words).strip()
            # "Luxembourg" alone is the city; "Esch Luxembourg" is Esch in Luxembourg.
            if rest != words and rest:
                hint = hint or country
                name_part = rest
                break
        return name_part, postcode, hint

    # ------------------------------------------------------------------ postcodes
    def _resolve_postcode(self, query: str, postcode: _PostcodeQuery, name_part: str,
                          hint: Optional[str]) -> Resolution:
        countries = (hint,) if hint and hint in postcode.countries else postcode.countries
        hits = {c: self.postcode_index.get((c, postcode.digits), []) for c in countries}
        hits = {c: rows for c, rows in hits.items() if rows}
        if not hits:
            if fold(name_part):   # "99999 Arlon": trust the name rather than give up
                resolution = self._resolve_name(query, name_part, hint)
                if resolution.status != NOT_FOUND:
                    return resolution
            return Resolution(query, NOT_FOUND, reason="unknown_postcode", postcode=postcode.display)
        name_key = fold(name_part)
        if name_key:
            named = {c: [r for r in rows if _name_fits(name_key, r[0], r[1])] for c, rows in hits.items()}
            named = {c: rows for c, rows in named.items() if rows}
            if named:
                hits = named
                matched_by = "postcode+name"
            else:
                matched_by = "postcode"
        else:
            matched_by = "postcode"
        if len(hits) > 1:
            candidates = [self._postcode_candidate(rows, postcode, matched_by) for rows in hits.values()]
            return Resolution(query, AMBIGUOUS, tuple(candidates), tuple(sorted(hits)),
                              reason="postcode_in_several_countries", postcode=postcode.display)
        (country, rows), = hits.items()
        candidate = self._postcode_candidate(rows, postcode, matched_by)
        others = [self._postcode_candidate([r], postcode, matched_by) for r in rows
                  if r[0].place_id != candidate.place.place_id]
        unique_others = {o.place.place_id: o for o in others}
        return Resolution(query, FOUND, (candidate, *unique_others.values()), (country,), postcode=postcode.display)

    @staticmethod
    def _postcode_candidate(rows, postcode: _PostcodeQuery, matched_by: str) -> Candidate:
        # Several localities share a code: the most populous one stands for it.
        place, label = max(rows, key=lambda r: (r[0].population, fold(r[1]) == fold(r[0].name)))
        shown = _lu_display(postcode.digits) if place.country == "LU" else postcode.display
        return Candidate(place, shown, matched_by, label, 100.0)

    # ------------------------------------------------------------------ names
    def _resolve_name(self, query: str, name_part: str, hint: Optional[str]) -> Resolution:
        scored = self._exact(name_part) or self._fuzzy(name_part)
        if not scored:
            return Resolution(query, NOT_FOUND, reason="unknown_place")
        served = [c for c in scored if c.place.kind != OUTSIDE_KIND]
        if not served:
            outside = sorted(scored, key=lambda c: (-c.score, -c.place.population))[:1]
            return Resolution(query, NOT_FOUND, tuple(outside), (outside[0].country,), reason="outside_served_area")
        scored = served
        if hint:
            in_hint = [c for c in scored if c.country == hint]
            scored = in_hint or scored
        scored.sort(key=lambda c: (-c.score, -c.place.population, c.place.place_id))
        ambiguity = _ambiguity(scored)
        if ambiguity:
            kept = _one_per_place(scored)[:5]
            return Resolution(query, AMBIGUOUS, tuple(kept), tuple(sorted({c.country for c in kept})),
                              reason=ambiguity)
        return Resolution(query, FOUND, tuple(_one_per_place(scored)[:5]), (scored[0].country,))

    def _exact(self, name_part: str) -> List[Candidate]:
        found = {}
        for key in keys(name_part):
            for place, primary, spelling in self.name_index.get(key, ()):
                candidate = Candidate(place, place.postcodes[0] if place.postcodes else "",
                                      "name" if primary else "alternate_name", spelling, 100.0 if primary else 97.0)
                best = found.get(place.place_id)
                if best is None or candidate.score > best.score:
                    found[place.place_id] = candidate
        return list(found.values())

    def _fuzzy(self, name_part: str) -> List[Candidate]:
        key = fold(name_part)
        if len(key.replace(" ", "")) < _MIN_FUZZY_LENGTH:
            return []
        matches = process.extract(key, self.fuzzy_keys, scorer=fuzz.ratio, limit=8, score_cutoff=_FUZZY_CUTOFF)
        found = {}
        for matched_key, score, _ in matches:
            for place, primary, spelling in self.name_index[matched_key]:
                candidate = Candidate(place, place.postcodes[0] if place.postcodes else "", "fuzzy", spelling,
                                      float(score) - (0 if primary else 1))
                best = found.get(place.place_id)
                if best is None or candidate.score > best.score:
                    found[place.place_id] = candidate
        return list(found.values())


# ---------------------------------------------------------------------- helpers
def _postcode_digits(code: str) -> str:
    return re.sub(r"\D", "", code)[:5]


def _lu_display(digits: str) -> str:
    return f"L-{digits}"


def _parse_postcode(match: re.Match, hint: Optional[str]) -> Optional[_PostcodeQuery]:
    digits = match.group("digits")
    prefix = (match.group("prefix") or "").upper()
    letters = match.group("letters") or ""
    if letters and (letters.upper() in _NOT_NL_LETTERS or not letters.isupper()):
        letters = ""
    if prefix:
        country = _POSTCODE_PREFIX[prefix]
        if (country in ("FR", "DE")) != (len(digits) == 5):
            return None
        display = f"L-{digits}" if country == "LU" else digits
        return _PostcodeQuery(digits, (country,), display)
    if len(digits) == 5:
        countries = ("FR", "DE")
    elif letters:
        countries = ("NL",)
    else:
        countries = ("BE", "NL", "LU")
    if hint in countries:
        countries = (hint,)
    display = f"{digits} {letters}" if letters else digits
    return _PostcodeQuery(digits, countries, display)


def _name_fits(name_key: str, place: Place, label: str) -> bool:
    spellings = {fold(place.name), fold(label), *(fold(a) for a in place.alt_names)}
    return name_key in spellings or any(fuzz.ratio(name_key, s) >= _FUZZY_CUTOFF for s in spellings)


def _one_per_place(candidates: List[Candidate]) -> List[Candidate]:
    seen, out = set(), []
    for candidate in candidates:
        if candidate.place.place_id not in seen:
            seen.add(candidate.place.place_id)
            out.append(candidate)
    return out


def _ambiguity(candidates: List[Candidate]) -> str:
    """Why the top candidates cannot be told apart, or "" when the first one is meant.

    A much bigger town wins ("Esch" is Esch-sur-Alzette, not Esch-sur-Sûre). A town's
    own name beats another town's exonym ("Mons" is Mons, not Mons-en-Barœul) unless
    the exonym belongs to a much bigger town ("Bergen": Mons (BE), or a Bergen?).
    """
    top = candidates[0]
    top_size = max(top.place.population, 1)
    undecided = []
    for rival in candidates[1:]:
        if rival.score < top.score - 3 or haversine_km(top.lat, top.lon, rival.lat, rival.lon) <= _SAME_PLACE_KM:
            continue
        rival_size = max(rival.place.population, 1)
        if top_size >= _DOMINANCE * rival_size:
            continue
        if top.matched_by == "name" and rival.matched_by != "name" and rival_size < _DOMINANCE * top_size:
            continue
        undecided.append(rival)
    if not undecided:
        return ""
    if any(c.country != top.country for c in undecided):
        return "name_in_several_countries"
    return "several_places"


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer.load()


def resolve(text: str, country_hint: Optional[str] = None) -> Resolution:
    """Resolve ``text`` with the committed data (loaded once per process)."""
    return default_gazetteer().resolve(text, country_hint)
