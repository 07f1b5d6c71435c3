"""Which language the conversation continues in, turn after turn."""
from assistant.language.resolve import resolve_language


def ent(name, value, source=None):
    return {"entity": name, "value": value, "source": source}


def test_widget_choice_wins_over_what_the_message_is_written_in():
    entities = [ent("language", "fr", "metadata"), ent("language_guess", "de", "marker")]
    assert resolve_language(entities, "greet", current="de", default="en") == "fr"


def test_confident_detection_switches_the_conversation():
    entities = [ent("language", "nl", "model"), ent("language_guess", "nl", "model")]
    assert resolve_language(entities, "ask_knowledge", current="fr", default="fr") == "nl"


def test_short_message_keeps_the_conversation_language():
    entities = [ent("language_guess", "fr", "model")]
    assert resolve_language(entities, "thank", current="lb", default="fr") == "lb"


def test_first_message_uses_the_best_guess():
    entities = [ent("language_guess", "de", "model")]
    assert resolve_language(entities, "greet", current=None, default="fr") == "de"


def test_nothing_known_falls_back_to_the_default():
    assert resolve_language([], "inform", current=None, default="fr") == "fr"


def test_asking_for_a_language_switches_to_it():
    entities = [ent("language", "nl", "model"), ent("requested_language", "fr", "name")]
    assert resolve_language(entities, "change_language", current="nl", default="en") == "fr"


def test_naming_a_language_without_asking_to_switch_does_not_switch():
    entities = [ent("language", "fr", "model"), ent("requested_language", "lb", "name")]
    assert resolve_language(entities, "ask_knowledge", current="fr", default="en") == "fr"


def test_unknown_language_codes_are_ignored():
    entities = [ent("language", "es", "metadata"), ent("language_guess", "xx")]
    assert resolve_language(entities, "greet", current="nl", default="fr") == "nl"


def test_values_upper_cased_by_the_synonym_mapper_still_count():
    entities = [ent("language", "DE", "marker"), ent("language_guess", "DE", "marker")]
    assert resolve_language(entities, "greet", current="fr", default="fr") == "de"
