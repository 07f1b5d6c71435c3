"""The chat reply, in each of the five languages."""
import re

import pytest
import yaml

from assistant.geo.facilities import nearest
from assistant.geo.render import render
from assistant.geo.zones import CARE_TYPES, load_zones
from assistant.i18n import LANGUAGES, catalogue

CROW_FLIES = {"fr": "vol d'oiseau", "de": "Luftlinie", "nl": "hemelsbreed", "lb": "Loftlinn", "en": "as the crow flies"}
BELGIUM = {"fr": "Belgique", "de": "Belgien", "nl": "België", "lb": "Belsch", "en": "Belgium"}
LUXEMBOURG = {"fr": "Luxembourg", "de": "Luxemburg", "nl": "Luxemburg", "lb": "Lëtzebuerg", "en": "Luxembourg"}


@pytest.fixture(scope="module")
def givet():
    return nearest("Givet")


@pytest.mark.parametrize("language", LANGUAGES)
def test_eligible_answer_has_distance_address_scheme_bring_source_caveat(givet, language):
    reply = render(givet, language)
    assert "CHU UCL Namur Dinant" in reply
    assert "5500 Dinant" in reply
    assert re.search(r"\*\*15[.,]7 km\*\*", reply)
    assert CROW_FLIES[language] in reply
    assert "ZOAST Ardennes" in reply
    assert "Carte Vitale" in reply
    assert "](http://espaces-transfrontaliers.org/" in reply
    assert "2017–2020" in reply                       # the data-age caveat
    assert "**112**" in reply
    assert BELGIUM[language] in reply


@pytest.mark.parametrize("language", LANGUAGES)
def test_postcode_clash_asks_which_country(language):
    reply = render(nearest("6460"), language)
    assert reply.rstrip().endswith("?")
    assert "6460" in reply and "Chimay" in reply and "Echternach" in reply
    assert BELGIUM[language] in reply and LUXEMBOURG[language] in reply


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_place_asks_for_spelling_or_postcode(language):
    reply = render(nearest("Xyzzy"), language)
    assert "Xyzzy" in reply and reply.rstrip().endswith("?")


@pytest.mark.parametrize("language", LANGUAGES)
def test_mosar_reply_says_it_is_regulated_and_gives_112_first(language):
    reply = render(nearest("Forbach"), language)
    lines = reply.splitlines()
    assert "112" in lines[1]                          # right after the place line
    assert "SAMU 15" in reply
    assert "SHG Kliniken Völklingen" in reply
    assert "2011/24" in reply                         # other care: the general EU routes


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_scheme_reply_gives_the_general_routes(language):
    reply = render(nearest("Kerkrade"), language)
    assert "S2" in reply and "2011/24" in reply and "eur-lex.europa.eu" in reply
    assert "Zuyderland" in reply


@pytest.mark.parametrize("language", LANGUAGES)
def test_uncertain_membership_is_spelled_out(language):
    reply = render(nearest("Charleville-Mézières"), language)
    insurer = catalogue("geo")["insurer_FR"][language]
    assert insurer in reply                           # "confirm with your CPAM"


def test_luxembourgish_is_luxembourgish_not_german():
    lb = render(nearest("Givet"), "lb")
    de = render(nearest("Givet"), "de")
    assert lb != de
    for word in ("Spideeler", "Matbréngen", "Loftlinn", "Liewensgefor", "Quellen"):
        assert word in lb
    assert "Krankenhäuser" not in lb


def test_outside_area_reply_names_the_place_and_the_routes():
    reply = render(nearest("Paris"), "en")
    assert "**Paris** (France)" in reply and "EHIC" in reply


def test_merged_hospital_is_shown_under_its_current_name():
    reply = render(nearest("Maubeuge"), "fr")
    assert "**HELORA – Hôpital de Mons, site Kennedy** (anciennement CHU Ambroise Paré Mons)" in reply
    assert "CPAM du Hainaut" in reply


def test_exonym_is_acknowledged():
    assert "« Arel » comme Arlon" in render(nearest("Arel"), "fr")


def test_user_text_cannot_inject_markdown_links():
    reply = render(nearest("[click](http://evil.example)"), "en")
    assert "[click](http" not in reply


def test_unknown_care_word_does_not_crash():
    reply = render(nearest("Forbach", care_type="dermatology"), "fr")
    assert "Dermatology" in reply or "dermatology" in reply


def test_unknown_language_falls_back_to_french(givet):
    assert render(givet, "xx") == render(givet, "fr")


def test_reply_is_short():
    assert len(render(nearest("Givet"), "fr").splitlines()) <= 14


# ---------------------------------------------------------------------- the catalogue
def _placeholders(text):
    return set(re.findall(r"{(\w+)}", text))


def test_geo_catalogue_has_every_language_for_every_key():
    entries = catalogue("geo")
    assert entries
    for key, variants in entries.items():
        assert set(variants) == set(LANGUAGES), key
        for language in LANGUAGES:
            assert isinstance(variants[language], str) and variants[language].strip(), (key, language)
        assert len({frozenset(_placeholders(v)) for v in variants.values()}) == 1, key


def test_catalogue_labels_every_care_type_bring_item_and_condition():
    entries = catalogue("geo")
    for care in CARE_TYPES:
        assert f"care_{care}" in entries
    for zone in load_zones():
        for care in zone.covers + zone.excludes + zone.added_by_protocols + zone.pending:
            assert f"care_{care}" in entries, (zone.id, care)
        for side in zone.sides.values():
            for item in side.bring:
                assert f"bring_{item}" in entries, (zone.id, item)
            for condition in side.conditions:
                assert f"condition_{condition}" in entries, (zone.id, condition)
            for hospital in side.hospitals:
                for care in hospital.care:
                    assert f"care_{care}" in entries
    for country in ("BE", "DE", "FR", "LU", "NL"):
        for prefix in ("country_", "country_in_", "insurer_"):
            assert f"{prefix}{country}" in entries


def test_catalogue_file_is_plain_yaml():
    from assistant.i18n import _HERE
    assert yaml.safe_load((_HERE / "geo.yml").read_text(encoding="utf-8"))


def test_templates_do_not_use_the_loaders_own_argument_names():
    for key, variants in catalogue("geo").items():
        for text in variants.values():
            assert not _placeholders(text) & {"name", "key", "language"}, key
