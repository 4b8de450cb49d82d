"""Validate once: a rule's words live where the rule does. Services (and pay_rules) hold
the rules and their messages; forms parse and show, reusing those messages by name. A
message literal written both in a form (or view) module and in a service module is a rule
copied into the page, and fails here."""

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("accounts", "meetings", "compensation", "opportunities", "advisory", "reports")
TRANSLATE = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext"}


def is_form_module(relative: Path) -> bool:
    """Forms and views: the modules that show a rule's words rather than hold the rule."""
    shown_by = ("forms", "views")
    return any(
        part in shown_by or part.startswith("forms_") or part.removesuffix(".py") in shown_by
        for part in relative.parts
    )


def is_rule_module(relative: Path) -> bool:
    return "services" in relative.parts or relative.name in {"services.py", "pay_rules.py"}


def is_sentence(value: object) -> bool:
    """Messages are sentences; a one-word label ("Yes") may well be written twice."""
    return isinstance(value, str) and " " in value and value.endswith((".", "?"))


def messages_in(tree: ast.AST) -> set[str]:
    """Every literal passed to a translation call."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name in TRANSLATE:
            literal = node.args[-1] if name.startswith("p") else node.args[0]
            value = literal.value if isinstance(literal, ast.Constant) else None
            if isinstance(value, str) and is_sentence(value):
                found.add(value)
    return found


def copied_messages(sources: dict[Path, str]) -> dict[str, list[str]]:
    where: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"form": set(), "rule": set()})
    for relative, text in sources.items():
        kind = "form" if is_form_module(relative) else "rule" if is_rule_module(relative) else None
        if kind is None:
            continue
        for message in messages_in(ast.parse(text, filename=str(relative))):
            where[message][kind].add(str(relative))
    return {
        message: sorted(places["form"] | places["rule"])
        for message, places in where.items()
        if places["form"] and places["rule"]
    }


def _sources() -> dict[Path, str]:
    sources = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" not in relative.parts:
                sources[relative] = path.read_text()
    return sources


def test_no_message_is_written_in_a_form_and_a_service():
    copies = copied_messages(_sources())
    assert not copies, "Import the service's message instead of copying it:\n" + "\n".join(
        f"{message!r}: {', '.join(places)}" for message, places in sorted(copies.items())
    )


def test_a_copied_message_is_caught():
    service = 'from django.utils.translation import gettext as _\nERR = _("Give the day.")\n'
    form = 'X = {"required": gettext_lazy("Give the day.")}\n'
    reused = "from meetings.services.x import ERR\nY = {'required': ERR}\n"
    sources = {
        Path("meetings/services/x.py"): service,
        Path("meetings/forms/x.py"): form,
        Path("meetings/forms_y.py"): reused,
        Path("meetings/views/x.py"): form,  # a view repeating it copies it too
        Path("meetings/selectors/x.py"): form,  # neither shows nor holds a rule
    }
    assert copied_messages(sources) == {
        "Give the day.": ["meetings/forms/x.py", "meetings/services/x.py", "meetings/views/x.py"]
    }
