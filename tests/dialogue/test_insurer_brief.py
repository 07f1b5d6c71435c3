"""The short insurer result that goes before a knowledge passage carries its decision, like the full one."""
from assistant.dialogue.insurer_answer import insurer_brief, insurer_reply


def test_the_brief_gives_the_decision_the_full_answer_gives():
    slots = {"residence_country": "FR", "work_country": ["LU"], "residence_place": "Hayange"}
    brief, full = insurer_brief(slots, "fr"), insurer_reply(slots, "fr")
    assert brief.text.startswith("**Pays compétent : Luxembourg**"), brief.text
    assert len(brief.text) < len(full.text)
    assert brief.lookup["lookup"] == "competent_insurer" and brief.lookup["reply"] == brief.text
    assert brief.lookup["decision"] == full.lookup["decision"]
    assert brief.lookup["decision"]["competent_country"] == "LU"


def test_no_brief_when_the_situation_does_not_decide():
    assert insurer_brief({"residence_country": "FR"}, "de") is None
