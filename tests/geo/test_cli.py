"""python -m assistant.geo, as agents use it from a shell."""
import json

from assistant.geo.__main__ import main


def test_cli_prints_resolution_and_reply(capsys):
    assert main(["Arel", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "Arlon [BE] 6700" in out and "alternate_name" in out
    assert "zone: luxlor" in out
    assert "Mont-Saint-Martin" in out and "vignette" in out


def test_cli_json_has_everything(capsys):
    assert main(["6460", "--country", "BE", "--lang", "en", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["place"]["name"] == "Chimay"
    assert data["language"] == "en"
    assert data["reply"].startswith("📍 **Chimay**")
    assert {"options", "domestic", "zones", "general_routes", "unknowns"} <= set(data)


def test_cli_ambiguous_postcode_asks_back(capsys):
    main(["6461", "--lang", "nl"])
    out = capsys.readouterr().out
    assert "ambiguous" in out and "In welk land woont u?" in out
