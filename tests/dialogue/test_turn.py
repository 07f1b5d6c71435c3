"""What follows a message that gives facts without a question, or corrects them."""
import pytest

from assistant.dialogue.turn import (
    ANYTHING_ELSE,
    ASK_GOAL,
    FACILITY,
    INSURER,
    after_facts,
    facts_told,
    slots_set_this_turn,
)


def test_only_the_slots_set_after_the_latest_message_count():
    events = [{"event": "user", "text": "hi"}, {"event": "slot", "name": "residence_country", "value": "BE"},
              {"event": "bot", "text": "..."}, {"event": "user", "text": "I work in Luxembourg"},
              {"event": "slot", "name": "work_country", "value": ["LU"]},
              {"event": "slot", "name": "language", "value": "en"}]
    assert slots_set_this_turn(events) == {"work_country": ["LU"], "language": "en"}
    assert facts_told(events) == {"work_country": ["LU"]}


@pytest.mark.parametrize("intent,told,slots,last,expected", [
    ("inform", {"work_country": ["DE"]}, {"residence_country": "FR", "work_country": ["DE"]}, None, INSURER),
    ("deny", {"work_country": ["DE"]}, {"residence_country": "FR", "work_country": ["DE"]},
     "competent_insurer", INSURER),
    ("inform", {"residence_place": "Givet"}, {"residence_place": "Givet", "residence_country": "FR"},
     "nearest_facility", FACILITY),
    ("inform", {"residence_place": "Arlon", "residence_country": "BE"},
     {"residence_place": "Arlon", "residence_country": "BE"}, None, ASK_GOAL),
    ("inform", {"employment_status": "pensioner"}, {"employment_status": "pensioner"}, None, INSURER),
    ("inform", {}, {}, None, ASK_GOAL),
    ("deny", {}, {"residence_country": "FR"}, "competent_insurer", ANYTHING_ELSE),
])
def test_facts_lead_to_the_answer_they_are_for(intent, told, slots, last, expected):
    assert after_facts(intent, told, slots, last) == expected
