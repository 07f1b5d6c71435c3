"""What a user types becomes the right place, or an honest question back."""
import pytest

from assistant.geo.gazetteer import AMBIGUOUS, FOUND, NOT_FOUND, resolve

# (typed, country hint, expected place name, expected country)
FOUND_CASES = [
    # exonyms and other-language names
    ("Arel", None, "Arlon", "BE"),
    ("Aarlen", None, "Arlon", "BE"),
    ("Aix-la-Chapelle", None, "Aachen", "DE"),
    ("Aken", None, "Aachen", "DE"),
    ("Lëtzebuerg", None, "Luxembourg", "LU"),
    ("Luxemburg", None, "Luxembourg", "LU"),
    ("Luxembourg", None, "Luxembourg", "LU"),
    ("Bergen", "BE", "Mons", "BE"),
    ("Luik", None, "Liège", "BE"),
    ("Lüttich", None, "Liège", "BE"),
    ("Trèves", None, "Trier", "DE"),
    ("Sarrebruck", None, "Saarbrücken", "DE"),
    ("Courtrai", None, "Kortrijk", "BE"),
    ("Ypres", None, "Ieper", "BE"),
    ("Rijsel", None, "Lille", "FR"),
    ("Doornik", None, "Tournai", "BE"),
    ("Moeskroen", None, "Mouscron", "BE"),
    ("Esch-Uelzecht", None, "Esch-sur-Alzette", "LU"),
    ("Saargemünd", None, "Sarreguemines", "FR"),
    ("Diedenhofen", None, "Thionville", "FR"),
    ("Duinkerke", None, "Dunkerque", "FR"),
    ("Namen", None, "Namur", "BE"),
    ("Menin", None, "Menen", "BE"),
    ("Dikrech", None, "Diekirch", "LU"),
    # case, accents, abbreviations, umlaut spellings
    ("LIEGE", None, "Liège", "BE"),
    ("charleville mezieres", None, "Charleville-Mézières", "FR"),
    ("St Avold", None, "Saint-Avold", "FR"),
    ("Voelklingen", None, "Völklingen", "DE"),
    ("VÖLKLINGEN", None, "Völklingen", "DE"),
    ("  Givet  ", None, "Givet", "FR"),
    # typos
    ("Sarrebruk", None, "Saarbrücken", "DE"),
    ("Charlevile-Mezieres", None, "Charleville-Mézières", "FR"),
    ("Kortrik", None, "Kortrijk", "BE"),
    ("Thionvile", None, "Thionville", "FR"),
    ("Maastrict", None, "Maastricht", "NL"),
    ("Mouscorn", None, "Mouscron", "BE"),
    # postcodes, with and without country prefix or name
    ("B-6700", None, "Arlon", "BE"),
    ("6700 Arlon", None, "Arlon", "BE"),
    ("L-4240", None, "Esch-sur-Alzette", "LU"),
    ("L 4240", None, "Esch-sur-Alzette", "LU"),
    ("57600", None, "Forbach", "FR"),
    ("57600 Forbach", None, "Forbach", "FR"),
    ("F-57200", None, "Sarreguemines", "FR"),
    ("66111", None, "Saarbrücken", "DE"),
    ("D-66333", None, "Völklingen", "DE"),
    ("52062", None, "Aachen", "DE"),
    ("08000", None, "Charleville-Mézières", "FR"),
    ("6411 AB", None, "Heerlen", "NL"),
    ("NL-6211", None, "Maastricht", "NL"),
    # clashing codes settled by a hint or by the name typed with them
    ("6460", "BE", "Chimay", "BE"),
    ("6461", "NL", "Kerkrade", "NL"),
    ("6460 Chimay", None, "Chimay", "BE"),
    ("54290", "DE", "Trier", "DE"),
    ("54290 Trier", None, "Trier", "DE"),
    # a country word next to the name
    ("Kerkrade NL", None, "Kerkrade", "NL"),
    ("Arlon, Belgique", None, "Arlon", "BE"),
    ("Mons (Belgique)", None, "Mons", "BE"),
    ("Esch Luxembourg", None, "Esch-sur-Alzette", "LU"),
]


