"""The facts about a person that decide which country's health insurance is competent."""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Dict, Mapping, Optional, Tuple

from assistant.insurance.numbers import number_in

COUNTRIES = ("BE", "FR", "LU", "DE", "NL")

STATUSES = (
    "employee",
    "self_employed",
    "frontier_worker",
    "posted_worker",
    "pensioner",
    "unemployed",
    "student",
    "family_member",
    "civil_servant",
    "not_working",
)

# Statuses whose competent country follows the place of work (Reg. 883/2004 Art. 11(3)(a), Art. 13).
WORKER_STATUSES = frozenset({"employee", "self_employed", "frontier_worker"})

# Rasa slot names differ from the field names where the form asks for one value at a time.
FIELD_TO_SLOT = {
    "residence_country": "residence_country",
    "status": "employment_status",
    "work_countries": "work_country",
    "pension_countries": "pension_country",
    "sending_country": "sending_country",
    "insured_person_country": "insured_person_country",
    "administration_country": "administration_country",
    "residence_work_share": "residence_work_share",
    "residence_place": "residence_place",
    "current_insurer": "current_insurer",
    # Facts never asked, only read from messages (assistant/dialogue/slots.py DETAIL_SLOTS).
    "teleworks": "teleworks",
    "telework_share": "telework_share",
    "employer_country": "employer_country",
    "self_employment_countries": "self_employment_country",
    "posting_months": "posting_months",
    "insured_person_pensioner": "insured_person_pensioner",
    "still_working": "still_working",
}
_SLOT_TO_FIELD = {slot: name for name, slot in FIELD_TO_SLOT.items()}
_LIST_FIELDS = ("work_countries", "pension_countries", "self_employment_countries")
# Yes/no facts whose False only means "not said" (no message denies them). ``teleworks`` is not one: None is
# "not said" and False is "I don't telework (any more)", which must replace an earlier yes.
_FLAGS_FALSE_UNSAID = ("insured_person_pensioner", "still_working")


def _country(value: Optional[str], what: str) -> Optional[str]:
    if value is None or value == "":
        return None
    code = str(value).strip().upper()
    if code not in COUNTRIES:
        raise ValueError(f"{what}: unknown country {value!r} (expected one of {', '.join(COUNTRIES)})")
    return code


def _percentage(value, what: str) -> Optional[float]:
    if value is None:
        return None
    share = number_in(value)
    if share is None or not 0 <= share <= 100:
        raise ValueError(f"{what} must be a percentage between 0 and 100")
    return share


def _countries(values, what: str) -> Tuple[str, ...]:
    if values is None or values == "":
        return ()
    if isinstance(values, str):
        values = [part for part in values.replace(";", ",").split(",")]
    unique = []
    for value in values:
        code = _country(value, what)
        if code and code not in unique:
            unique.append(code)
    return tuple(unique)


