"""The emergency numbers still use the country of work now that it is a list (several countries)."""
from actions.emergency import ActionEmergencyContacts
from tests.actions.conftest import make_tracker, message, run


def test_the_national_numbers_of_the_work_countries_follow_112():
    tracker = make_tracker({"language": "fr", "residence_country": "FR", "work_country": ["BE", "LU"]},
                           message("mon collègue s'est effondré", "emergency"))
    texts = [m["text"] for m in run(ActionEmergencyContacts(), tracker)[0]]
    assert len(texts) == 3 and "1733" in texts[1]
