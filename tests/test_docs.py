"""The documents someone who clones the repository reads link only to what they have."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]
# Markdown links and HTML images: [text](target) and src="target".
LINK = re.compile(r"\]\(([^)\s]+)\)|src=\"([^\"]+)\"")


def local_targets(document: Path) -> list[str]:
    targets = [a or b for a, b in LINK.findall(document.read_text(encoding="utf-8"))]
    return [t for t in targets if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_local_link_points_at_a_file_in_the_repository(document):
    for target in local_targets(document):
        resolved = (document.parent / target.split("#")[0]).resolve()
        assert resolved.is_relative_to(ROOT), f"{document.name} links outside: {target}"
        assert resolved.exists(), f"{document.name} links to a missing file: {target}"


def test_the_design_document_is_linked_from_the_readme():
    assert "docs/design.md" in local_targets(ROOT / "README.md")


SOURCES = (".py", ".html", ".css", ".js", ".md", ".toml", ".yml", ".txt")
SKIPPED = {".git", ".venv", "node_modules", "staticfiles", "__pycache__"}


def project_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*")
        if path.is_file() and not SKIPPED & set(path.relative_to(ROOT).parts)
    ]


def test_history_lives_in_git_not_in_code_or_file_names():
    """No issue numbers in code, docstrings, documents or file names: the tracker's
    numbers mean nothing to someone who clones the repository."""
    tagged = re.compile(r"\bissues? ?#?\d+", re.IGNORECASE)
    found = [
        str(path.relative_to(ROOT))
        for path in project_files()
        if "issue" in path.name.lower()
        or (path.suffix in SOURCES and tagged.search(path.read_text(encoding="utf-8")))
    ]
    assert not found
