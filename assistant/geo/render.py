"""A short chat reply (Markdown) for a ``NearestResult``, in fr / de / nl / lb / en.

Every sentence comes from assistant/i18n/geo.yml; this module only chooses which
sentences apply and fills them in. Uncertainty is always spelled out: an
approximated zone membership, a single-source zone, unconfirmed partners, the
age of the hospital data and straight-line distances.
"""
from __future__ import annotations

import re
from typing import Iterable, List, Optional

from assistant.geo.facilities import NearestResult, option_groups
from assistant.geo.gazetteer import AMBIGUOUS, Resolution
from assistant.geo.zones import APPROXIMATION, EXCLUDED, NOT_COVERED, PENDING, POSSIBLE, UNKNOWN, Zone
from assistant.i18n import catalogue, normalise_language, t

CATALOGUE = "geo"
_EMERGENCY_CARE = {"emergency", "cardiology_emergency", "neurosurgical_emergency", "polytrauma", "stroke"}
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|])")


def _t(key: str, language: str, **values) -> str:
    return t(CATALOGUE, key, language, **values)


def _md(text: str) -> str:
    """User text goes into Markdown: neutralise link and emphasis syntax."""
    return _MARKDOWN.sub(r"\\\1", text or "")


def _km(distance: float, language: str) -> str:
    text = f"{distance:.1f}" if distance < 20 else f"{distance:.0f}"
    return text if language == "en" else text.replace(".", ",")


