"""The language of short chat messages, as people really type them."""
import pytest

from assistant.language import LanguageDetector
from assistant.language.metadata import language_from_metadata


@pytest.fixture(scope="module")
def detector():
    return LanguageDetector()


CHAT_MESSAGES = [
    # Luxembourgish
    ("Moien", "lb"),
    ("moien!", "lb"),
    ("Gudde Moien", "lb"),
    ("Äddi a merci", "lb"),
    ("Merci villmols", "lb"),
    ("Ech wunnen zu Arel", "lb"),
    ("Wéi geet et?", "lb"),
    ("Ech schaffen zu Lëtzebuerg", "lb"),
    ("Ech kréie keng Loft", "lb"),
    ("Mäi Mann ass ëmgefall", "lb"),
    ("Brauch ech eng Autorisatioun fir an d'Spidol an der Belsch?", "lb"),
    ("Wou ass dat nächst Spidol?", "lb"),
    ("kënnt Dir Lëtzebuergesch?", "lb"),
    # Dutch
    ("Hoi", "nl"),
    ("Goedemorgen", "nl"),
    ("Dank je wel", "nl"),
    ("Wat is een ZOAST?", "nl"),
    ("Ik woon in Kerkrade", "nl"),
    ("Welk ziekenhuis is het dichtst bij?", "nl"),
    ("Ik werk in Aken maar woon in Heerlen", "nl"),
    ("Amai, da's ingewikkeld", "nl"),
    ("Kun je me helpen met mijn zorgverzekeraar?", "nl"),
    # German
    ("Servus", "de"),
    ("Moin", "de"),
    ("Guten Tag", "de"),
    ("Danke schön", "de"),
    ("Ich wohne in Saarbrücken", "de"),
    ("Welche Krankenkasse ist für mich zuständig?", "de"),
    ("Mein Vater ist bewusstlos", "de"),
    ("Ich arbeite in Luxemburg und wohne in Trier", "de"),
    # French
    ("Bonjour", "fr"),
    ("Salut", "fr"),
    ("Bonsoir", "fr"),
    ("J'habite à Longwy", "fr"),
    ("Quand l'accord-cadre franco-luxembourgeois a-t-il été signé ?", "fr"),
    ("Je suis frontalier, quelle caisse me couvre ?", "fr"),
    ("J'ai mal à la poitrine", "fr"),
    ("Où est l'hôpital le plus proche ?", "fr"),
    # English
    ("Hi", "en"),
    ("Hello", "en"),
    ("Thanks a lot", "en"),
    ("I live in Arlon and work in Luxembourg", "en"),
    ("Which hospital can I go to across the border?", "en"),
    ("Can you help me?", "en"),
    ("Who pays for my treatment?", "en"),
]


@pytest.mark.parametrize("text,expected", CHAT_MESSAGES)
def test_short_chat_messages_get_their_language(detector, text, expected):
    detection = detector.detect(text)
    assert detection.language == expected, (text, detection)
    assert detection.confident, (text, detection)


def test_there_are_at_least_forty_messages_across_the_five_languages():
    assert len(CHAT_MESSAGES) >= 40
    assert {lang for _, lang in CHAT_MESSAGES} == {"fr", "de", "nl", "lb", "en"}


@pytest.mark.parametrize("text", ["ok", "Merci", "ja", "Hallo", "CNS", "Arlon", "?", "👍"])
def test_ambiguous_messages_do_not_switch_the_conversation(detector, text):
    assert not detector.detect(text).confident


@pytest.mark.parametrize("text", ["6700", "", "   ", "!!!", "12345"])
def test_messages_without_words_have_no_language(detector, text):
    detection = detector.detect(text)
    assert detection.language is None and not detection.confident


@pytest.mark.parametrize("text,expected", [
    ("parlez-vous français ?", ["fr"]),
    ("kënnt Dir Lëtzebuergesch?", ["lb"]),
    ("Can we speak German please?", ["de"]),
    ("Spreekt u Frans?", ["fr"]),
    ("Auf Niederländisch bitte", ["nl"]),
    ("En anglais s'il vous plaît", ["en"]),
    ("Ech wëll Hollännesch schwätzen", ["nl"]),
    ("Wo ist das nächste Krankenhaus?", []),
])
def test_requested_languages_are_named(detector, text, expected):
    assert detector.requested_languages(text) == expected


@pytest.mark.parametrize("metadata,expected", [
    ({"customData": {"language": "nl"}}, "nl"),
    ({"customData": {"language": "LB "}}, "lb"),
    ({"language": "de"}, "de"),
    ({"customData": {"language": "es"}}, None),
    ({"customData": "fr"}, None),
    (None, None),
    ("fr", None),
])
def test_language_chosen_in_the_client(metadata, expected):
    assert language_from_metadata(metadata) == expected


@pytest.mark.parametrize("text,expected", [
    ("Do I have to sign up for a “mutuelle”? What purpose does it serve?", "en"),
    ("Brauche ich in Frankreich eine « mutuelle » oder reicht die CNS?", "de"),
    ("Moet ik mij als grensarbeider aansluiten bij een „mutualité“ in België?", "nl"),
])
def test_a_quoted_term_from_another_language_does_not_change_the_language(detector, text, expected):
    # Quoting "mutuelle" is naming a French institution, not writing in French.
    detection = detector.detect(text)
    assert detection.language == expected and detection.confident


# Sentences a person writes, tested twice: by the detector as it runs, and by the same detector with
# an empty marker list, so that what is tested is the character model and not the word list.
WITHOUT_MARKERS = [
    ("Mon employeur se trouve de l'autre côté de la frontière depuis janvier", "fr"),
    ("Faut-il remplir un formulaire avant une opération programmée à Liège", "fr"),
    ("Meine Tochter studiert seit Oktober in Maastricht und braucht eine Behandlung", "de"),
    ("Muss ich vor einer geplanten Operation im Ausland einen Antrag stellen", "de"),
    ("Mijn dochter studeert sinds oktober in Aken en moet naar het ziekenhuis", "nl"),
    ("Moet ik vooraf toestemming vragen voor een operatie over de grens", "nl"),
    ("Meng Duechter studéiert zënter Oktober zu Tréier a muss an d'Spidol", "lb"),
    ("Mäi Mann schafft zanter dräi Joer zu Esch an ech bleiwen doheem", "lb"),
    ("My daughter has been studying in Liège since October and needs surgery", "en"),
    ("Should I request approval before a planned operation abroad", "en"),
]


@pytest.fixture(scope="module")
def model_only(tmp_path_factory):
    import yaml

    from assistant.language.detect import DEFAULT_LEXICON
    lexicon = yaml.safe_load(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    lexicon["markers"] = {}
    path = tmp_path_factory.mktemp("lexicon") / "names-only.yml"
    path.write_text(yaml.safe_dump(lexicon, allow_unicode=True), encoding="utf-8")
    return LanguageDetector(path)


@pytest.mark.parametrize("text,expected", WITHOUT_MARKERS)
def test_sentences_get_their_language_from_the_model_as_well(detector, model_only, text, expected):
    alone = model_only.detect(text)
    assert alone.source == "model" and alone.language == expected and alone.confident, alone
    assert detector.detect(text).language == expected


@pytest.mark.parametrize("text,expected", [("\"Moien\"", "lb"), ("« Bonjour, j'ai une question »", "fr")])
def test_a_message_all_in_quotes_keeps_its_markers(detector, text, expected):
    assert detector.detect(text).language == expected
