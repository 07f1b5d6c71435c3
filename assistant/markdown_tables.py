"""Reading a table of a Markdown document kept by people (docs/coverage.md, docs/lb-style.md)."""
from __future__ import annotations

from typing import List


def table_rows(text: str, section: str) -> List[List[str]]:
    """The cells of the table under the ``## section`` heading, without its header row."""
    rows, inside = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            inside = line[3:].strip() == section
            continue
        if inside and line.startswith("|") and not set(line.strip()) <= set("|-: "):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows[1:]
