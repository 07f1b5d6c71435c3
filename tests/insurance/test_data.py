"""The i18n catalogue and the data files are complete and consistent with each other."""
import re
import string

import pytest
import yaml

from assistant.i18n import LANGUAGES, catalogue
from assistant.insurance.lexicon import french_department, lexicon, place_info
from assistant.insurance.reference_data import DATA_DIR, institutions, load

CATALOGUE = catalogue("insurance")


def _placeholders(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_all_five_languages_with_the_same_placeholders(key):
    variants = CATALOGUE[key]
    assert set(variants) == set(LANGUAGES), key
    assert all(isinstance(v, str) and v.strip() for v in variants.values()), key
    assert len({frozenset(_placeholders(v)) for v in variants.values()}) == 1, key


def test_luxembourgish_is_not_a_copy_of_german():
    copies = [k for k, v in CATALOGUE.items() if len(v["de"].split()) >= 3 and v["lb"] == v["de"]]
    assert not copies


def test_every_message_key_used_by_the_rules_exists():
    rules = load("rules")
    used = {key for rule in rules["bilateral"] for key in [*rule.get("notes", ()), *rule.get("caveats", ())]}
    code = "".join(p.read_text(encoding="utf-8") for p in (DATA_DIR.parents[1] / "assistant" / "insurance").glob("*.py"))
    used |= set(re.findall(r'"((?:caveat|note|why|reason|care|step|field)_[a-z0-9_]+)"', code))
    assert not sorted(k for k in used if k not in CATALOGUE)


def test_every_reference_in_rules_points_to_an_existing_institution_or_source():
    rules = load("rules")
    ids = set(institutions())
    sources = set(rules["sources"])
    for case in rules["cases"].values():
        assert set(case["sources"]) <= sources
    for table in ("competent_institutions", "competent_institutions_living_abroad_on_pension", "ask"):
        for country, listed in rules[table].items():
            assert set(listed) <= ids, (table, country)
    for table in ("s1_issuer", "s1_issuer_pension", "s1_registration"):
        for entry in rules[table].values():
            assert entry["institution"] in ids
            assert entry.get("source", next(iter(sources))) in sources
    for rule in rules["bilateral"]:
        assert set(rule.get("sources", ())) <= sources, rule["id"]
        assert rule.get("registered_with", "nl_cz") in ids


def test_institutions_have_roles_sources_and_confidence():
    roles = {"competent_insurer", "liaison_body", "regulator", "s1_registration", "care_abroad_reimbursement",
             "affiliation", "national_contact_point"}
    for entry in institutions().values():
        assert set(entry["roles"]) <= roles, entry["id"]
        assert entry["source"]["url"].startswith("http") and entry["source"]["title"], entry["id"]
        assert entry["confidence"] in ("solid", "single_source", "uncertain"), entry["id"]
    by_country = {}
    for entry in institutions().values():
        by_country.setdefault(entry["country"], set()).add(entry["id"])
    assert {"be_mutualite", "be_hr_rail", "be_caami", "be_inami"} <= by_country["BE"]
    assert {"fr_cpam", "fr_msa", "fr_cnse", "fr_cleiss"} <= by_country["FR"]
    assert {"lu_cns", "lu_ccss"} <= by_country["LU"]
    assert {"de_krankenkasse", "de_dvka"} <= by_country["DE"]
    assert {"nl_zorgverzekeraar", "nl_cak", "nl_cz"} <= by_country["NL"]
    assert len(institutions()["be_mutualite"]["unions"]) == 5


def test_lexicon_border_towns():
    data = yaml.safe_load((DATA_DIR / "lexicon.yml").read_text(encoding="utf-8"))
    assert 50 <= len(data["towns"]) <= 80
    assert place_info("Arel").value == "BE" and place_info("Kerkrade").value == "NL"
    assert place_info("Saarbrücken").value == "DE" and place_info("Esch").value == "LU"
    assert french_department("Longwy") == "54" and french_department("57100 Thionville") == "57"
    assert french_department("Arlon") is None
    assert lexicon().max_words >= 3


def test_telework_posting_and_annex_tables_point_to_existing_sources_institutions_and_countries():
    from assistant.insurance import COUNTRIES
    rules = load("rules")
    sources, ids = set(rules["sources"]), set(institutions())
    agreement = rules["telework_agreement"]
    for entry in agreement["signatories"].values():
        assert set(entry["sources"]) <= sources
    for entry in agreement["request_to"].values():
        assert entry["institution"] in ids and entry["source"] in sources
    assert set(agreement["request_to"]) == set(COUNTRIES)
    posting = rules["posting"]
    assert posting["max_months"] == 24 and set(posting["a1_issuers"]) == set(COUNTRIES)
    for entry in posting["a1_issuers"].values():
        assert set(entry["sources"]) <= sources
        assert {i["institution"] for i in entry["issuers"]} <= ids
        assert all(f"a1_for_{i['for']}" in CATALOGUE for i in entry["issuers"] if "for" in i)
    # Every body that takes a request past 24 months has a source; an unsourced one would print as fact.
    assert set(posting["extension_request_to"]) == set(COUNTRIES)
    for entry in posting["extension_request_to"].values():
        assert entry["institution"] in ids and entry["sources"] and set(entry["sources"]) <= sources
        assert entry["confidence"] in ("solid", "single_source", "uncertain")
    for employer_state, by_residence in rules["telework_tax_days"].items():
        for residence, entry in by_residence.items():
            assert {employer_state, residence} <= set(COUNTRIES) and employer_state != residence
            assert entry["sources"] and set(entry["sources"]) <= sources and entry["from_income_year"] >= 2022
    for annex in ("annex_iv", "annex_v"):
        assert set(rules[annex]["countries"]) <= set(COUNTRIES) and rules[annex]["source"] in sources


def test_keys_the_renderer_builds_exist():
    # step_a1_<purpose>: render.py builds the key from RegistrationStep.purpose.
    assert {"step_a1_posting", "step_a1_telework", "step_a1"} <= set(CATALOGUE)


def test_bodies_that_insure_nobody_are_not_read_as_the_persons_insurer():
    from assistant.insurance import extract_situation
    assert extract_situation("Mon employeur a demandé le formulaire à l'Urssaf").current_insurer is None
    assert extract_situation("Ik heb een brief van de SVB gekregen").current_insurer is None
