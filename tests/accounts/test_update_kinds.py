"""Every update says in plain words what it is about, and points at a page.

The source of every app is read for calls to `enqueue_update`: each must pass the page it is
about (`target=`), and each kind it can pass — a string, a module constant, or a helper's
parameter traced back to that helper's callers — must have words registered in an app's
`updates.py`. A new kind without words fails here before any person could meet it.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from accounts.outbox import enqueue_update
from accounts.update_kinds import UNKNOWN_KIND, known_kinds, label_of

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "meetings", "compensation", "opportunities", "advisory", "reports")


@dataclass(frozen=True)
class Site:
    module: str
    function: ast.FunctionDef | None
    call: ast.Call

    def where(self) -> str:
        return f"{self.module}:{self.call.lineno}"


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _called_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


def _calls_in(module: str, tree: ast.Module) -> list[Site]:
    """Every call in the module, with the function it is written in."""
    sites: list[Site] = []

    def visit(node: ast.AST, function: ast.FunctionDef | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef) else function
            if isinstance(child, ast.Call):
                sites.append(Site(module, function, child))
            visit(child, inner)

    visit(tree, None)
    return sites


def all_calls() -> list[Site]:
    sites: list[Site] = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            sites.extend(_calls_in(_module_name(path), ast.parse(path.read_text())))
    return sites


CALLS = all_calls()
UPDATES = [site for site in CALLS if _called_name(site.call) == "enqueue_update"]


def _argument(call: ast.Call, name: str, position: int | None = None) -> ast.expr | None:
    """The expression passed for this parameter (by keyword, or at `position`)."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if position is not None and position < len(call.args):
        return call.args[position]
    return None


def kinds_from(expr: ast.expr | None, site: Site, depth: int = 0) -> set[str]:
    """The kind codes this expression can be, or an AssertionError saying why not."""
    assert expr is not None, f"{site.where()}: no kind"
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    assert isinstance(expr, ast.Name), f"{site.where()}: a kind this test cannot follow"
    function = site.function
    positional = [a.arg for a in function.args.args] if function else []
    keyword_only = [a.arg for a in function.args.kwonlyargs] if function else []
    if expr.id not in positional + keyword_only:
        value = getattr(importlib.import_module(site.module), expr.id)
        assert isinstance(value, str), f"{site.where()}: {expr.id} is not a kind code"
        return {value}
    # A helper's parameter: every call of the helper, anywhere, says which kinds.
    assert function is not None, f"{site.where()}: {expr.id} is not a kind code"
    assert depth < 3, f"{site.where()}: kind passed too far"
    position = positional.index(expr.id) if expr.id in positional else None
    callers = [other for other in CALLS if _called_name(other.call) == function.name]
    assert callers, f"{site.where()}: nobody calls {function.name}"
    found: set[str] = set()
    for caller in callers:
        found |= kinds_from(_argument(caller.call, expr.id, position), caller, depth + 1)
    return found


def test_the_source_has_updates_to_check():
    assert len(UPDATES) > 20


def test_every_update_names_the_page_it_is_about():
    missing = [site.where() for site in UPDATES if _argument(site.call, "target") is None]
    assert not missing, f"enqueue_update without target=: {missing}"


def test_every_kind_an_app_can_queue_has_words():
    queued: set[str] = set()
    for site in UPDATES:
        queued |= kinds_from(_argument(site.call, "kind"), site)
    assert "meeting_invitation" in queued
    assert "pay_sent" in queued
    without_words = sorted(queued - known_kinds())
    assert not without_words, f"update kinds with no words in an app's updates.py: {without_words}"
    never_queued = sorted(known_kinds() - queued)
    assert not never_queued, f"words for kinds nothing queues any more: {never_queued}"


def test_each_kind_reads_as_its_own_plain_sentence():
    labels = {kind: label_of(kind) for kind in known_kinds()}
    assert all(label.endswith(".") and label[0].isupper() for label in labels.values()), labels
    assert len(set(labels.values())) == len(labels), "two kinds say the same thing"
    assert label_of("not_a_kind") == str(UNKNOWN_KIND)


@pytest.mark.django_db
def test_an_update_without_words_or_a_page_is_refused(personas):
    person, harbor = personas.ash, personas.harbor
    with pytest.raises(ImproperlyConfigured):
        enqueue_update(recipient=person, organization=harbor, kind="nobody_wrote_this", target="/")
    with pytest.raises(ImproperlyConfigured):
        enqueue_update(recipient=person, organization=harbor, kind="pay_sent", target="")
    for elsewhere in ("https://example.org/", "//example.org/o/", "o/harbor/"):
        with pytest.raises(ValidationError):
            enqueue_update(recipient=person, organization=harbor, kind="pay_sent", target=elsewhere)
