"""The held-out questions stay held out: well-formed, big enough, real enough, and in no training file."""
import collections

import pytest

from assistant.evaluation.heldout import (
    LANGUAGES,
    ROUTES,
    Outcome,
    Question,
    leaks,
    load_questions,
    normalise,
    plain_example,
    route_from_events,
    training_examples,
)


@pytest.fixture(scope="module")
def questions():
    return load_questions()


def test_size_languages_and_origin(questions):
    assert len(questions) >= 250
    by_language = collections.Counter(q.language for q in questions)
    assert set(by_language) == set(LANGUAGES)
    assert min(by_language.values()) >= 40
    real = [q for q in questions if q.origin == "real"]
    assert len(real) * 2 >= len(questions), "at least half must be real questions with their URL"
    assert all(q.url and q.url.startswith("http") for q in real)


def test_both_splits_in_every_language(questions):
    for language in LANGUAGES:
        splits = collections.Counter(q.split for q in questions if q.language == language)
        assert splits["dev"] >= 10 and splits["test"] >= 15, (language, splits)


def test_no_question_twice(questions):
    seen = collections.Counter(normalise(q.text) for q in questions)
    assert [text for text, n in seen.items() if n > 1] == []


def test_no_heldout_question_in_the_training_data(questions):
    found = leaks(questions, training_examples())
    assert found == [], "\n".join(f"{q.language} #{q.line} {q.text!r} ~ {file}: {example!r} ({score:.0f})"
                                  for q, file, example, score in found)


def test_the_leakage_check_catches_copies_and_near_copies():
    held = [Question("Où dois-je être assuré quand je travaille au Luxembourg ?", "fr", "insurer", "dev", "written")]
    exact = [("fr.yml", "ou dois-je etre assure quand je travaille au [Luxembourg]{\"entity\": \"country\"}")]
    near = [("fr.yml", "Où dois-je être assurée quand je travaille au Luxembourg ?")]
    other = [("fr.yml", "Quel hôpital est le plus proche de Givet ?")]
    assert len(leaks(held, exact)) == 1
    assert len(leaks(held, near)) == 1
    assert leaks(held, other) == []


def test_annotations_are_removed_before_comparing():
    assert plain_example('I live in [Arlon]{"entity": "place", "role": "residence"} with [CNS](insurer)') == \
        "I live in Arlon with CNS"


def test_every_route_is_covered(questions):
    routes = {q.route for q in questions}
    assert routes >= set(ROUTES) - {"inform"}


def test_route_is_read_from_what_the_assistant_did():
    user = {"event": "user", "parse_data": {"intent": {"name": "ask_knowledge", "confidence": 0.9}}}
    listen = {"event": "action", "name": "action_listen"}
    assert route_from_events([user, {"event": "action", "name": "action_extract_slots"},
                              {"event": "action", "name": "action_answer_knowledge"}, listen])[0] == "knowledge"
    assert route_from_events([user, {"event": "action", "name": "insurer_form"}])[0] == "insurer"
    fallback_answered = [user, {"event": "action", "name": "action_handle_fallback"},
                         {"event": "slot", "name": "knowledge_sources", "value": [{"id": "x"}]}]
    assert route_from_events(fallback_answered)[0] == "knowledge"
    assert route_from_events([user, {"event": "action", "name": "action_handle_fallback"}])[0] == "fallback"
    personal_only = [user, {"event": "action", "name": "action_handle_fallback"},
                     {"event": "slot", "name": "last_lookup", "value": {"lookup": "competent_insurer"}}]
    assert route_from_events(personal_only)[0] == "insurer"


def test_a_passage_with_the_personal_insurer_result_serves_both_routes():
    user = {"event": "user", "parse_data": {"intent": {"name": "ask_knowledge", "confidence": 0.8}}}
    mixed = [user, {"event": "action", "name": "action_answer_knowledge"},
             {"event": "slot", "name": "knowledge_sources", "value": [{"id": "form-s1"}]},
             {"event": "slot", "name": "last_lookup", "value": {"lookup": "competent_insurer"}}]
    route = route_from_events(mixed)[0]
    assert route == "knowledge+insurer"
    for expected, ok in (("insurer", True), ("knowledge", True), ("facility", False)):
        question = Question("q", "fr", expected, "dev", "written")
        assert Outcome(question, route, "ask_knowledge", 0.8, "fr", {}).route_ok is ok
    # A facility lookup recorded before does not make a plain passage a mixed answer.
    facility = mixed[:3] + [{"event": "slot", "name": "last_lookup", "value": {"lookup": "nearest_facility"}}]
    assert route_from_events(facility)[0] == "knowledge"


def _integration_messages():
    """Every string literal of the integration and browser tests: the messages they send are among them
    (call arguments, parametrize lists, module constants); docstrings never match a training example.
    And every user message of the Rasa conversation tests (tests/conversations/)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "tests"
    texts = set()
    talking = ("integration", "browser", "production", "privacy", "operations")
    for path in [path for folder in talking for path in (root / folder).glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.add((path.name, node.value))
    import yaml
    for path in (root / "conversations").glob("*.yml"):
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            texts.update((path.name, step["user"].strip()) for step in story["steps"] if "user" in step)
    return sorted(texts)


def test_the_conversation_tests_are_read_for_leakage():
    names = {name for name, _ in _integration_messages()}
    assert {"test_happy_paths.yml", "test_corrections.yml", "test_emergencies.yml"} <= names


def test_integration_tests_talk_with_messages_that_are_not_training_examples():
    """A test that replays a training example proves little. Button payloads ("/inform...") and one- or
    two-word greetings and acknowledgements ("Moien", "ok") are exempt: their phrasings are too few."""
    messages = [Question(text, "xx", "knowledge", "test", "written", line=0) for _, text in _integration_messages()
                if not text.startswith("/") and len(text.split()) > 2]
    replayed = [(q.text, example) for q, _, example, _ in leaks(messages, training_examples())]
    assert replayed == []
