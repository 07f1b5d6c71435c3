"""The out-of-scope guard (assistant/scope/terms.py, data/scope/health_terms.yml): a question worded
with the field's own terms is not turned away when the model's second choice is a question intent; a
near-domain subject (taxes, allowances, pay, contributions, claiming a pension, cars, jobs) stays out of
scope; words that merely contain a term do not count."""
import pytest

from assistant.scope.terms import OUT_OF_SCOPE, ScopeTerms

TERMS = ScopeTerms()


def _ranking(*names):
    confidences = (0.55, 0.25, 0.12, 0.05, 0.03)
    return [{"name": name, "confidence": confidence} for name, confidence in zip(names, confidences)]


@pytest.mark.parametrize("text", [
    "Quel est l'État membre compétent pour un salarié détaché ?",
    "Comment faire reconnaître mon affiliation à la caisse de maladie luxembourgeoise ?",
    "Welcher Staat ist der zuständige Mitgliedsstaat, wenn ich zwei Jobs habe?",
    "Wer stellt mir das Formular S1 aus?",
    "Wie bekomme ich das E-106?",
    "Welke lidstaat is de bevoegde staat voor mijn gezin?",
    "Hoe word ik meeverzekerd bij mijn partner?",
    "Wat is de eigen bijdrage van mijn zorgverzekering in het buitenland?",
    "Wéi eng Krankekeess ass zoustänneg fir mäi Kand?",
    "How do I co-insure my spouse with the CNS?",
    "How do I apply for an S1?",
    "In which country do I belong to social security now?",
    "Ich bin arbeitslos, wo bin ich krankenversichert?",
    "Ai-je la permission de me faire hospitaliser en Belgique ?",
])
def test_a_question_in_the_fields_own_words_goes_to_the_models_second_choice(text):
    ranking = _ranking(OUT_OF_SCOPE, "ask_competent_insurer", "greet", "ask_knowledge")
    rerouted = TERMS.reroute(text, ranking)
    assert rerouted is not None, text
    assert rerouted[0] == {"name": "ask_competent_insurer", "confidence": 0.55}
    assert rerouted[1] == {"name": OUT_OF_SCOPE, "confidence": 0.25}
    assert [entry["name"] for entry in ranking][0] == OUT_OF_SCOPE    # the input is not changed


# A near-domain subject keeps a message out of scope, whatever field terms it also names.
NEAR_DOMAIN = [
    "Is health insurance tax-deductible for cross-border commuters?",
    "Où dois-je déclarer mes impôts si je suis affilié à la CNS ?",
    "Wird die Lohnsteuer in Luxemburg abgezogen, wenn ich dort krankenversichert bin?",
    "Hoeveel loonbelasting betaal ik als ik in een Duits ziekenhuis werk?",
    "Bekomme ich Kindergeld von der Familienkasse, wenn ich in Luxemburg krankenversichert bin?",
    "Welches Land zahlt mein Arbeitslosengeld, wenn ich in Luxemburg krankenversichert war?",
    "Mein Lohn wird in Luxemburg gezahlt, bin ich dort krankenversichert?",
    "Je voudrais postuler comme infirmière à l'hôpital d'Arlon.",
    "Do I need to re-register my car if my health insurance is in Luxembourg?",
    "How do I claim my pension from social security?",
    "wéi vill steieren bezuelen ech als frontalier op meng päi",
    "Wie hoch ist der Arbeitgeberanteil zur Sozialversicherung in Frankreich?",
]
# No term of the field, or words that merely contain one.
NO_FIELD_TERM = [
    "Quel temps fera-t-il demain à Metz ?",
    "How do I register at the town hall?",
    "It's 2 pm in Luxembourg, is the post office open?",
    "Can I become an affiliate of your shop?",
    "Is there a hospitality school in Arlon?",
    "Wat is de hoofdstad van Luxemburg?",
]


@pytest.mark.parametrize("text", NEAR_DOMAIN + NO_FIELD_TERM)
def test_out_of_scope_stays(text):
    assert TERMS.field_term(text) is None
    assert TERMS.reroute(text, _ranking(OUT_OF_SCOPE, "ask_knowledge")) is None


@pytest.mark.parametrize("text", [
    "What happens to my unemployment benefits if I move to Belgium?",
    "Wo wird mein Lohn versteuert, wenn ich in Luxemburg arbeite?",
    "Combien d'impôts paie un frontalier belge ?",
    "Hoeveel kinderbijslag krijg ik als grensarbeider?",
])
def test_a_near_domain_question_the_model_hesitates_on_goes_out_of_scope(text):
    ranking = _ranking("ask_knowledge", OUT_OF_SCOPE, "ask_competent_insurer")
    rerouted = TERMS.reroute(text, ranking)
    assert rerouted is not None, text
    assert rerouted[0] == {"name": OUT_OF_SCOPE, "confidence": 0.55}
    assert rerouted[1] == {"name": "ask_knowledge", "confidence": 0.25}


@pytest.mark.parametrize("text", [
    "Where must a jobseeker be insured after losing a job in the Netherlands?",   # a status, not a benefit
    "Qui paie le médecin si je travaille au Luxembourg ?",
    "Is my wife covered by my contributions?",
    "I receive unemployment benefit in Belgium, who pays my doctor?",
    "Wo zahle ich meinen Pflegeversicherungsbeitrag?",
    "Ich bin arbeitslos, wo bin ich krankenversichert?",
    "Is health insurance tax-deductible for cross-border commuters?",   # both kinds of words: the model decides
    "Quel formulaire pour mes soins en Belgique ?",
])
def test_a_question_about_the_field_stays_a_question(text):
    assert TERMS.reroute(text, _ranking("ask_knowledge", OUT_OF_SCOPE)) is None


def test_only_the_models_second_choice_takes_the_place():
    text = "Quel est l'État compétent ?"
    assert TERMS.reroute(text, _ranking("ask_knowledge", OUT_OF_SCOPE)) is None       # not out of scope
    assert TERMS.reroute(text, _ranking(OUT_OF_SCOPE, "greet", "ask_knowledge")) is None   # 3rd: no
    taxes = "Combien d'impôts paie un frontalier ?"
    assert TERMS.reroute(taxes, _ranking("ask_knowledge", "greet", OUT_OF_SCOPE)) is None
    assert TERMS.reroute(text, _ranking(OUT_OF_SCOPE)) is None
    assert TERMS.reroute(text, []) is None


def test_french_car_and_auto_entrepreneur_are_not_cars():
    # "car" (because) and "auto-entrepreneur" are not the subjects that keep a message out.
    assert TERMS.field_term("je dois m'affilier car je suis auto-entrepreneur") == "affilier"
    assert TERMS.field_term("Le taxi vers l'hôpital est-il remboursé ?") is not None
