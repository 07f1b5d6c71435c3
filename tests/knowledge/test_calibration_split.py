"""The thresholds are calibrated on questions no test reads (tests/knowledge/calibration/)."""
from rapidfuzz import fuzz

from assistant.knowledge.evaluate import CALIBRATION_DIR, QUESTIONS_DIR, load_questions


def test_the_calibration_questions_cover_every_language_with_both_kinds():
    questions = load_questions(CALIBRATION_DIR)
    for language in ("fr", "de", "nl", "lb", "en"):
        mine = [q for q in questions if q.language == language]
        assert sum(1 for q in mine if q.expected) >= 3 and sum(1 for q in mine if not q.expected) >= 5, language


def test_no_calibration_question_is_also_a_test_question():
    tested = [q.text.lower() for q in load_questions(QUESTIONS_DIR)]
    shared = [(q.text, other) for q in load_questions(CALIBRATION_DIR) for other in tested
              if fuzz.ratio(q.text.lower(), other) >= 90]
    assert shared == []


def test_the_suggested_threshold_answers_the_most_in_scope_and_refuses_the_most_out_of_scope():
    from assistant.knowledge.evaluate import suggest_threshold
    # Separated: the lowest value above every out-of-scope score.
    assert suggest_threshold([0.87, 0.90], [0.84, 0.85]) == 0.851
    # Overlapping: one in-scope question refused is worth two out-of-scope ones refused.
    assert suggest_threshold([0.855, 0.88, 0.89], [0.85, 0.86, 0.862]) == 0.863
    assert suggest_threshold([0.9], []) is None