@dataclass(frozen=True)
class Situation:
    """What we know about the person. Every field may be unknown (None / empty)."""

    residence_country: Optional[str] = None
    work_countries: Tuple[str, ...] = ()
    status: Optional[str] = None
    pension_countries: Tuple[str, ...] = ()
    residence_place: Optional[str] = None
    current_insurer: Optional[str] = None
    # Posted workers: the country that posts them (their employer's country), which stays competent.
    sending_country: Optional[str] = None
    # Family members: the country where the insured partner/parent is insured (works or draws a pension).
    insured_person_country: Optional[str] = None
    # Civil servants: the state of the employing administration, when it is not the state of work.
    administration_country: Optional[str] = None
    # Work in several states: share (0-100 %) of working time/pay in the residence state (Art. 13, 25 % rule).
    residence_work_share: Optional[float] = None
    # Telework from home (in the residence state) for work done in another state: True said, False denied, None
    # not said; and its share (0-100 %) of the total working time, when known (framework agreement under
    # Art. 16(1), Art. 13(1)(a)).
    teleworks: Optional[bool] = None
    telework_share: Optional[float] = None
    # The state of the employer's registered office or place of business (Art. 13(1)(b)(i)).
    employer_country: Optional[str] = None
    # Employed persons who are also self-employed: the states of the self-employed activity (Art. 13(3)).
    self_employment_countries: Tuple[str, ...] = ()
    # Posted workers: how long the posting lasts or is expected to last, in months (Art. 12: 24 at most).
    posting_months: Optional[float] = None
    # Family members: the insured person draws a pension (Art. 23-26 apply instead of Art. 17-18).
    insured_person_pensioner: bool = False
    # Pensioners who still work: the rules of the activity apply (Art. 31).
    still_working: bool = False

    def __post_init__(self):
        # Normalise here so every caller (Rasa slots, shell flags, the extractor) gets the same checks.
        set_ = object.__setattr__
        set_(self, "residence_country", _country(self.residence_country, "residence_country"))
        set_(self, "work_countries", _countries(self.work_countries, "work_countries"))
        set_(self, "pension_countries", _countries(self.pension_countries, "pension_countries"))
        set_(self, "sending_country", _country(self.sending_country, "sending_country"))
        set_(self, "insured_person_country", _country(self.insured_person_country, "insured_person_country"))
        set_(self, "administration_country", _country(self.administration_country, "administration_country"))
        set_(self, "employer_country", _country(self.employer_country, "employer_country"))
        set_(self, "self_employment_countries", _countries(self.self_employment_countries, "self_employment_countries"))
        if self.status is not None:
            status = str(self.status).strip().lower().replace("-", "_")
            if status not in STATUSES:
                raise ValueError(f"status: unknown {self.status!r} (expected one of {', '.join(STATUSES)})")
            set_(self, "status", status)
        for name in ("residence_work_share", "telework_share"):
            set_(self, name, _percentage(getattr(self, name), name))
        if self.telework_share is not None:
            set_(self, "teleworks", True)       # a share of telework says that there is telework
        if self.posting_months is not None:
            months = float(self.posting_months)
            if months < 0:
                raise ValueError("posting_months must not be negative")
            set_(self, "posting_months", months)
        if self.teleworks is not None:
            set_(self, "teleworks", bool(self.teleworks))
        for name in _FLAGS_FALSE_UNSAID:
            set_(self, name, bool(getattr(self, name)))

    # -- what is still needed -------------------------------------------------------------
    def missing(self) -> Tuple[str, ...]:
        """The fields still needed to decide for this status, in the order a form should ask them."""
        needed = []
        if not self.residence_country:
            needed.append("residence_country")
        if not self.status:
            needed.append("status")
            return tuple(needed)
        status = self.status
        if status in WORKER_STATUSES:
            if not self.work_countries:
                needed.append("work_countries")
            elif self.works_in_several_states and self.residence_country in self.work_countries \
                    and self.residence_work_share is None and not self._teleworks_for_one_state:
                # Telework for one employer abroad is answered without the share (thresholds said instead).
                needed.append("residence_work_share")
        elif status == "posted_worker":
            if not self.work_countries:
                needed.append("work_countries")
            if not self.sending_country:
                needed.append("sending_country")
        elif status == "civil_servant":
            # The administration is assumed to be in the (single) state of work unless said otherwise.
            if not self.administration_country and len(self.work_countries) != 1:
                needed.append("administration_country" if self.work_countries else "work_countries")
        elif status == "pensioner":
            # A pensioner who still works is insured through the work (Art. 31): the work country decides.
            if self.still_working and not self.work_countries:
                needed.append("work_countries")
            elif not self.still_working and not self.pension_countries:
                needed.append("pension_countries")
        elif status == "family_member":
            if not self.insured_person_country:
                needed.append("insured_person_country")
        # unemployed, student, not_working: the residence country is enough.
        return tuple(needed)

    @property
    def works_in_several_states(self) -> bool:
        return len(self.work_countries) > 1

    @property
    def _teleworks_for_one_state(self) -> bool:
        return bool(self.teleworks) and len([c for c in self.work_countries if c != self.residence_country]) == 1

    # -- conversions -----------------------------------------------------------------------
    def to_dict(self) -> Dict[str, Any]:
        data = asdict(self)
        data["work_countries"] = list(self.work_countries)
        data["pension_countries"] = list(self.pension_countries)
        data["self_employment_countries"] = list(self.self_employment_countries)
        return data

    def merged_with(self, other: "Situation") -> "Situation":
        """This situation with every field that ``other`` knows overriding ours (see _FLAGS_FALSE_UNSAID)."""
        changes = {}
        for name, value in asdict(other).items():
            if value not in (None, (), [], "") and not (value is False and name in _FLAGS_FALSE_UNSAID):
                changes[name] = value
        if other.teleworks is False:
            changes["telework_share"] = None        # no telework, no share of it
        return replace(self, **changes)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> "Situation":
        """Build from field names or Rasa slot names (``work_country``, ``employment_status``...).

        Single values are accepted where the field holds several countries.
        """
        kwargs = {}
        for key, value in values.items():
            name = _SLOT_TO_FIELD.get(key, key)
            if name in cls.__dataclass_fields__ and value not in (None, ""):
                if name in _LIST_FIELDS and isinstance(value, str):
                    value = [value]
                kwargs[name] = value
        return cls(**kwargs)