@pytest.mark.parametrize("typed,hint,name,country", FOUND_CASES)
def test_place_is_found(typed, hint, name, country):
    resolution = resolve(typed, hint)
    assert resolution.status == FOUND, resolution.as_dict()
    best = resolution.best
    assert (best.name, best.country) == (name, country)
    assert -90 <= best.lat <= 90 and -180 <= best.lon <= 180


def test_at_least_forty_location_cases():
    assert len(FOUND_CASES) + len(AMBIGUOUS_CASES) + len(NOT_FOUND_CASES) >= 40


# (typed, hint, countries that must be offered)
AMBIGUOUS_CASES = [
    ("6460", None, {"BE", "LU"}),            # Chimay / Echternach
    ("6461", None, {"BE", "NL"}),            # Virelles / Kerkrade
    ("6464", None, {"BE", "NL"}),            # Baileux… / Kerkrade
    ("54290", None, {"FR", "DE"}),           # Bayon area / Trier
    ("Bergen", None, {"BE"}),                # Mons (BE) or a Bergen elsewhere
    ("Saint-Mard", "FR", {"FR"}),            # two small communes, in the Aisne and in Meurthe-et-Moselle
]


@pytest.mark.parametrize("typed,hint,countries", AMBIGUOUS_CASES)
def test_clash_is_returned_as_ambiguity(typed, hint, countries):
    resolution = resolve(typed, hint)
    assert resolution.status == AMBIGUOUS
    assert resolution.best is None
    assert countries <= set(resolution.countries)
    assert len(resolution.candidates) >= 2


def test_postcode_clash_names_a_place_in_each_country():
    resolution = resolve("6461")
    by_country = {c.country: c.name for c in resolution.candidates}
    assert by_country["NL"] == "Kerkrade"
    assert by_country["BE"] == "Virelles"


NOT_FOUND_CASES = [
    ("Xyzzy", "unknown_place"),
    ("Qwertzuiopü", "unknown_place"),
    ("", "empty_query"),
    ("   ", "empty_query"),
    ("99999", "unknown_postcode"),
    ("L-0001", "unknown_postcode"),
    ("Paris", "outside_served_area"),
    ("Bruxelles", "outside_served_area"),
    ("Köln", "outside_served_area"),
]


@pytest.mark.parametrize("typed,reason", NOT_FOUND_CASES)
def test_unknown_input_gives_a_reason_not_an_exception(typed, reason):
    resolution = resolve(typed)
    assert resolution.status == NOT_FOUND
    assert resolution.reason == reason
    assert resolution.best is None


def test_none_input_does_not_raise():
    assert resolve(None).reason == "empty_query"


def test_unknown_country_hint_is_ignored():
    assert resolve("Arlon", "XX").best.name == "Arlon"


def test_hint_prefers_a_place_in_that_country():
    # Bailleul exists in the Nord (FR) and in Estaimpuis (BE).
    assert resolve("Bailleul").best.country == "FR"
    assert resolve("Bailleul", "BE").best.country == "BE"


def test_match_kind_is_reported():
    assert resolve("Arlon").best.matched_by == "name"
    assert resolve("Arel").best.matched_by == "alternate_name"
    assert resolve("Sarrebruk").best.matched_by == "fuzzy"
    assert resolve("6700").best.matched_by == "postcode"
    assert resolve("6700 Arlon").best.matched_by == "postcode+name"


def test_luxembourg_postcode_is_shown_with_its_prefix():
    assert resolve("4240", "LU").best.postcode == "L-4240"


def test_short_unknown_word_is_not_fuzzy_matched():
    # Below four letters a typo match would be a guess: "Arl" could be Arlon, Arles or Arlus.
    assert resolve("Zzq").status == NOT_FOUND
    assert resolve("Arl").status == NOT_FOUND


def test_a_four_letter_typo_is_fuzzy_matched():
    best = resolve("Arlo").best
    assert best.name == "Arlon" and best.matched_by == "fuzzy"


def test_postal_name_with_a_suffix_keeps_its_postcodes():
    # GeoNames postal data says "Neunkirchen/Saar"; people say "Neunkirchen".
    best = resolve("Neunkirchen").best
    assert best.postcode == "66538" and best.place.admin3 == "10043"
