"""The Luxembourgish glossary that helps the embedding model with a language it barely knows."""
from assistant.knowledge.query_expansion import Glossary, expansion


def test_a_luxembourgish_question_gets_a_german_twin(config):
    path = dict(config.glossaries)["lb"]
    twin = expansion("Brauch ech eng Autorisatioun fir an d'Spidol an der Belsch?", "lb", config.glossaries)
    assert twin is not None
    for word in ("Genehmigung", "Krankenhaus", "Belgien"):
        assert word in twin, twin
    assert path.exists()


def test_other_languages_are_left_alone(config):
    assert expansion("Wat is een ZOAST?", "nl", config.glossaries) is None
    assert expansion("Wat is een ZOAST?", None, config.glossaries) is None


def test_case_decides_between_a_country_and_its_adjective():
    glossary = Glossary({"Belsch": "Belgien", "belsch": "belgisch", "wéi eng": "welche"})
    assert glossary.gloss("Wéi eng belsch Spideeler an der Belsch?") == "welche belgisch Spideeler an der Belgien?"
