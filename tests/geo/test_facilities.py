"""The nearest eligible facilities: right side of the border, right scheme, honest limits."""
import pytest

from assistant.geo.facilities import nearest
from assistant.geo.gazetteer import resolve
from assistant.geo.zones import EXCLUDED, load_zones


def option_ids(result):
    return [o.hospital.id for o in result.options]


def test_french_resident_of_zoast_ardennes_gets_namur_province_hospitals():
    result = nearest("Givet")
    assert result.status == "found"
    ids = option_ids(result)
    assert "BE-3260" in ids            # CHU UCL Namur, Dinant site (former CH Dinant)
    assert "BE-3280" in ids            # CHU UCL Namur, Godinne site
    dinant = next(o for o in result.options if o.hospital.id == "BE-3260")
    assert 10 < dinant.distance_km < 25
    assert dinant.zone.id == "ardennes"
    assert dinant.bring == ("carte_vitale", "id_document")
    assert dinant.hospital.full_address.endswith("5500 Dinant")
    assert dinant.basis == "source"
    assert result.general_routes is False


def test_charleville_resident_gets_belgian_hospitals_and_a_french_comparison():
    result = nearest("Charleville-Mézières")
    assert result.options and all(o.hospital.country == "BE" for o in result.options)
    assert {"BE-3260", "BE-3280"} & set(option_ids(result))
    assert all(o.basis == "approximation" for o in result.options)
    hospital, distance = result.domestic
    assert hospital.country == "FR" and distance < 10


def test_options_are_the_three_closest_sorted_by_distance():
    result = nearest("Mouscron")
    distances = [o.distance_km for o in result.options]
    assert len(distances) == 3 and distances == sorted(distances)
    assert option_ids(result)[0] == "FR-590804696"     # CH Tourcoing, under 5 km


def test_belgian_resident_of_zone_brings_the_mutualite_sticker():
    result = nearest("Bouillon")
    assert result.options[0].hospital.id == "FR-80000110"   # CH Sedan
    assert result.options[0].bring == ("mutualite_vignette", "id_document")


def test_rehabilitation_centres_do_not_push_general_hospitals_out():
    result = nearest("Dinant")
    assert "FR-80000425" in option_ids(result)      # CH Charleville-Mézières
    assert "FR-80000250" not in option_ids(result)  # the CRFA is rehabilitation only


def test_assisted_procreation_is_not_offered_in_ardennes():
    result = nearest("Sedan", care_type="medically_assisted_procreation")
    assert result.options == ()
    assert [(zone.id, status) for zone, status in result.care_excluded] == [("ardennes", EXCLUDED)]
    assert result.general_routes is True


def test_mosar_offers_saarland_hospitals_only_under_medical_regulation():
    result = nearest("Forbach")
    assert set(option_ids(result)) == {"DE-261000013_001_771100", "DE-261000126_001_772376"}
    assert all(o.zone.access == "medical_regulation" for o in result.options)
    assert all("cardiology_emergency" in o.care_only for o in result.options)
    assert result.general_routes is True        # every other care: EHIC / S2 / directive


def test_mosar_for_a_saarland_resident_points_to_moselle():
    result = nearest("Völklingen", care_type="polytrauma")
    assert result.options and all(o.hospital.country == "FR" for o in result.options)
    assert result.options[0].bring[0] == "health_insurance_card_de"


def test_mosar_does_not_cover_childbirth():
    result = nearest("Forbach", care_type="obstetrics")
    assert result.options == ()
    assert result.general_routes is True


def test_arlon_residents_french_side_is_luxlor_and_marked_single_source():
    result = nearest("Arel")
    assert option_ids(result)[0] == "FR-540001096"   # CH Mont-Saint-Martin
    assert all(o.zone.id == "luxlor" and o.confidence == "single_source" for o in result.options)


def test_longwy_resident_goes_to_vivalia_with_complementary_card():
    result = nearest("Longwy")
    assert {"BE-3690", "BE-3700"} <= set(option_ids(result))
    assert "complementary_card" in result.options[0].bring


def test_maubeuge_gets_helora_sites_with_the_cpam_condition():
    result = nearest("Maubeuge")
    assert set(option_ids(result)) == {"BE-2710", "BE-2720", "BE-2730"}
    assert result.options[0].conditions == ("affiliated_cpam_hainaut",)
    names = {o.hospital.id: o.current_name for o in result.options}
    assert names["BE-2710"] == "HELORA – Hôpital de Mons, site Constantinople"


def test_thierache_pilot_hospitals_are_never_offered_as_eligible():
    result = nearest("Chimay")
    assert option_ids(result) == ["FR-590000469"]          # CH Fourmies, maternity convention only
    assert result.options[0].care_only == ("obstetrics", "gynaecology", "paediatrics")
    assert {zh.status for _, zh, _, _ in result.unconfirmed} == {"pilot_era"}
    assert result.general_routes is True


def test_chimay_birth_at_fourmies_and_nothing_for_heart_surgery():
    birth = nearest("Chimay", care_type="obstetrics")
    assert option_ids(birth) == ["FR-590000469"]
    assert birth.general_routes is False
    assert nearest("Chimay", care_type="cardiac_surgery").options == ()


@pytest.mark.parametrize("text", ["Tournai", "Dunkerque", "Kortrijk", "Kerkrade", "Eupen", "Strasbourg",
                                  "Luxembourg", "Namur"])
def test_no_scheme_means_general_routes_and_a_domestic_hospital(text):
    result = nearest(text)
    assert result.options == ()
    assert result.general_routes is True
    hospital, distance = result.domestic
    assert hospital.country == result.place.country and distance < 30


def test_ambiguous_and_unknown_places_give_no_hospitals():
    for text in ("6460", "Bergen", "Xyzzy", "Paris"):
        result = nearest(text)
        assert result.options == () and result.domestic is None
        assert result.status in ("ambiguous", "not_found")


def test_country_hint_and_candidate_inputs():
    assert nearest("6460", country_hint="BE").place.name == "Chimay"
    candidate = resolve("Givet").best
    assert option_ids(nearest(candidate)) == option_ids(nearest("Givet"))


SAMPLE = ["Givet", "Sedan", "Bouillon", "Dinant", "Forbach", "Sarreguemines", "Saarbrücken", "Gersheim", "Arlon",
          "Longwy", "Verdun", "Mouscron", "Roubaix", "Lille", "Maubeuge", "Hirson", "Fourmies", "Chimay"]


@pytest.mark.parametrize("text", SAMPLE)
def test_options_are_across_the_border_and_listed_in_a_zone(text):
    result = nearest(text)
    listed = {h.id for zone in load_zones() for side in zone.sides.values()
              for h in side.hospitals if h.status == "listed"}
    assert result.options, text
    for option in result.options:
        assert option.hospital.country != result.place.country
        assert option.hospital.id in listed
        assert option.distance_km < 120


def test_result_serialises_for_agents():
    data = nearest("Givet").as_dict()
    assert data["place"]["name"] == "Givet"
    assert data["options"][0]["scheme"] == "ardennes"
    assert data["options"][0]["bring"] == ["carte_vitale", "id_document"]
    assert data["domestic"]["country"] == "FR"
    assert any("commune" in line for line in data["unknowns"])
