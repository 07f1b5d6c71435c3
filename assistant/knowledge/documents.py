"""Knowledge documents: parse ``data/knowledge/<kind>/<id>.<lang>.md`` and validate them.

A document is Markdown with a YAML header (format: README, "Adding a convention").
Parsing never raises on a bad document: it records :class:`Problem` s with the file
and line, so ``python -m assistant.knowledge validate`` can report all of them at once.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple
from urllib.parse import urlparse

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LANGUAGES = ("fr", "de", "nl", "lb", "en")
KINDS = ("regulation", "agreement", "zoast", "cooperation", "project", "contact", "form")
COUNTRIES = ("BE", "FR", "LU", "DE", "NL")
DATE_KEYS = ("signed", "in_force", "ended", "published", "started")
REQUIRED = ("id", "title", "kind", "language", "source", "territories", "uncertain", "updated")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FILE_PATTERN = re.compile(r"^(?P<id>[a-z0-9-]+)\.(?P<lang>[a-z]{2})\.md$")
SECTION_WORDS = (40, 180)  # the writers' guideline; outside it is a warning, not an error
# Words in the text that look like a reference to another document ("see form-s2").
REFERENCE_PREFIXES = ("zoast-", "agreement-", "form-", "project-", "projects-", "regulation-",
                      "directive-")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_URL = re.compile(r"https?://\S+")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str
    severity: str = "error"  # "error" fails validation, "warning" is only printed

    def render(self, root: Optional[Path] = None) -> str:
        path = self.path
        if root is not None:
            try:
                path = self.path.relative_to(root)
            except ValueError:
                pass
        return f"{path}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Section:
    heading: str        # "" for the lead paragraph under the title
    markdown: str       # the section's text as written (without its heading)
    line: int           # line of the heading (or of the lead paragraph)

    @property
    def words(self) -> int:
        return len(_WORD.findall(plain_text(self.markdown)))


@dataclass
class Document:
    path: Path
    id: str = ""
    title: str = ""
    kind: str = ""
    language: str = ""
    source: Dict[str, str] = field(default_factory=dict)
    sources: List[Dict[str, str]] = field(default_factory=list)
    dates: Dict[str, str] = field(default_factory=dict)
    territories: List[str] = field(default_factory=list)
    uncertain: List[str] = field(default_factory=list)
    updated: str = ""
    heading: str = ""               # the Markdown "# " title
    sections: List[Section] = field(default_factory=list)
    header_lines: Dict[str, int] = field(default_factory=dict)
    problems: List[Problem] = field(default_factory=list)

    @property
    def key(self) -> str:
        """One translation of one document: ``<id>.<lang>``."""
        return f"{self.id}.{self.language}"

    @property
    def valid(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def line_of(self, key: str) -> int:
        return self.header_lines.get(key, 1)

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, "warning"))

    def metadata(self) -> dict:
        """What the index keeps about the document (everything but the text)."""
        return {
            "id": self.id, "language": self.language, "title": self.title, "kind": self.kind,
            "source": self.source, "dates": self.dates, "updated": self.updated,
            "territories": self.territories, "uncertain": self.uncertain,
            "sections": [s.heading for s in self.sections],
        }


def plain_text(markdown: str) -> str:
    """Markdown -> text for embedding and word counts: links keep their words, marks go."""
    text = _LINK.sub(r"\1", markdown)
    text = re.sub(r"[*_`]{1,3}", "", text)
    text = re.sub(r"^\s*[-*+]\s+", "", text, flags=re.MULTILINE)
    return re.sub(r"[ \t]+", " ", text).strip()


def _header_lines(header: str, first_line: int) -> Dict[str, int]:
    """Line number of each top-level header key, for messages that point at the line."""
    lines = {}
    try:
        node = yaml.compose(header, Loader=_Loader)
    except yaml.YAMLError:
        return lines
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            lines[str(key_node.value)] = first_line + key_node.start_mark.line
            if isinstance(value_node, yaml.MappingNode):
                for sub_key, _ in value_node.value:
                    lines[f"{key_node.value}.{sub_key.value}"] = first_line + sub_key.start_mark.line
    return lines


def split_sections(body: str, first_line: int) -> Tuple[str, List[Section], List[Tuple[int, str]]]:
    """Body -> (H1 title, sections); the lead paragraph under the title is a section of its own."""
    title, sections, problems = "", [], []
    heading, buffer, start = None, [], first_line
    in_fence = False

    def flush():
        text = "\n".join(buffer).strip()
        if heading is None and not text:
            return
        sections.append(Section(heading or "", text, start))

    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        if line.strip().startswith("```"):
            in_fence = not in_fence
        if not in_fence and line.startswith("# ") and not title and heading is None and not "".join(buffer).strip():
            title = line[2:].strip()
            start = number + 1
            continue
        if not in_fence and line.startswith("## "):
            flush()
            heading, buffer, start = line[3:].strip(), [], number
            continue
        if not in_fence and line.startswith("# "):
            problems.append((number, "a second '# ' title; sections start with '## '"))
        buffer.append(line)
    flush()
    return title, sections, problems


def parse_document(path: Path, root: Optional[Path] = None) -> Document:
    doc = Document(path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        doc.error(1, f"not UTF-8 ({error.reason})")
        return doc
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        doc.error(1, "missing YAML header: the file must start with a '---' line")
        return doc
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        doc.error(1, "YAML header not closed: add a '---' line after it")
        return doc
    header_text = "\n".join(lines[1:end])
    doc.header_lines = _header_lines(header_text, 2)
    try:
        header = yaml.load(header_text, Loader=_Loader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        doc.error(2 + (mark.line if mark else 0), f"YAML header does not parse: {getattr(error, 'problem', error)}")
        return doc
    if not isinstance(header, dict):
        doc.error(2, "YAML header must be a mapping of keys to values")
        return doc

    doc.id = str(header.get("id") or "")
    doc.title = str(header.get("title") or "")
    doc.kind = str(header.get("kind") or "")
    doc.language = str(header.get("language") or "")
    doc.source = header.get("source") if isinstance(header.get("source"), dict) else {}
    doc.sources = [s for s in (header.get("sources") or []) if isinstance(s, dict)]
    doc.dates = {str(k): str(v) for k, v in (header.get("dates") or {}).items()} \
        if isinstance(header.get("dates") or {}, dict) else {}
    doc.territories = [str(t) for t in (header.get("territories") or [])]
    doc.uncertain = [str(u) for u in (header.get("uncertain") or [])]
    doc.updated = str(header.get("updated") or "")
    doc.heading, doc.sections, structure = split_sections("\n".join(lines[end + 1:]), end + 2)
    for line, message in structure:
        doc.error(line, message)
    _check_header(doc, header)
    _check_path(doc, root)
    _check_body(doc)
    return doc


def _is_url(value) -> bool:
    if not isinstance(value, str):
        return False
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and "." in parsed.netloc and " " not in value


def _is_date(value) -> bool:
    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(str(value))
        return True
    except ValueError:
        return False


def _check_header(doc: Document, header: dict) -> None:
    for key in REQUIRED:
        if key not in header or header[key] in (None, "") and key != "uncertain":
            doc.error(doc.line_of(key) if key in header else 2, f"header lacks '{key}'")
    if doc.id and not ID_PATTERN.match(doc.id):
        doc.error(doc.line_of("id"), f"id '{doc.id}' must be lower-case words joined by '-'")
    if doc.language and doc.language not in LANGUAGES:
        doc.error(doc.line_of("language"), f"language '{doc.language}' is not one of {', '.join(LANGUAGES)}")
    if doc.kind and doc.kind not in KINDS:
        doc.error(doc.line_of("kind"), f"kind '{doc.kind}' is not one of {', '.join(KINDS)}")
    if "source" in header:
        if not isinstance(header["source"], dict) or not doc.source.get("title"):
            doc.error(doc.line_of("source"), "source needs a 'title' (and a 'url' when there is one)")
        elif not doc.source.get("url"):
            # A project sheet received on paper has no address; the answer cites its title only.
            doc.warn(doc.line_of("source"), "source has no 'url': answers will cite its title without a link")
        elif not _is_url(doc.source["url"]):
            doc.error(doc.line_of("source.url"), f"source url {doc.source['url']!r} is not an http(s) link")
    for position, extra in enumerate(header.get("sources") or []):
        if not isinstance(extra, dict) or not extra.get("title"):
            doc.error(doc.line_of("sources"), f"sources[{position}] needs a 'title'")
        elif extra.get("url") is not None and not _is_url(extra["url"]):
            doc.error(doc.line_of("sources"), f"sources[{position}] url {extra['url']!r} is not an http(s) link")
    dates = header.get("dates")
    if dates not in (None, {}) and not isinstance(dates, dict):
        doc.error(doc.line_of("dates"), "dates must be a mapping such as {signed: \"2016-11-21\"}")
    elif isinstance(dates, dict):
        for key, value in dates.items():
            if not _is_date(value):
                doc.error(doc.line_of(f"dates.{key}"), f"dates.{key} {value!r} is not an ISO date (YYYY-MM-DD)")
            if key not in DATE_KEYS:
                doc.warn(doc.line_of(f"dates.{key}"), f"unusual date key '{key}' (known: {', '.join(DATE_KEYS)})")
    if doc.updated and not _is_date(doc.updated):
        doc.error(doc.line_of("updated"), f"updated {doc.updated!r} is not an ISO date (YYYY-MM-DD)")
    if not isinstance(header.get("territories", []), list):
        doc.error(doc.line_of("territories"), "territories must be a list such as [BE, FR]")
    for code in doc.territories:
        if code not in COUNTRIES:
            doc.error(doc.line_of("territories"), f"territory '{code}' is not one of {', '.join(COUNTRIES)}")
    if "uncertain" in header and not isinstance(header["uncertain"] or [], list):
        doc.error(doc.line_of("uncertain"), "uncertain must be a list (use [] when nothing is uncertain)")


def _check_path(doc: Document, root: Optional[Path]) -> None:
    match = FILE_PATTERN.match(doc.path.name)
    if not match:
        doc.error(1, "file name must be <id>.<language>.md, e.g. zoast-ardennes.fr.md")
        return
    if doc.id and match["id"] != doc.id:
        doc.error(doc.line_of("id"), f"id '{doc.id}' differs from the file name '{match['id']}'")
    if doc.language and match["lang"] != doc.language:
        doc.error(doc.line_of("language"), f"language '{doc.language}' differs from the file name '{match['lang']}'")
    if root is not None and doc.kind:
        folder = doc.path.parent.name
        if doc.path.parent != root and folder != doc.kind:
            doc.error(doc.line_of("kind"), f"kind '{doc.kind}' but the file is in the folder '{folder}/'")


def _check_body(doc: Document) -> None:
    if not doc.heading:
        doc.error(1, "no '# ' title line after the header")
    if not any(s.heading for s in doc.sections):
        doc.error(1, "no '## ' section: the retrieval cuts documents by section")
    seen = set()
    for section in doc.sections:
        if section.heading and not section.markdown:
            doc.error(section.line, f"section '{section.heading}' is empty")
        if section.heading in seen and section.heading:
            doc.warn(section.line, f"two sections are called '{section.heading}'")
        seen.add(section.heading)
        low, high = SECTION_WORDS
        if section.heading and section.markdown and not low <= section.words <= high:
            doc.warn(section.line, f"section '{section.heading}' has {section.words} words "
                                   f"(guideline {low}-{high})")
        for offset, line in enumerate(section.markdown.split("\n")):
            for _, target in _LINK.findall(line):
                if not _is_url(target):
                    doc.error(section.line + 1 + offset, f"link target {target!r} is not an http(s) link")


def _references(doc: Document) -> Iterable[Tuple[int, str]]:
    for section in doc.sections:
        for offset, line in enumerate(section.markdown.split("\n")):
            line = _URL.sub(" ", _LINK.sub(r"\1", line))
            for word in re.findall(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b", line):
                if word.startswith(REFERENCE_PREFIXES):
                    yield section.line + 1 + offset, word


def load_documents(root: Path) -> List[Document]:
    """Every ``*.md`` under ``root`` (sorted, README files skipped), parsed."""
    paths = sorted(p for p in root.rglob("*.md") if p.name.lower() != "readme.md")
    return [parse_document(path, root) for path in paths]


def check_collection(docs: List[Document]) -> List[Problem]:
    """Problems only visible across files: duplicates, translations, references."""
    problems: List[Problem] = []
    by_key: Dict[str, List[Document]] = defaultdict(list)
    by_id: Dict[str, List[Document]] = defaultdict(list)
    for doc in docs:
        if doc.id and doc.language:
            by_key[doc.key].append(doc)
            by_id[doc.id].append(doc)
    for key, same in by_key.items():
        for doc in same[1:]:
            problems.append(Problem(doc.path, doc.line_of("id"),
                                    f"duplicate document {key}: also in {same[0].path}"))
    for doc_id, translations in by_id.items():
        kinds = {d.kind for d in translations}
        if len(kinds) > 1:
            problems.append(Problem(translations[0].path, translations[0].line_of("kind"),
                                    f"translations of '{doc_id}' disagree on kind: {sorted(kinds)}"))
        languages = {d.language for d in translations}
        first = sorted(translations, key=lambda d: d.path)[0]
        if "fr" not in languages:
            problems.append(Problem(first.path, 1, f"'{doc_id}' has no French version", "warning"))
        if not languages & {"de", "nl"}:
            problems.append(Problem(first.path, 1, f"'{doc_id}' has neither a German nor a Dutch version",
                                    "warning"))
    known = set(by_id)
    for doc in docs:
        for line, word in _references(doc):
            if word not in known:
                problems.append(Problem(doc.path, line, f"'{word}' looks like a document id but no "
                                                        "document has it", "warning"))
    return problems


def validate(root: Path) -> Tuple[List[Document], List[Problem]]:
    docs = load_documents(root)
    problems = [p for d in docs for p in d.problems] + check_collection(docs)
    if not docs:
        problems.append(Problem(root, 0, "no document found"))
    return docs, sorted(problems, key=lambda p: (str(p.path), p.line))
