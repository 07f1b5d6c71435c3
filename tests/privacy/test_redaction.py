"""assistant/privacy_redaction.py: each identifier in the ways people write it is masked; the numbers the
assistant itself talks about (postcodes, years, dates, 112, articles, regulations) are left alone."""
import collections
import re
from pathlib import Path

import pytest

from assistant.privacy_redaction import redact, redact_value

ROOT = Path(__file__).resolve().parents[2]
NBSP, NNBSP = "\u00a0", "\u202f"
MASK = re.compile(r"\[([A-Za-z-]+)\]")

MASKED = {
    "[NISS]": ["85.07.30-033.28", "85073003328", "850730 033 28", "85 07 30 033 28", "85.07.30 033-28",
               "05.03.12-123.57"],
    "[NIR]": ["1 85 07 75 123 456 78", "185077512345678", "2 85 07 2A 123 456 78",
              f"1{NBSP}85{NBSP}07{NBSP}75{NBSP}123{NBSP}456{NBSP}78", "1 85 07 75 123 456"],
    "[matricule]": ["1985 0730 12345", "1985073012345", "2001 1224 56789"],
    "[KVNR]": ["A123456789", "z987654321"],
    "[RVNR]": ["65 170839 J 003", "65170839J003", "12 150780 m 001"],
    "[IBAN]": ["BE71 0961 2345 6769", "BE71096123456769", "FR76 3000 6000 0112 3456 7890 189",
               "LU28 0019 4006 4475 0000", "DE89 3704 0044 0532 0130 00", "DE89370400440532013000",
               "NL91 ABNA 0417 1643 00", "nl91abna0417164300", f"FR76{NNBSP}3000{NNBSP}6000{NNBSP}0112{NNBSP}3456"
               f"{NNBSP}7890{NNBSP}189"],
    "[e-mail]": ["jan.peeters@example.be", "Marie-Claire.Dupont+cns@mail.example.lu", "hans_mueller@t-online.de"],
    "[phone]": ["+32 4 123 45 67", "0049 651 1234567", "06 12 34 56 78", "+352 621 123 456", "621 123 456",
                "06.12.34.56.78", "0612345678", "+33 6 12 34 56 78", "+49 (0) 651 1234567", "(0651) 1234567",
                "0651/123 45 67", "0651-1234567", "020 123 4567", "06-12345678", "+31 6 12345678",
                "0470 12 34 56", "0032 470 12 34 56", "+352 26 12 34 56", f"06{NBSP}12{NBSP}34{NBSP}56{NBSP}78"],
}
UNCHANGED = [
    "Art. 11(3)(a)", "Regulation (EC) No 883/2004 and 987/2009", "Directive 2011/24/EU", "2004/38/EC",
    "Call 112, or 116 117 at night; in Belgium 1733; in France 15 or 114", "57100 Thionville", "L-1234",
    "6700 Arlon", "D-54290 Trier", "in 2025", "since 1985", "on 30.07.1985", "on 30/07/1985 at 08:30",
    "01.01.2025 10:30", "1985-07-30", "1.000.000 EUR", "1 000 000 €", "25 %", "2,5 days a week",
    "postcodes 08390 08400 08450", "02330 02540", "06/03/2020 08/03/2020", "form S1, E 106, A1, DA1",
    "JORFARTI000039472404", "https://haufe.de/grenzgaenger-42_PI17574_HI15762644@HI521303.html",
    "the 12345678901 order", "version 2.1.1", "0,5 %", "48 hours", "Nr. 123456",
    # What Rasa's DEBUG lines are made of: confidences, timestamps, conversation ids.
    "the top two intents (0.0049651123456 is lower", "BotUttered('Moien', {}, 1764697263.123)",
    "timestamp 1764697263.1234567", "de45a1b2c3d4e5f6a7b8c9d0e1f2a3b4", "0049651123abcdef0123456789abcdef",
    "3f2a9c1e-de12-4abc-8def-0123456789ab", "a123456789bcdef0", "sender 'be71096123456769ff'",
    "sender 'erase-d078806632'", "keep_a123456789",  # test ids that once looked like a KVNR
]


@pytest.mark.parametrize("mask,written", [(mask, w) for mask, forms in MASKED.items() for w in forms])
def test_each_identifier_is_masked_in_its_usual_writings(mask, written):
    assert redact(written) == mask
    sentence = f"Mon numéro : {written}, merci."
    assert redact(sentence) == f"Mon numéro : {mask}, merci."


@pytest.mark.parametrize("text", UNCHANGED)
def test_ordinary_numbers_are_left_alone(text):
    assert redact(text) == text


def test_the_words_around_an_iban_are_kept():
    assert redact("IBAN NL91 ABNA 0417 1643 00 abcd, BIC ABNANL2A") == "IBAN [IBAN] abcd, BIC ABNANL2A"
    assert redact("BE71 0961 2345 6769 dank u") == "[IBAN] dank u"
    # Two letters that are no IBAN country, or too short for their country: no IBAN.
    assert "[IBAN]" not in redact("XX71 0961 2345 6769")
    assert redact("BE71 0961") == "BE71 0961"


def test_a_niss_without_separators_needs_its_check_number():
    assert redact("85073003328") == "[NISS]"
    assert redact("85073003399") == "85073003399"        # not a NISS (nor a phone: no leading 0)
    assert redact("0651-1234567") == "[phone]"           # a date-like start, but no NISS


def test_a_message_with_several_identifiers():
    message = ("Ich heiße Jan, KVNR A123456789, IBAN DE89 3704 0044 0532 0130 00, "
               "Tel. 0049 651 1234567 oder jan@example.de; ich wohne in 54290 Trier seit 2019.")
    assert redact(message) == ("Ich heiße Jan, KVNR [KVNR], IBAN [IBAN], Tel. [phone] oder [e-mail]; "
                               "ich wohne in 54290 Trier seit 2019.")


def test_redaction_is_idempotent_and_reaches_into_values():
    once = redact("NISS 85.07.30-033.28 tel +32 4 123 45 67")
    assert redact(once) == once
    assert redact_value({"a": ["x 06 12 34 56 78", 3, None], "b": "A123456789"}) == \
        {"a": ["x [phone]", 3, None], "b": "[KVNR]"}


def _assistant_texts():
    files = [*ROOT.glob("domain.yml"), *sorted(ROOT.glob("domain/**/*.yml")),     # one file, or split
             *sorted((ROOT / "assistant" / "i18n").glob("*.yml")),
             *sorted((ROOT / "data").rglob("*.md")), *sorted((ROOT / "data").rglob("*.yml")),
             *sorted((ROOT / "tests" / "nlu" / "heldout").glob("*.yml"))]
    for path in files:
        yield path, path.read_text(encoding="utf-8")


def test_the_assistants_own_texts_lose_only_contact_details():
    """Responses, knowledge documents, NLU data and held-out questions: thousands of postcodes, dates,
    article and regulation numbers, none taken for an identifier; only phone numbers and e-mail
    addresses (the institutions' own) are masked."""
    kinds = collections.Counter()
    for _path, text in _assistant_texts():
        for line in text.splitlines():
            before = collections.Counter(MASK.findall(line))
            kinds.update(collections.Counter(MASK.findall(redact(line))) - before)
    assert kinds["phone"] and set(kinds) <= {"phone", "e-mail"}, kinds
