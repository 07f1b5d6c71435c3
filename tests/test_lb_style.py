"""The assistant's own Luxembourgish follows docs/lb-style.md.

The rejected spellings and the n-rule words are read from the style sheet itself, so the sheet
stays the one place where a term is decided. Every assistant-side source of Luxembourgish text is
a test case of its own (a file that fails names the key or line and the word). The training
examples (data/nlu/lb.yml) are not checked: they show what users write, German loanwords included.
"""
import re
from pathlib import Path
from typing import Iterable, List, NamedTuple, Tuple

import pytest
import yaml

from assistant.knowledge.documents import parse_document, plain_text
from assistant.markdown_tables import table_rows

ROOT = Path(__file__).resolve().parents[1]
STYLE_SHEET = ROOT / "docs" / "lb-style.md"
_URL = re.compile(r"https?://\S+")
# Letters before which the final n stays (besides vowels): n, d, t, z, h.
_KEEP_N_BEFORE = set("aeiouyäëéèêöüâàîïôûnNdDtTzZhHAEIOUYÄËÉÈÊÖÜ")


class Rule(NamedTuple):
    pattern: re.Pattern
    use: str


def _pattern(word: str) -> re.Pattern:
    """A rejected spelling as a whole word; ``*`` stands for any letters."""
    body = r"\s+".join(re.escape(part).replace(r"\*", r"\w*") for part in word.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def load_rules(path: Path = STYLE_SHEET) -> List[Rule]:
    rules = []
    for _concept, use, reject, _why in table_rows(path.read_text(encoding="utf-8"), "Terms and spellings"):
        for word in reject.split(","):
            if word.strip():
                rules.append(Rule(_pattern(word.strip().strip("`")), use))
    return rules


def load_n_rule(path: Path = STYLE_SHEET) -> Tuple[frozenset, frozenset]:
    """(words written without their n before other consonants, words that need it back)."""
    dropped, kept = frozenset(), frozenset()
    text = path.read_text(encoding="utf-8")
    for label, words in re.findall(r"^- (dropped n|kept n) \([^)]*\):\s*(.+(?:\n  .+)*)", text, re.M):
        found = frozenset(w.strip().lower() for w in words.replace("\n", " ").split(",") if w.strip())
        if label == "dropped n":
            dropped = found
        else:
            kept = found
    return dropped, kept


RULES = load_rules()
DROPPED_N, KEPT_N = load_n_rule()
# Every word with the one after it (a lookahead, so that "an an Holland" checks both).
_FUNCTION_WORD = re.compile(r"(?<![\w'’-])(\w+)(?=[ \t]+(\S+))")


def _next_word_sound(token: str):
    """First letter that decides the n-rule, or None for a pause, a number or an abbreviation."""
    token = token.lstrip("„“”\"'*_«»‹›")
    if not token or not token[0].isalpha():
        return None                           # a bracket, a number, a sign: a pause
    if re.match(r"^[A-ZÄËÖÜ]{2,}", token) or re.search(r"\d", token):
        return None                           # CNS, EHIC, S1: said letter by letter
    return token[0]


def n_rule_slips(text: str) -> List[str]:
    slips = []
    for match in _FUNCTION_WORD.finditer(text):
        word, following = match.group(1), match.group(2)
        first = _next_word_sound(following)
        if first is None:
            continue
        keeps = first in _KEEP_N_BEFORE
        lowered = word.lower()
        if lowered in DROPPED_N and not keeps:
            slips.append(f"{word} {following} (n-rule: {word.rstrip('n')} …)")
        elif lowered in KEPT_N and keeps:
            slips.append(f"{word} {following} (n-rule: {word}n …)")
    return slips


def style_problems(text: str) -> List[str]:
    spans = {}   # one report per word, even when two rejected patterns match it
    for rule in RULES:
        for match in rule.pattern.finditer(text):
            spans.setdefault(match.span(), f"'{match.group(0)}' → {rule.use}")
    return [spans[span] for span in sorted(spans)] + n_rule_slips(text)


# --- where the assistant's Luxembourgish lives ---------------------------------------------------

def _lb_values(node, path="") -> Iterable[Tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "lb" and isinstance(value, str):
                yield path or "lb", value
            else:
                yield from _lb_values(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for position, value in enumerate(node):
            yield from _lb_values(value, f"{path}[{position}]")


def domain_texts(path: Path) -> Iterable[Tuple[str, str]]:
    responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
    for name, variants in responses.items():
        for variant in variants:
            conditions = variant.get("condition") or []
            if any(c.get("name") == "language" and c.get("value") == "lb" for c in conditions):
                yield name, variant.get("text") or ""
                for button in variant.get("buttons") or []:
                    yield f"{name} (button)", button.get("title") or ""


def yaml_texts(path: Path) -> Iterable[Tuple[str, str]]:
    yield from _lb_values(yaml.safe_load(path.read_text(encoding="utf-8")))


def document_texts(path: Path) -> Iterable[Tuple[str, str]]:
    """What a reader sees: title, sections, uncertain facts (not the cited pages' titles)."""
    doc = parse_document(path)
    yield "title", doc.title
    for number, item in enumerate(doc.uncertain):
        yield f"uncertain[{number}]", item
    for section in doc.sections:
        yield f"line {section.line}", section.heading
        for offset, line in enumerate(section.markdown.split("\n")):
            yield f"line {section.line + 1 + offset}", _URL.sub(" ", plain_text(line))


def sources():
    cases = [(str(p.relative_to(ROOT)), domain_texts) for p in sorted((ROOT / "domain").glob("*.yml"))]
    cases += [(str(p.relative_to(ROOT)), yaml_texts) for p in sorted((ROOT / "assistant" / "i18n").glob("*.yml"))]
    cases += [("data/insurance/institutions.yml", yaml_texts)]
    cases += [(str(p.relative_to(ROOT)), document_texts)
              for p in sorted((ROOT / "data" / "knowledge").glob("**/*.lb.md"))]
    return cases


SOURCES = sources()


@pytest.mark.parametrize("relative,reader", SOURCES, ids=[relative for relative, _ in SOURCES])
def test_assistant_luxembourgish_follows_the_style_sheet(relative, reader):
    found = [f"{relative}: {where}: {problem}"
             for where, text in reader(ROOT / relative) for problem in style_problems(text)]
    assert not found, "Luxembourgish outside docs/lb-style.md:\n" + "\n".join(found)


def test_every_kind_of_source_is_checked():
    names = [relative for relative, _ in SOURCES]
    assert {"domain/core.yml", "domain/insurer.yml", "assistant/i18n/insurance.yml", "assistant/i18n/web.yml"} <= set(names)
    assert sum(name.endswith(".lb.md") for name in names) >= 10
    assert not any(name.startswith("data/nlu") for name in names), "user-side examples are not the assistant's style"


def test_the_style_sheet_is_read():
    assert len(RULES) >= 15
    assert {"en", "den", "dann", "vun", "an"} <= DROPPED_N and {"e", "wa", "kee"} <= KEPT_N


@pytest.mark.parametrize("text,problem", [
    ("Dir sidd do versécherert, wou Dir schafft", "versécherert"),
    ("wärend der Entsendung bleift d'Land zoustänneg", "Entsendung"),
    ("**A1** (Entsendungsbescheinegung)", "Entsendungsbescheinegung"),
    ("Artikel 17 vun der Verordnung 883/2004", "Verordnung"),
    ("Grenzgänger sinn aus den ZOAST ausgeschloss", "Grenzgänger"),
    ("de gültegen Datum", "gültegen"),
    ("Wend Iech w.e.g. un en Dokter", "Wend Iech"),
    ("D'zoustännegt Land hänkt dann vun anere Fakten of", "dann vun"),
    ("Dir gitt en bei der Krankeversécherung of", "en bei"),
    ("Dir frot en virun der Behandlung un", "en virun"),
    ("wann e do e wesentlechen Deel mécht", "e do"),
    ("116 117, an ganz Däitschland", "an ganz"),
])
def test_known_slips_are_caught(text, problem):
    assert any(problem in found for found in style_problems(text)), style_problems(text)


@pytest.mark.parametrize("text", [
    "Dir sidd do versécheert, wou Dir schafft.",
    "wärend dem Detachement bleift d'Land zoustänneg, dat Iech detachéiert",
    "Frontaliere sinn aus den ZOAST ausgeschloss; d'Frontalieren hunn en S1.",
    "Wennt Iech w.e.g. un en Dokter oder un den CNS (bannent 8 Deeg).",
    "D'zoustännegt Land hänkt da vun anere Fakten of, wann en do schafft.",
    "Dir gitt e bei der Krankeversécherung vun Ärem Wunnland of, a Frankräich an an Holland.",
])
def test_good_luxembourgish_passes(text):
    assert style_problems(text) == []
