"""Turns a Decision into a short chat reply (Markdown) in fr, de, nl, lb or en."""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from assistant.i18n import normalise_language, t
from assistant.insurance.assumptions import Resolution
from assistant.insurance.decision import CareRight, Decision, Note, RegistrationStep
from assistant.insurance.reference_data import institution_name

CATALOGUE = "insurance"
WORD_BUDGET = 120          # caveats and notes are added only while the reply stays this short
_MAX_ASK = 2


def _country(code: Optional[str], language: str) -> str:
    return t(CATALOGUE, f"country_{code}", language) if code else t(CATALOGUE, "elsewhere", language)


def _form(form: str, language: str) -> str:
    return t(CATALOGUE, "form_EHIC", language) if form == "EHIC" else form


def _countries(codes: str, language: str) -> str:
    names = [_country(code, language) for code in codes.split(",") if code]
    if len(names) < 2:
        return "".join(names)
    joiner = t(CATALOGUE, "countries_and", language)
    if language == "lb" and names[-1][:1].lower() not in "aeiouäëéöüdnthz":
        joiner = joiner.replace("an", "a")      # n-rule (docs/lb-style.md): "Frankräich a Lëtzebuerg"
    return ", ".join(names[:-1]) + joiner + names[-1]


def _unverified(confidence: str, language: str) -> str:
    return " " + t(CATALOGUE, "unverified", language) if confidence == "uncertain" else ""


def note_text(note: Note, language: str) -> str:
    """A caveat / note / reason in ``language``; values named *country are shown as country names,
    *countries (comma-separated codes) as a list of names, *institution (an id) as the institution's name. An
    uncertain note ends with "(not verified)", so an unsourced fact never reads as one."""
    values: Dict[str, str] = {}
    for key, value in note.values.items():
        if key.endswith("country"):
            value = _country(value, language)
        elif key.endswith("countries"):
            value = _countries(value, language)
        elif key.endswith("institution"):
            value = institution_name(value, language, short=True)
        values[key] = value
    text = t(CATALOGUE, note.key, language, **values)
    marker = _unverified(note.confidence, language)
    return text[:-1] + marker + "." if marker and text.endswith(".") else text + marker


def _a1_issuers(step: RegistrationStep, language: str) -> str:
    """"CCSS", or "ONSS (employees) / INASTI (self-employed)" when the issuer depends on the status."""
    if step.issued_by:
        return institution_name(step.issued_by, language, short=True)
    return " / ".join(institution_name(issuer, language, short=True)
                      + (f" ({t(CATALOGUE, 'a1_for_' + audience, language)})" if audience else "")
                      for issuer, audience in step.issuer_options)


def _a1_step(step: RegistrationStep, language: str) -> str:
    if not (step.issued_by or step.issuer_options):
        return t(CATALOGUE, "step_a1", language) + _unverified("uncertain", language)
    return t(CATALOGUE, f"step_a1_{step.purpose}", language, issuer=_a1_issuers(step, language)) \
        + _unverified(step.issuer_confidence, language)


def _step(step: RegistrationStep, language: str) -> str:
    if step.form == "A1":
        return _a1_step(step, language)
    values = {"form": _form(step.form, language),
              "issuer": institution_name(step.issued_by, language, short=True) if step.issued_by else "?"}
    if step.form == "EHIC":
        return t(CATALOGUE, "step_ehic", language, **values)
    values["registrar"] = institution_name(step.registered_with, language, short=True)
    key = "step_sent_directly" if step.sent_directly else "step_register"
    return t(CATALOGUE, key, language, **values) + _unverified(step.confidence, language)


def _care_items(rights: List[CareRight], language: str) -> List[str]:
    """One item per country, in the order the countries first appear."""
    by_country: Dict[Optional[str], List[str]] = {}
    for right in rights:
        scope = t(CATALOGUE, right.scope, language, form=_form(right.form or "", language))
        by_country.setdefault(right.country, []).append(scope + _unverified(right.confidence, language))
    return [t(CATALOGUE, "care_item", language, country=_country(country, language), scopes="; ".join(scopes))
            for country, scopes in by_country.items()]


