"""Emergencies are recognised in every language, however they are typed."""
import pytest

from assistant.safety import EmergencyMatcher
from assistant.safety.contacts import countries_in_context, emergency_contact_lines


@pytest.fixture(scope="module")
def matcher():
    return EmergencyMatcher()


EMERGENCIES = {
    "fr": [
        "J'ai très mal à la poitrine", "douleur dans la poitrine depuis 10 min",
        "mon mari ne respire plus!!", "je n'arrive pas à respirer", "ma fille est inconsciente",
        "il a perdu connaissance", "je saigne beaucoup", "je veux me suicider",
        "je pense à mettre fin à mes jours", "mon père fait un AVC je crois",
        "elle a avalé trop de médicaments", "appelez une ambulance", "crise cardiaque",
        "au secours mon bebe s'etouffe", "grave accident de voiture devant chez moi",
    ],
    "de": [
        "Ich habe starke Brustschmerzen", "Mein Vater ist bewusstlos", "ich kann nicht mehr atmen",
        "meine Frau ist zusammengebrochen", "er blutet stark", "ich will mich umbringen",
        "Verdacht auf Schlaganfall", "Herzinfarkt!!", "mein Kind hat einen Krampfanfall",
        "bitte rufen Sie einen Krankenwagen", "Atemnot seit heute morgen",
        "Mein Sohn hat Tabletten genommen, Überdosis", "schwerer Unfall auf der A1",
        "hilfe schnell", "ich krieg keine luft",
    ],
    "nl": [
        "Ik heb pijn op de borst", "mijn man is bewusteloos", "ik kan niet meer ademen",
        "ze is flauwgevallen", "hij bloedt heel erg", "ik denk aan zelfmoord",
        "ik wil een eind aan mijn leven maken", "ik denk dat mijn moeder een beroerte heeft",
        "hartaanval!!", "bel een ambulance", "mijn kind krijgt geen lucht",
        "ernstig ongeluk op de snelweg", "hij is in elkaar gezakt", "overdosis pillen",
        "mijn baby stikt",
    ],
    "lb": [
        "Ech kréie keng Loft", "Mäi Mann ass ëmgefall", "ech hu wéi an der Broscht",
        "hien ass bewosstlos", "si blutt vill", "ech wëll mech ëmbréngen",
        "ech mengen et ass en Häerzinfarkt", "rufft eng Ambulanz", "mäi Kand kritt keng Loft",
        "schwéieren Accident op der Autobunn", "hëllef séier", "Iwwerdosis vu Pëllen",
        "ech wëll net méi liewen", "si gëtt net méi wakreg", "mengen et ass e Schlaganfall",
    ],
    "en": [
        "I have chest pain", "my husband is not breathing", "I can't breathe",
        "she is unconscious", "he collapsed in the kitchen", "I'm bleeding a lot",
        "I want to kill myself", "I think it's a stroke", "heart attack", "call an ambulance",
        "my son took an overdose", "my baby is choking", "serious accident on the road",
        "help quick", "throat swelling after a bee sting",
    ],
}

NOT_EMERGENCIES = [
    "Wat is een ZOAST?", "Quand l'accord-cadre franco-luxembourgeois a-t-il été signé ?",
    "Welche Krankenkasse ist zuständig?", "I live in Arlon and work in Luxembourg",
    "Ech wunnen zu Arel", "Je travaille au Luxembourg", "Bonjour", "Merci beaucoup",
    "Do I need an S2 form for a knee operation in Belgium?", "Wou ass dat nächst Spidol?",
    "ik wil graag met een medewerker spreken", "Brauch ech eng Autorisatioun fir an d'Spidol?",
    # Everyday words that also describe emergencies: only a person in danger makes them one.
    "La CNS ne répond pas à mes courriers", "My insurer is not responding", "es brennt beim Wasserlassen",
    "I'm drowning in paperwork for my S1", "Wo ist die Notfallaufnahme in Trier?",
    "Was kostet eine Notfallbehandlung in Luxemburg?", "Zahlt die Kasse die Notfall-Nummer-Gebühr?",
    "Welke afspraken zijn er over ziekenwagens tussen België en Nederland?",
    "Gëtt et eng Konventioun fir d'Ambulanzen iwwer d'Grenz?",
]

# A one-word call for help and the danger signs added after a review, in each language.
CALLS_FOR_HELP = ["Ziekenwagen!", "ziekenwagen alstublieft, mijn vader", "Ambulanz!", "Ambulanz, séier!",
                  "mon mari ne répond plus", "my dad is not responding", "er hat Tabletten von seiner Mutter geschluckt",
                  "she swallowed a lot of her sleeping pills", "he fell off the ladder and there is blood everywhere",
                  "es brennt bei uns und mein Sohn ist noch drin", "mijn zoon is aan het verdrinken"]


@pytest.mark.parametrize("text", CALLS_FOR_HELP)
def test_calls_for_help_are_emergencies(matcher, text):
    assert matcher.is_emergency(text), text


@pytest.mark.parametrize("language,text", [(lang, text) for lang, texts in EMERGENCIES.items()
                                           for text in texts])
def test_emergency_phrasings_are_recognised(matcher, language, text):
    assert matcher.is_emergency(text), text


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_ordinary_questions_are_not_emergencies(matcher, text):
    assert not matcher.is_emergency(text), matcher.match(text)


def test_countries_named_in_the_message_come_before_the_profile():
    entities = [{"entity": "country", "value": "DE"}, {"entity": "place", "value": "Trier"}]
    assert countries_in_context(entities, "LU", "DE") == ["DE", "LU"]
    assert countries_in_context([], None, None) == []


@pytest.mark.parametrize("language", ["fr", "de", "nl", "lb", "en"])
def test_national_numbers_are_given_in_the_users_language(language):
    lines = emergency_contact_lines(["BE", "FR", "DE", "LU", "NL"], language)
    assert len(lines) == 5
    be, fr, de, lu, nl = lines
    assert "1733" in be and "+32 2 524 98 89" in be
    assert "15" in fr and "116 117" in fr
    assert "116 117" in de
    assert "112" in lu
    assert all("](https://" in line for line in lines), "every line cites its source"
    assert len(set(emergency_contact_lines(["BE"], language))) == 1
    if language != "fr":
        assert emergency_contact_lines(["BE"], language) != emergency_contact_lines(["BE"], "fr")


def _training_examples():
    import re
    from pathlib import Path

    import yaml

    annotation = re.compile(r"\[([^\]]+)\](?:\{[^}]*\}|\([^)]*\))")
    root = Path(__file__).resolve().parents[2]
    for path in sorted((root / "data" / "nlu").rglob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    yield path.stem, block["intent"], annotation.sub(r"\1", line.strip()[2:])


def test_every_emergency_example_of_the_training_data_is_caught_without_the_model(matcher):
    missed = [(lang, text) for lang, intent, text in _training_examples()
              if intent == "emergency" and not matcher.is_emergency(text)]
    assert not missed


def test_no_other_training_example_is_taken_for_an_emergency(matcher):
    wrong = [(lang, intent, text) for lang, intent, text in _training_examples()
             if intent != "emergency" and matcher.is_emergency(text)]
    assert not wrong
