"""The answer of the competent-insurer lookup, as plain data (rendered by render.py)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from assistant.insurance.reference_data import weakest
from assistant.insurance.situation import Situation


@dataclass
class Note:
    """A message key of assistant/i18n/insurance.yml with the values it is formatted with, and how sure the
    fact it states is (render.py marks an uncertain one as not verified)."""

    key: str
    values: Dict[str, str] = field(default_factory=dict)
    confidence: str = "solid"


@dataclass
class RegistrationStep:
    """One document to obtain: which form, who issues it, where it is registered."""

    form: str                                 # S1, BL1, S072, EHIC, A1
    issued_by: Optional[str] = None           # institution id; None = issuer not verified (or one of the options)
    registered_with: Optional[str] = None     # institution id; None = nothing to register
    sent_directly: bool = False               # the issuer sends it to the registering body itself
    issuer_confidence: str = "solid"
    registration_confidence: str = "solid"
    # Several possible issuers, each with whom it serves (i18n suffix a1_for_<audience>): the Belgian A1 comes
    # from the ONSS for employees and the INASTI for the self-employed.
    issuer_options: Tuple[Tuple[str, Optional[str]], ...] = ()
    purpose: str = ""                         # A1: "posting" or "telework" (which certificate it is)

    @property
    def confidence(self) -> str:
        return weakest(self.issuer_confidence, self.registration_confidence)


@dataclass
class CareRight:
    """What care the person can get in one country (None = elsewhere in the EU)."""

    country: Optional[str]
    scope: str                                # i18n key: care_full, care_full_with_form, care_ehic...
    legal_basis: str = ""
    form: Optional[str] = None
    confidence: str = "solid"


@dataclass
class Source:
    title: str
    url: str
    confidence: str = "solid"


@dataclass
class Decision:
    situation: Situation
    case: str                                 # key of rules.yml `cases`, or "incomplete"
    competent_country: Optional[str] = None   # None = cannot be determined from what we know
    institution_ids: Tuple[str, ...] = ()     # competent institutions, the usual one first
    reason: Optional[Note] = None             # why this country (or why it is still open)
    registration: List[RegistrationStep] = field(default_factory=list)
    care: List[CareRight] = field(default_factory=list)
    legal_basis: List[str] = field(default_factory=list)
    sources: List[Source] = field(default_factory=list)
    caveats: List[Note] = field(default_factory=list)   # uncertain or unverified points, most important first
    notes: List[Note] = field(default_factory=list)     # practical, sourced information
    confidence: str = "solid"
    ask: Tuple[str, ...] = ()                 # institution ids to ask when the case is unusual
    cross_border: bool = False
    missing: Tuple[str, ...] = ()             # facts still needed (case "incomplete" only)
    applied_rules: List[str] = field(default_factory=list)  # ids of bilateral rules that applied
    # The status whose rules applied when it is not the person's own: a pensioner who still works is insured as
    # a worker (Art. 31), a posting past 24 months is ordinary employment. Bilateral rules match on it.
    rules_status: Optional[str] = None

    @property
    def determined(self) -> bool:
        return self.competent_country is not None

    @property
    def forms(self) -> Tuple[str, ...]:
        return tuple(step.form for step in self.registration)

    def to_dict(self) -> Dict[str, Any]:
        data = asdict(self)
        data["situation"] = self.situation.to_dict()
        data["forms"] = list(self.forms)
        for step, step_data in zip(self.registration, data["registration"]):
            step_data["confidence"] = step.confidence
        return data
