"""Shell entry point for agents and developers.

    python -m assistant.geo "Arel" [--country BE] [--lang fr] [--care obstetrics] [--json]

Prints how the text was resolved, then the reply the assistant would give
(or, with --json, everything as one JSON document).
"""
from __future__ import annotations

import argparse
import json
import sys

from assistant.geo.facilities import nearest
from assistant.geo.render import render
from assistant.i18n import LANGUAGES


def _resolution_lines(result) -> list:
    resolution = result.resolution
    lines = [f"query: {resolution.query!r} -> {resolution.status}"
             + (f" ({resolution.reason})" if resolution.reason else "")]
    for candidate in resolution.candidates:
        lines.append(f"  {candidate.name} [{candidate.country}] {candidate.postcode or '-'} "
                     f"{candidate.lat:.4f},{candidate.lon:.4f} by {candidate.matched_by} "
                     f"({candidate.matched_text!r}, score {candidate.score:.0f})")
    for match in result.zones:
        lines.append(f"  zone: {match.zone.id} ({match.basis}: {match.label}; confidence {match.zone.confidence})")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.geo", description="Nearest eligible cross-border facility")
    parser.add_argument("place", help="town, exonym or postcode, e.g. 'Arel', 'L-4240', '6460 Chimay'")
    parser.add_argument("--country", help="country hint: BE, DE, FR, LU or NL")
    parser.add_argument("--lang", default="fr", choices=LANGUAGES, help="reply language")
    parser.add_argument("--care", default=None, help="care type, e.g. obstetrics, cardiology_emergency")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args(argv)
    result = nearest(args.place, care_type=args.care, country_hint=args.country)
    reply = render(result, args.lang)
    if args.json:
        print(json.dumps({**result.as_dict(), "reply": reply, "language": args.lang}, ensure_ascii=False, indent=2))
    else:
        print("\n".join(_resolution_lines(result)))
        print()
        print(reply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
