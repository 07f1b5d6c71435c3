"""The agent console shows a conversation with the patient's identifiers masked: transcript, slots,
entities, the last question, the suggested reply and the knowledge search it asks for
(assistant/web/tracker_view.py, console.py). Through the real services and the console's API:
tests/privacy/test_on_postgres.py."""
import json

from assistant.tracker_db import EVENTS, TrackerDb
from assistant.web.console import conversation_detail
from assistant.web.conversations import live_conversations
from assistant.web.tracker_view import view_of

QUESTION = "Meine Kasse will meine IBAN DE89 3704 0044 0532 0130 00 und die KVNR A123456789, ist das normal?"
RAW = ["DE89 3704 0044 0532 0130 00", "A123456789", "85.07.30-033.28", "jan@example.be"]
INSTITUTION_PHONE = "+32 4 123 45 67"      # in the assistant's own reply: an institution's number, kept
TRACKER = {
    "sender_id": "patient-7", "latest_event_time": 4.0,
    "slots": {"language": "de", "residence_place": "Arlon", "postcode": "6700",
              "current_insurer": "Mutualité chrétienne, NISS 85.07.30-033.28"},
    "events": [
        {"event": "user", "text": QUESTION, "timestamp": 1.0,
         "parse_data": {"intent": {"name": "ask_knowledge", "confidence": 0.8},
                        "entities": [{"entity": "language", "value": "de"}]}},
        {"event": "bot", "text": f"Rufen Sie {INSTITUTION_PHONE} an.", "timestamp": 2.0},
        {"event": "bot", "text": "Schreiben Sie an jan@example.be", "timestamp": 3.0,
         "metadata": {"sent_by_agent": "jan"}},
    ],
    "latest_message": {"text": QUESTION, "intent": {"name": "ask_knowledge", "confidence": 0.8},
                       "entities": [{"entity": "language", "value": "de"},
                                    {"entity": "insurer", "value": "KVNR A123456789"}]},
}


class Search:
    """The action server's knowledge search as the console calls it; records what it was asked."""

    def __init__(self):
        self.questions = []

    def search(self, question, language, reply_language, k):
        self.questions.append(question)
        return {"answer": {"text": f"Zu Ihrer Frage ({question}): ...", "sources": [], "score": 0.9}}


def test_the_view_masks_every_text_and_slot_and_keeps_the_rest():
    view = view_of(TRACKER)
    assert [turn["text"] for turn in view.transcript] == [
        "Meine Kasse will meine IBAN [IBAN] und die KVNR [KVNR], ist das normal?",
        f"Rufen Sie {INSTITUTION_PHONE} an.", "Schreiben Sie an [e-mail]"]
    assert view.slots == {"residence_place": "Arlon", "postcode": "6700",
                          "current_insurer": "Mutualité chrétienne, NISS [NISS]"}
    assert view.entities == [{"entity": "insurer", "value": "KVNR [KVNR]", "role": None}]
    assert view.last_user_text.startswith("Meine Kasse will meine IBAN [IBAN]")


def test_the_detail_and_its_suggestion_never_carry_an_identifier():
    search = Search()
    detail = conversation_detail(TRACKER, "fr", search)
    shown = json.dumps(detail, ensure_ascii=False)
    assert not [raw for raw in RAW if raw in shown], shown
    assert detail["suggestion"]["kind"] == "knowledge" and "[IBAN]" in detail["suggestion"]["text"]
    # The patient's words go to the action server's search (a query string) masked too.
    assert search.questions and all("[IBAN]" in q and "DE89" not in q for q in search.questions)


def test_the_conversation_list_masks_the_last_question_before_cutting_it(tmp_path):
    store = TrackerDb.sqlite(tmp_path / "tracker.db")
    EVENTS.metadata.create_all(store.engine)
    text = "x" * 130 + " 06 12 34 56 78 and more"      # the number straddles the 140-character preview
    with store.engine.begin() as connection:
        connection.execute(EVENTS.insert(), [{"sender_id": "p", "type_name": "user", "timestamp": 10.0,
                                             "intent_name": "greet", "data": json.dumps({"text": text})}])
    (row,) = live_conversations(store, live_hours=1, now=11.0)
    assert row.last_user_text == "x" * 130 + " [phone] a" and "06 12" not in row.last_user_text