def _join(items: List[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_t('or_word', language)} {items[-1]}"


def _care_label(care: str, language: str) -> str:
    """A care type without a text in geo.yml (a caller's own word) is shown as given."""
    if f"care_{care}" in catalogue(CATALOGUE):
        return _t(f"care_{care}", language)
    return _md(care.replace("_", " "))


def _care_list(care: Iterable[str], language: str) -> str:
    return ", ".join(_care_label(c, language) for c in care)


def _links(zones: Iterable[Zone]) -> List[str]:
    links, seen = [], set()
    for zone in zones:
        if zone.id in seen or not zone.sources:
            continue
        seen.add(zone.id)
        source = zone.sources[0]
        links.append(f"[{source['title']}]({source['url']})")
    return links


# ---------------------------------------------------------------------- questions back
def _question(resolution: Resolution, language: str) -> str:
    if resolution.status == AMBIGUOUS and resolution.reason == "postcode_in_several_countries":
        options = [f"{_t('country_in_' + c.country, language)} ({c.name})" for c in resolution.candidates]
        return _t("ask_country_postcode", language, postcode=_md(resolution.postcode),
                  options=_join(options, language))
    if resolution.status == AMBIGUOUS:
        same_country = len({c.country for c in resolution.candidates}) == 1
        labels = [(c.name, c.country) for c in resolution.candidates]
        options = []
        for candidate in resolution.candidates:
            detail = _t(f"country_{candidate.country}", language)
            # Two "Esch (Germany)" would look like one place listed twice: the postcode tells them apart.
            twin = labels.count((candidate.name, candidate.country)) > 1
            if (same_country or twin) and candidate.postcode:
                detail = f"{detail}, {candidate.postcode}"
            options.append(f"{candidate.name} ({detail})")
        return _t("ask_which_place", language, query=_md(resolution.query), options=_join(options, language))
    if resolution.reason == "empty_query":
        return _t("empty_query", language)
    if resolution.reason == "unknown_postcode":
        return _t("unknown_postcode", language, postcode=_md(resolution.postcode))
    if resolution.reason == "outside_served_area" and resolution.candidates:
        place = resolution.candidates[0]
        return "\n".join([
            _t("outside_area", language, place=place.name, country=_t(f"country_{place.country}", language)),
            _t("general_routes", language),
            _t("source_line", language, links=_t("general_sources", language)),
            _t("emergency_line", language)])
    return _t("unknown_place", language, query=_md(resolution.query))


# ---------------------------------------------------------------------- the answer
def _header(result: NearestResult, language: str) -> List[str]:
    place = result.place
    postcode = f", {place.postcode}" if place.postcode else ""
    line = _t("place_line", language, place=place.name, country=_t(f"country_{place.country}", language),
              postcode=postcode)
    typed = result.resolution.query
    if place.matched_by in ("alternate_name", "fuzzy") and typed and typed.strip().lower() != place.name.lower():
        line = f"{line} {_t('understood_as', language, typed=_md(typed), place=place.name)}"
    return [line]


def _option_lines(result: NearestResult, language: str) -> List[str]:
    lines, number = [], 0
    for zone, options in option_groups(result.options):
        lines.append(_t("options_free", language) if zone is None else _t(
            "options_regulated", language, scheme=zone.name, care=_care_list(zone.restricted_to, language)))
        for option in options:
            number += 1
            extra = ""
            if option.care_only and option.zone.access == "free":
                extra += _t("only_care", language, care=_care_list(option.care_only, language))
            if option.confidence != "solid":
                extra += _t("to_confirm", language)
            hospital = option.hospital
            formerly = f" ({_t('formerly', language, old=hospital.label)})" if option.current_name else ""
            lines.append(_t("option_line", language, n=number, hospital=option.current_name or hospital.label,
                            formerly=formerly, address=hospital.full_address,
                            country=_t(f"country_{hospital.country}", language),
                            km=_km(option.distance_km, language), scheme=option.zone.name, extra=extra))
    return lines


def _scheme_notes(result: NearestResult, language: str) -> List[str]:
    lines = []
    insurer = _t(f"insurer_{result.place.country}", language)
    bring = list(dict.fromkeys(item for o in result.options for item in o.bring))
    if bring:
        lines.append(_t("bring", language, items=" + ".join(_t(f"bring_{b}", language) for b in bring)))
    for condition in dict.fromkeys(c for o in result.options for c in o.conditions):
        lines.append(_t(f"condition_{condition}", language))
    zones_seen = set()
    for option in result.options:
        zone = option.zone
        if zone.id in zones_seen:
            continue
        zones_seen.add(zone.id)
        match = next((m for m in result.zones if m.zone.id == zone.id), None)
        approximated = match is not None and match.basis == APPROXIMATION
        if approximated:
            lines.append(_t("membership_approx", language, scheme=zone.name, area=match.label, insurer=insurer))
        if zone.confidence == "single_source" or any(
                o.confidence == "single_source" for o in result.options if o.zone.id == zone.id):
            lines.append(_t("single_source", language, scheme=zone.name))
        if zone.confidence == "uncertain" and not approximated:   # else the line above already asks to confirm
            lines.append(_t("zone_unknowns", language, scheme=zone.name, insurer=insurer))
        if zone.excludes:
            lines.append(_t("not_covered_by", language, scheme=zone.name, care=_care_list(zone.excludes, language)))
    if any("frontier_workers" in o.zone.excluded_people for o in result.options):
        lines.append(_t("frontier_workers", language))
    if result.unconfirmed:
        names = ", ".join(f"{h.label} ({_km(d, language)} km)" for _, _, h, d in result.unconfirmed)
        lines.append(_t("unconfirmed", language, names=names))
    return lines


def _care_lines(result: NearestResult, language: str) -> List[str]:
    lines = []
    care = _care_label(result.care_type, language) if result.care_type else ""
    care = care[:1].upper() + care[1:]   # it starts the sentence
    for zone, status in result.care_excluded:
        if status in (EXCLUDED, NOT_COVERED):
            lines.append(_t("care_not_covered", language, care=care, scheme=zone.name))
        elif status == PENDING:
            lines.append(_t("care_pending", language, care=care, scheme=zone.name))
        elif status == UNKNOWN:
            lines.append(_t("care_unknown", language, scheme=zone.name))
    return lines


def render(result: NearestResult, language: Optional[str] = None) -> str:
    """The reply to show; for an ambiguous or unknown place, the question to ask back."""
    language = normalise_language(language)
    if result.place is None:
        return _question(result.resolution, language)
    lines = _header(result, language)
    emergency_first = result.care_type in _EMERGENCY_CARE or any(
        o.zone.access != "free" for o in result.options)
    if emergency_first:
        lines.append(_t("emergency_line", language))
    lines += _option_lines(result, language)
    lines += _scheme_notes(result, language)
    lines += _care_lines(result, language)
    insurer = _t(f"insurer_{result.place.country}", language)
    possible = [m.zone for m in result.zones if m.basis == POSSIBLE]
    for zone in possible:
        lines.append(_t("possible_zone", language, scheme=zone.name, insurer=insurer))
    if result.general_routes:
        if result.options:
            lines.append(_t("general_routes_other_care", language))
        elif possible:
            lines.append(_t("general_routes_until_confirmed", language))
        elif result.care_type and result.care_excluded:
            lines.append(_t("no_scheme_for_care", language, place=result.place.name))
        else:
            lines.append(_t("no_scheme", language, place=result.place.name))
        lines.append(_t("general_routes", language))
    if result.domestic:
        hospital, distance = result.domestic
        lines.append(_t("domestic", language, country_in=_t(f"country_in_{hospital.country}", language),
                        hospital=hospital.label, address=hospital.full_address, km=_km(distance, language)))
    links = _links([o.zone for o in result.options] + [z for z, _ in result.care_excluded] + possible)
    if result.general_routes:
        links.append(_t("general_sources", language))
    if links:
        lines.append(_t("source_line", language, links=" · ".join(links)))
    lines.append(_t("data_caveat", language))
    if not emergency_first:
        lines.append(_t("emergency_line", language))
    return "\n".join(lines)

