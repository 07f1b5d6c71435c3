"""Shell entry point for agents and operators.

    python -m assistant.insurance "I live in Arlon and work in Luxembourg as an employee" --lang fr
    python -m assistant.insurance --residence BE --work LU --status employee --json
    python -m assistant.insurance "je suis retraité, ma pension vient de Belgique, j'habite à Longwy" --status pensioner
    python -m assistant.insurance --residence FR --work LU --status employee --telework-share 40 --lang en

Flags override what the message says.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional

from assistant.i18n import LANGUAGES
from assistant.insurance.assumptions import resolve
from assistant.insurance.extract import extract
from assistant.insurance.render import render, render_caveats, render_partial
from assistant.insurance.rules import decide
from assistant.insurance.situation import COUNTRIES, STATUSES, Situation


def _countries(value: str) -> List[str]:
    return [part.strip().upper() for part in value.split(",") if part.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant.insurance",
                                     description="Which country's health insurance is competent, and what to do.")
    parser.add_argument("message", nargs="?", default="", help="free-text message (fr, de, nl, lb, en)")
    parser.add_argument("--lang", choices=LANGUAGES, help="reply language (default: guessed from the message, else fr)")
    parser.add_argument("--json", action="store_true", help="print everything as JSON")
    parser.add_argument("--residence", choices=COUNTRIES, type=str.upper, help="country of residence")
    parser.add_argument("--work", type=_countries, help="country/countries of work, e.g. LU or BE,LU")
    parser.add_argument("--pension", type=_countries, help="country/countries paying a pension")
    parser.add_argument("--status", choices=STATUSES)
    parser.add_argument("--sending", choices=COUNTRIES, type=str.upper, help="posted workers: sending country")
    parser.add_argument("--insured-country", choices=COUNTRIES, type=str.upper,
                        help="family members: country where the insured family member is insured")
    parser.add_argument("--administration", choices=COUNTRIES, type=str.upper,
                        help="civil servants: country of the employing administration")
    parser.add_argument("--share", type=float, help="work in several countries: %% of activity in the residence country")
    parser.add_argument("--telework-share", type=float,
                        help="%% of the working time teleworked from home (in the residence country); implies --telework")
    parser.add_argument("--telework", action="store_true", help="teleworks from home, share unknown")
    parser.add_argument("--employer-country", choices=COUNTRIES, type=str.upper,
                        help="work in several countries: country of the employer's registered office")
    parser.add_argument("--self-employed-in", type=_countries,
                        help="employees also self-employed: country/countries of the self-employment (Art. 13(3))")
    parser.add_argument("--posting-months", type=float, help="posted workers: length of the posting in months")
    parser.add_argument("--insured-is-pensioner", action="store_true",
                        help="family members: the insured family member draws a pension (Art. 24-26)")
    parser.add_argument("--still-working", action="store_true", help="pensioners: still works (Art. 31)")
    parser.add_argument("--place", help="place of residence (town or French postcode, used for the S072 rule)")
    parser.add_argument("--insurer", help="current insurer, e.g. Partenamut, AOK, CZ")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    extraction = extract(args.message)
    flags = Situation(
        residence_country=args.residence, work_countries=tuple(args.work or ()), status=args.status,
        pension_countries=tuple(args.pension or ()), residence_place=args.place, current_insurer=args.insurer,
        sending_country=args.sending, insured_person_country=args.insured_country,
        administration_country=args.administration, residence_work_share=args.share,
        teleworks=args.telework or None, telework_share=args.telework_share, employer_country=args.employer_country,
        self_employment_countries=tuple(args.self_employed_in or ()), posting_months=args.posting_months,
        insured_person_pensioner=args.insured_is_pensioner, still_working=args.still_working,
    )
    situation = extraction.situation.merged_with(flags)
    language = args.lang or extraction.language_hint or "fr"
    # Answer first, as the assistant does: assume what would not change the answer.
    resolution = resolve(situation)
    decision = decide(resolution.assumed)
    reply = render(decision, language, resolution.assumptions) if resolution.answerable \
        else render_partial(resolution, language)

    if args.json:
        print(json.dumps({
            "language": language,
            "situation": situation.to_dict(),
            "missing": list(situation.missing()),
            "assumed": [note.key for note in resolution.assumptions],
            "still_asked": list(resolution.ask),
            "evidence": extraction.describe(),
            "unassigned_countries": extraction.unassigned,
            "conflicts": extraction.conflicts,
            "decision": decision.to_dict(),
            "caveats_text": render_caveats(decision, language),
            "reply": reply,
        }, ensure_ascii=False, indent=2))
        return 0

    print("Situation:", json.dumps({k: v for k, v in situation.to_dict().items() if v is not False and v not in (None, [])},
                                   ensure_ascii=False))
    if extraction.conflicts:
        print("Conflicts:", "; ".join(extraction.conflicts))
    print("Missing:", ", ".join(situation.missing()) or "nothing",
          f"(assumed: {', '.join(n.key for n in resolution.assumptions) or 'nothing'}; "
          f"still to ask: {', '.join(resolution.ask) or 'nothing'})")
    if decision.determined:
        print(f"Decision: {decision.case} -> {decision.competent_country} {list(decision.institution_ids)} "
              f"forms={list(decision.forms)} confidence={decision.confidence}")
    else:
        print(f"Decision: {decision.case} (not determined) confidence={decision.confidence}")
    print(f"\nReply [{language}]:\n{reply}")
    extra = render_caveats(decision, language)
    if extra:
        print("\nAll caveats and notes:")
        for line in extra:
            print(" -", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
