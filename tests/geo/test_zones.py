"""Zone membership follows the territories sourced in shared/domain/facts.md."""
import pytest

from assistant.geo.gazetteer import resolve
from assistant.geo.zones import (
    APPROXIMATION,
    COVERED,
    EXCLUDED,
    NOT_COVERED,
    PENDING,
    POSSIBLE,
    RESTRICTED,
    SOURCE,
    UNKNOWN,
    load_zones,
    zone_by_id,
    zones_containing,
)


def memberships(text, hint=None):
    resolution = resolve(text, hint)
    assert resolution.best is not None, resolution.as_dict()
    return {m.zone.id: m.basis for m in zones_containing(resolution.best.place, resolution.postcode)}


@pytest.mark.parametrize("text,hint,zone,basis", [
    # ZOAST Ardennes: "part of the arrondissements of Charleville-Mézières and Sedan incl. the pointe de Givet"
    ("Charleville-Mézières", None, "ardennes", APPROXIMATION),
    ("Sedan", None, "ardennes", APPROXIMATION),
    ("Nouzonville", None, "ardennes", APPROXIMATION),
    ("Givet", None, "ardennes", SOURCE),
    # Belgian side: commune of Bouillon (named) + south of Namur Province (approximated)
    ("Bouillon", None, "ardennes", SOURCE),
    ("Corbion", None, "ardennes", SOURCE),
    ("Dinant", None, "ardennes", APPROXIMATION),
    ("Couvin", None, "ardennes", APPROXIMATION),
    # MOSAR: Moselle-Est (GHT 9) / Regionalverband Saarbrücken + Gersheim + Mandelbachtal
    ("Forbach", None, "mosar", APPROXIMATION),
    ("Sarreguemines", None, "mosar", APPROXIMATION),
    ("Saint-Avold", None, "mosar", APPROXIMATION),
    ("Saarbrücken", None, "mosar", SOURCE),
    ("Völklingen", None, "mosar", SOURCE),
    ("Gersheim", None, "mosar", SOURCE),
    ("Mandelbachtal", None, "mosar", SOURCE),
    # LUXLOR: arrondissements of Briey and Verdun (Vivalia) / Belgian Province of Luxembourg
    ("Longwy", None, "luxlor", SOURCE),
    ("Mont-Saint-Martin", None, "luxlor", SOURCE),
    ("Verdun", None, "luxlor", SOURCE),
    ("Arlon", None, "luxlor", APPROXIMATION),
    ("Virton", None, "luxlor", APPROXIMATION),
    # MRTW-URSA: Mouscron, Comines, Estaimpuis / Roubaix, Tourcoing, Wattrelos (+ Lille area)
    ("Mouscron", None, "mrtw-ursa", SOURCE),
    ("Dottignies", None, "mrtw-ursa", SOURCE),
    ("Comines-Warneton", None, "mrtw-ursa", SOURCE),
    ("Estaimpuis", None, "mrtw-ursa", SOURCE),
    ("Roubaix", None, "mrtw-ursa", SOURCE),
    ("Tourcoing", None, "mrtw-ursa", SOURCE),
    ("Wattrelos", None, "mrtw-ursa", SOURCE),
    ("Lille", None, "mrtw-ursa", APPROXIMATION),
    ("Kortrijk", None, "mrtw-ursa", POSSIBLE),
    # Mons–Maubeuge: CPAM du Hainaut area, approximated
    ("Maubeuge", None, "mons-maubeuge", APPROXIMATION),
    ("Cambrai", None, "mons-maubeuge", APPROXIMATION),
    # Thiérache, Tournai–Valenciennes, Littoral: approximated or only possible
    ("Hirson", None, "thierache", APPROXIMATION),
    ("Fourmies", None, "thierache", APPROXIMATION),
    ("Chimay", None, "thierache", APPROXIMATION),
    ("Tournai", None, "tournai-valenciennes", POSSIBLE),
    ("Valenciennes", None, "tournai-valenciennes", POSSIBLE),
    ("Dunkerque", None, "littoral", POSSIBLE),
    ("Veurne", None, "littoral", POSSIBLE),
])
def test_place_is_in_zone(text, hint, zone, basis):
    assert memberships(text, hint).get(zone) == basis


@pytest.mark.parametrize("text,zone", [
    ("Namur", "ardennes"),            # north of Namur Province
    ("Reims", "ardennes"),            # outside the served area altogether
    ("Metz", "mosar"),                # Moselle but not Moselle-Est
    ("Thionville", "mosar"),
    ("Homburg", "mosar"),             # Saarpfalz-Kreis, but not Gersheim/Mandelbachtal
    ("Saarlouis", "mosar"),
    ("Thionville", "luxlor"),         # arrondissement of Thionville, not Briey
    ("Charleville-Mézières", "luxlor"),
    ("Liège", "luxlor"),
])
def test_place_is_not_in_zone(text, zone):
    resolution = resolve(text)
    if resolution.best is None:
        return   # out of the served area: in no zone by construction
    assert zone not in memberships(text)


@pytest.mark.parametrize("text", ["Strasbourg", "Kerkrade", "Eupen", "Aachen", "Luxembourg", "Maastricht"])
def test_places_covered_by_no_scheme(text):
    assert memberships(text) == {}


def test_bouillon_is_in_two_zones_the_named_one_first():
    resolution = resolve("Bouillon")
    matches = zones_containing(resolution.best.place)
    assert [m.zone.id for m in matches][:1] == ["ardennes"]
    assert {"ardennes", "luxlor"} <= {m.zone.id for m in matches}


def test_every_zone_of_the_brief_is_present():
    ids = {zone.id for zone in load_zones()}
    assert {"ardennes", "mrtw-ursa", "luxlor", "tournai-valenciennes", "mons-maubeuge", "thierache",
            "littoral", "mosar"} <= ids


def test_ardennes_excludes_assisted_procreation_and_cosmetic_surgery():
    ardennes = zone_by_id("ardennes")
    assert ardennes.care_status(None) == COVERED
    assert ardennes.care_status("medically_assisted_procreation") == EXCLUDED
    assert ardennes.care_status("pma") == EXCLUDED
    assert ardennes.care_status("cosmetic_surgery") == EXCLUDED
    assert ardennes.care_status("obstetrics") == COVERED


def test_mosar_is_not_a_free_access_scheme():
    mosar = zone_by_id("mosar")
    assert mosar.access == "medical_regulation"
    assert mosar.care_status(None) == RESTRICTED
    assert mosar.care_status("cardiology_emergency") == COVERED
    assert mosar.care_status("polytrauma") == COVERED
    assert mosar.care_status("stroke") == PENDING
    assert mosar.care_status("dermatology") == NOT_COVERED
    assert mosar.care_status("obstetrics") == NOT_COVERED


def test_zones_without_known_care_say_so():
    assert zone_by_id("tournai-valenciennes").care_status(None) == UNKNOWN
    assert zone_by_id("littoral").care_status("obstetrics") == UNKNOWN


def test_frontier_workers_are_excluded_from_every_zoast():
    for zone in load_zones():
        if zone.kind == "zoast":
            assert "frontier_workers" in zone.excluded_people, zone.id


def test_zones_with_unknown_territory_make_nobody_eligible():
    for zone_id in ("tournai-valenciennes", "littoral"):
        zone = zone_by_id(zone_id)
        for side in zone.sides.values():
            assert side.territory == ()
            assert all(h.status != "listed" for h in side.hospitals)
