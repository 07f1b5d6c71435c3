"""Conversations through the REST channel of the running Rasa server."""
import pytest

pytestmark = pytest.mark.integration

CONVERSATIONS = {
    "fr": ["Bonjour", "Quelle caisse d'assurance maladie est compétente pour moi ?"],
    "de": ["Guten Tag", "Welches Krankenhaus jenseits der Grenze ist am nächsten?"],
    "nl": ["Goedemorgen", "Wat is een ZOAST?"],
    "lb": ["Moien", "Wéi eng Krankekeess ass fir mech zoustänneg?"],
    "en": ["Hello", "Am I chatting with a robot right now?"],
}


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_replies_come_in_the_users_language(assistant, sender, reply_language, language):
    for text in CONVERSATIONS[language]:
        replies = assistant.send(sender, text)
        assert replies, f"no reply to {text!r}"
        for reply in replies:
            assert reply_language(reply["text"]) == language, (text, reply["text"])


def test_a_luxembourgish_speaker_is_answered_in_luxembourgish(assistant, sender, response_texts, reply_language):
    replies = assistant.send(sender, "Moien, kënnt Dir mir hëllefen?")
    assert replies and all(r["text"].strip() in response_texts["lb"] for r in replies), replies
    # The general rule and the form question that follow are also Luxembourgish.
    replies = assistant.send(sender, "Ech wëll wëssen, wéi eng Krankekeess fir mech zoustänneg ass")
    assert replies[-1]["text"].strip() in response_texts["lb"], replies
    assert all(reply_language(r["text"]) == "lb" for r in replies), replies


EMERGENCIES = [
    ("fr", "mon mari ne respire plus"),
    ("fr", "j'ai très mal à la poitrine depuis une heure"),
    ("de", "Mein Vater ist bewusstlos"),
    ("de", "ich krieg keine luft mehr"),
    ("nl", "mijn vrouw is flauwgevallen en reageert niet"),
    ("nl", "ik heb hevige pijn op de borst"),
    ("lb", "Mäi Mann ass ëmgefall"),
    ("lb", "Ech kréie keng Loft"),
    ("en", "my son is unconscious"),
    ("en", "I want to kill myself"),
]


@pytest.mark.parametrize("language,text", EMERGENCIES)
def test_an_emergency_gets_112_first(assistant, sender, reply_language, language, text):
    replies = assistant.send(sender, text)
    assert replies, text
    assert "112" in replies[0]["text"].splitlines()[0], replies[0]["text"]
    assert reply_language(replies[0]["text"]) == language, replies[0]["text"]


def test_an_emergency_adds_the_national_numbers_when_the_country_is_known(assistant, sender):
    assistant.send(sender, "J'habite en Belgique")
    replies = assistant.send(sender, "ma fille a perdu connaissance")
    assert "112" in replies[0]["text"]
    assert any("1733" in r["text"] for r in replies[1:]), replies


def _active_form(assistant, sender):
    return (assistant.tracker(sender).get("active_loop") or {}).get("name")


@pytest.mark.parametrize("question,form", [
    ("Which insurer is competent for me?", "insurer_form"),
    ("Where is the closest hospital across the border that I may use?", "facility_form"),
])
def test_an_emergency_in_the_middle_of_a_form_stops_the_form(assistant, sender, question, form):
    assistant.send(sender, question)
    assert _active_form(assistant, sender) == form      # the form really was asking
    replies = assistant.send(sender, "my husband fell down in the garden and is not breathing")
    assert "112" in replies[0]["text"]
    assert _active_form(assistant, sender) is None


def test_a_short_message_keeps_the_conversation_language(assistant, sender, reply_language):
    assistant.send(sender, "Moien")
    for text in ("ok", "Merci"):
        replies = assistant.send(sender, text)
        assert replies and all(reply_language(r["text"]) == "lb" for r in replies), (text, replies)


def test_the_language_chosen_in_the_widget_wins(assistant, sender, reply_language):
    replies = assistant.send(sender, "Guten Tag, ich habe eine Frage",
                             metadata={"customData": {"language": "fr"}})
    assert replies and all(reply_language(r["text"]) == "fr" for r in replies), replies


def test_the_user_can_ask_to_switch_language(assistant, sender, reply_language):
    assistant.send(sender, "Bonjour")
    replies = assistant.send(sender, "Can you speak Dutch please?")
    assert replies and all(reply_language(r["text"]) == "nl" for r in replies), replies


def test_no_diagnosis_is_given(assistant, sender, response_texts):
    replies = assistant.send(sender, "What medicine should I take for my headache?")
    assert replies
    assert replies[0]["text"].strip() in response_texts["en"]
    assert "112" in replies[0]["text"]


def test_a_restart_of_the_rasa_server_keeps_the_conversation(assistant, sender, reply_language):
    assistant.send(sender, "Goedemorgen")
    assistant.send(sender, "Ik woon in België")
    before = [e.get("text") for e in assistant.tracker(sender)["events"] if e["event"] == "user"]

    assistant.rasa.stop()
    assistant.rasa.start()
    assistant.rasa.wait_healthy(assistant.settings.startup_timeout_s)

    tracker = assistant.tracker(sender)
    after = [e.get("text") for e in tracker["events"] if e["event"] == "user"]
    assert after[: len(before)] == before
    assert tracker["slots"]["language"] == "nl"
    assert tracker["slots"]["residence_country"] == "BE"
    replies = assistant.send(sender, "ok")
    assert replies and all(reply_language(r["text"]) == "nl" for r in replies), replies
