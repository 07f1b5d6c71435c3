"""/zones in the real web app: every zone with its sources, a typed town with a typo, five languages,
the map data, and the page's content security policy."""
import json
import urllib.parse
import urllib.request

import pytest

from assistant.geo.zones import load_zones
from tests.web.serving import web_process


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with web_process(tmp_path_factory.mktemp("zones-var")) as settings:
        yield settings.web_origin


def get(url: str):
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read().decode("utf-8"), answer.headers


def test_every_zone_is_listed_with_its_sources(web):
    page, headers = get(f"{web}/zones?lang=en")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "<style" not in page and " style=" not in page and " on" + "click" not in page
    for zone in load_zones():
        assert f'data-zone="{zone.id}"' in page
        for source in zone.sources:
            assert source["url"].replace("&", "&amp;") in page


@pytest.mark.parametrize("lang, heading, bring", [
    ("fr", "Habitants côté France", "Carte Vitale + pièce d&#39;identité"),
    ("de", "Einwohner auf der Seite Frankreich", "Carte Vitale + Personalausweis oder Reisepass"),
    ("nl", "Inwoners aan de kant Frankrijk", "Carte Vitale + identiteitskaart of paspoort"),
    ("lb", "Awunner op der Säit Frankräich", "Carte Vitale + Identitéitskaart oder Pass"),
    ("en", "Residents on the France side", "Carte Vitale + ID card or passport"),
])
def test_a_town_with_a_typo_finds_its_zone_in_each_language(web, lang, heading, bring):
    page, _ = get(f"{web}/zones?place=Givett&lang={lang}")
    assert 'data-status="found"' in page and 'data-zone="ardennes"' in page
    assert f'<html lang="{lang}">' in page
    assert heading in page and bring in page
    assert "CHU UCL Namur Dinant" in page


def test_what_is_typed_is_escaped_and_an_unknown_place_is_said(web):
    page, _ = get(f"{web}/zones?place=" + urllib.parse.quote("<script>x</script>") + "&lang=en")
    assert "<script>x" not in page and "&lt;script&gt;x" in page
    assert 'data-status="not_found"' in page


def test_the_map_data_of_a_zone_and_an_unknown_one(web):
    body, headers = get(f"{web}/zones/map/ardennes")
    data = json.loads(body)
    assert data["id"] == "ardennes" and data["territory"] and data["hospitals"]
    with pytest.raises(urllib.error.HTTPError) as error:
        get(f"{web}/zones/map/nowhere")
    assert error.value.code == 404
