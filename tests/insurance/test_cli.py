"""python -m assistant.insurance: for agents and operators."""
import json
import subprocess
import sys
from pathlib import Path

from assistant.insurance.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def test_message_in_text_mode(capsys):
    main(["I live in Arlon and work in Luxembourg as an employee", "--lang", "fr"])
    out = capsys.readouterr().out
    assert '"residence_country": "BE"' in out and "Missing: nothing" in out
    assert "**BL1**" in out and "Pays compétent : Luxembourg" in out


def test_flags_override_and_json(capsys):
    main(["je suis retraité, j'habite à Longwy", "--pension", "NL", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["situation"]["residence_country"] == "FR"
    assert data["situation"]["pension_countries"] == ["NL"]
    assert data["decision"]["competent_country"] == "NL"
    assert data["decision"]["institution_ids"] == ["nl_cak"]
    assert data["decision"]["forms"] == ["S1"]
    assert data["language"] == "fr" and "CAK" in data["reply"]


def test_explicit_flags_only(capsys):
    main(["--residence", "be", "--work", "BE,LU", "--status", "employee", "--share", "40", "--lang", "en", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["decision"]["case"] == "work_several_states_residence"
    assert data["missing"] == []


def test_reports_missing_facts(capsys):
    main(["Ich wohne in Trier und arbeite in Luxemburg"])
    out = capsys.readouterr().out
    assert "Missing: status" in out and "Reply [de]" in out


def test_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "assistant.insurance", "--residence", "NL", "--work", "DE",
                             "--status", "frontier_worker", "--lang", "nl"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "CZ (Verdragspolis)" in result.stdout


def test_telework_share_option(capsys):
    main(["--residence", "FR", "--work", "LU", "--status", "employee", "--telework-share", "40", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["decision"]["case"] == "telework_framework_agreement"
    # France by default; the A1 of the framework agreement, if the employer requests it, makes it Luxembourg.
    assert data["decision"]["competent_country"] == "FR" and data["decision"]["forms"] == ["A1"]


def test_telework_from_the_message_and_unknown_share(capsys):
    main(["I live in Thionville, work in Luxembourg as an employee and telework 40% from home", "--lang", "en"])
    out = capsys.readouterr().out
    assert '"telework_share": 40.0' in out and "Luxembourg only if your employer requests the A1" in out
    main(["--residence", "BE", "--work", "LU", "--telework", "--lang", "en", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["decision"]["case"] == "telework_share_unknown" and data["still_asked"] == []


def test_posting_employer_self_employment_and_pensioner_options(capsys):
    main(["--residence", "BE", "--work", "DE", "--status", "posted_worker", "--sending", "BE",
          "--posting-months", "30", "--json"])
    assert json.loads(capsys.readouterr().out)["decision"]["competent_country"] == "DE"
    main(["--residence", "BE", "--work", "BE,LU", "--status", "employee", "--share", "10",
          "--employer-country", "LU", "--json"])
    assert json.loads(capsys.readouterr().out)["decision"]["case"] == "work_several_states_employer_seat"
    main(["--residence", "FR", "--work", "LU", "--status", "employee", "--self-employed-in", "FR", "--json"])
    assert json.loads(capsys.readouterr().out)["decision"]["case"] == "employed_and_self_employed"
    main(["--residence", "FR", "--work", "LU", "--status", "pensioner", "--still-working", "--json"])
    assert json.loads(capsys.readouterr().out)["decision"]["case"] == "pensioner_working"
    main(["--residence", "DE", "--status", "family_member", "--insured-country", "NL", "--insured-is-pensioner",
          "--json"])
    assert json.loads(capsys.readouterr().out)["decision"]["institution_ids"] == ["nl_cak"]