def _headline(decision: Decision, language: str) -> str:
    if decision.case == "incomplete":
        fields = ", ".join(t(CATALOGUE, f"field_{name}", language) for name in decision.missing)
        return t(CATALOGUE, "incomplete", language, fields=fields)
    if not decision.determined:
        return t(CATALOGUE, "undetermined", language, reason=note_text(decision.reason, language))
    basis = f" ({decision.legal_basis[0]})" if decision.legal_basis else ""
    return t(CATALOGUE, "headline", language,
             country=_country(decision.competent_country, language),
             institution=institution_name(decision.institution_ids[0], language),
             why=note_text(decision.reason, language), basis=basis)


def count_words(text: str) -> int:
    """Words as a reader counts them: French " : " and " — " are not words."""
    return sum(1 for chunk in text.split() if any(c.isalnum() for c in chunk))


def _words(lines: List[str]) -> int:
    return sum(count_words(line) for line in lines)


def render(decision: Decision, language: Optional[str], assumptions: Sequence[Note] = ()) -> str:
    """The reply: competent country and institution with the legal basis, what was assumed, forms, care
    on each side, the most important caveats, the source and whom to ask."""
    language = normalise_language(language)
    head = [_headline(decision, language)]
    if decision.case == "incomplete":
        return head[0]
    head += [note_text(note, language) for note in assumptions]

    body: List[str] = []
    if decision.determined:
        steps = [_step(step, language) for step in decision.registration]
        body.append(t(CATALOGUE, "forms_line", language, items=" · ".join(steps)) if steps
                    else t(CATALOGUE, "no_forms", language))
        if decision.care:
            body.append(t(CATALOGUE, "care_line", language, items=" · ".join(_care_items(decision.care, language))))

    tail: List[str] = []
    if decision.sources:
        first = decision.sources[0]
        tail.append(t(CATALOGUE, "source_line", language, title=first.title, url=first.url))
    if decision.ask:
        who = " / ".join(institution_name(i, language, short=True) for i in decision.ask[:_MAX_ASK])
        tail.append(t(CATALOGUE, "ask_line", language, who=who))

    # Caveats before notes: an unverified point matters more than practical detail. The first caveat
    # is always shown so the reply never looks more certain than the decision is.
    extras: List[str] = []
    for index, note in enumerate([*decision.caveats, *decision.notes]):
        is_caveat = index < len(decision.caveats)
        line = ("⚠️ " if is_caveat else "ℹ️ ") + note_text(note, language)
        if (is_caveat and index == 0) or _words(head + body + extras + tail + [line]) <= WORD_BUDGET:
            extras.append(line)
    return "\n".join(head + body + extras + tail)


def render_caveats(decision: Decision, language: Optional[str]) -> List[str]:
    """Every caveat and note in full (for agents; the chat reply only shows what fits)."""
    language = normalise_language(language)
    return [note_text(n, language) for n in [*decision.caveats, *decision.notes]]


def render_brief(decision: Decision, language: Optional[str], assumptions: Sequence[Note] = ()) -> str:
    """Two lines for a reply whose main part is something else (a question about a form): the competent
    country and institution, and the forms to ask for."""
    language = normalise_language(language)
    lines = [_headline(decision, language)]
    if decision.determined and decision.registration:
        lines.append(t(CATALOGUE, "forms_line", language,
                       items=" · ".join(_step(step, language) for step in decision.registration)))
    lines += [note_text(note, language) for note in assumptions]
    return "\n".join(lines)


def render_partial(resolution: Resolution, language: Optional[str]) -> str:
    """While a fact that changes the answer is still missing: what the known facts already decide, and
    the source of that rule. The question itself follows from the form."""
    language = normalise_language(language)
    lines = [note_text(resolution.partial, language)] if resolution.partial else []
    lines += [note_text(note, language) for note in resolution.assumptions]
    lines.append(t(CATALOGUE, "partial_source", language))
    return "\n".join(lines)
