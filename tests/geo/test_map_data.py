"""The map data: markers carry the numbers of the reply's list, and zones come as points."""
import json
import re

import pytest

from assistant.geo.facilities import nearest
from assistant.geo.map_data import facility_map, zone_map
from assistant.geo.render import render
from assistant.geo.zones import load_zones, zone_by_id

OPTION = re.compile(r"^(\d+)\. \*\*(.+?)\*\*", re.MULTILINE)


@pytest.mark.parametrize("place", ["Givet", "Longwy", "Sedan", "Maubeuge", "Thionville", "Arlon", "Kerkrade",
                                   "Saarbrücken", "Hirson", "Bouillon"])
def test_marker_numbers_and_names_are_those_of_the_text(place):
    result = nearest(place)
    listed = [(int(n), name) for n, name in OPTION.findall(render(result, "en"))]
    payload = facility_map(result)
    assert [(o["n"], o["name"]) for o in payload["options"]] == listed


def test_the_givet_payload_is_small_and_says_the_zone_and_its_confidence():
    payload = facility_map(nearest("Givet"))
    assert len(json.dumps(payload)) < 1500            # the tracker stores it with every facility answer
    assert payload["place"]["name"] == "Givet"
    assert {o["country"] for o in payload["options"]} == {"BE"}
    assert payload["domestic"]["country"] == "FR"
    assert payload["zones"] == [{"id": "ardennes", "name": "ZOAST Ardennes", "membership": "source",
                                 "confidence": "solid"}]


def test_no_place_no_map():
    assert facility_map(nearest("Xqzwv")) is None


def test_a_zone_map_has_its_territory_as_points_with_their_basis_and_its_hospitals():
    data = zone_map(zone_by_id("ardennes"))
    givet = [p for p in data["territory"] if p["name"] == "Givet"]
    assert givet and givet[0]["basis"] == "source"
    assert any(p["basis"] == "approximation" for p in data["territory"])
    assert {h["country"] for h in data["hospitals"]} == {"BE", "FR"}
    assert [h["n"] for h in data["hospitals"]] == list(range(1, len(data["hospitals"]) + 1))


def test_every_zone_has_map_data():
    for zone in load_zones():
        data = zone_map(zone)
        assert data["id"] == zone.id and isinstance(data["territory"], list)
