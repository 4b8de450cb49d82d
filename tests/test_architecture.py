"""The layers drawn in docs/design.md are enforced: import-linter's contracts (pyproject.toml)
run as part of the tests, so a wrong import fails CI like any other broken promise."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = (
    "accounts",
    "meetings",
    "compensation",
    "opportunities",
    "advisory",
    "reports",
    "config",
)


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    # The entry point installed next to this Python (the project's virtualenv).
    command = Path(sys.executable).with_name("lint-imports")
    if not command.exists():
        command = Path(shutil.which("lint-imports") or "lint-imports")
    return subprocess.run(  # noqa: S603  # our own tool, fixed arguments
        [str(command), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": str(command.parent)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_import_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_lower_layer_importing_a_higher_one_is_caught(tmp_path):
    """The contracts are not vacuous: accounts importing advisory breaks them."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.html", "*.po", "*.mo"),
        )
    (tmp_path / "accounts" / "layer_violation.py").write_text("import advisory.models\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "accounts.layer_violation" in result.stdout


# --- one authorization policy ------------------------------------------------------------
# Who may do what is written once, in accounts/permissions.py. Everywhere else asks it
# (`organization_for`, `require`, `allows`, `standing_in(...).may`, `grants`) instead of
# checking a role by hand. "By hand" means any of:
#   - a comparison (==, !=, in, not in) with a member of the membership `Role` enum, with a
#     set of them (STAFF_ROLES, or any module-level *_ROLES built from `Role.` members), or
#     with a string that is a role's value ("admin");
#   - asking for the raw facts the policy reads: `role_in(...)`, `is_co_chair(...)`;
#   - a query for one person's role: a call with both a person (`user=`, `user_id=`) and a
#     role (`role=`, `role__in=`, `...memberships__role=`) among its keyword arguments;
#   - defining a per-role getter (`get_<role>_organization`), a `_signed_in` copy, or a
#     `_require_*` / `_check_*` wrapper around the policy instead of calling `require`.
# Data seeding (management commands, demo packages) and migrations decide nothing about
# access and are not scanned. Listing people by role (`memberships__role=` without a person)
# is a query about who, not a check on the person asking, and is allowed.

APPS = ("accounts", "meetings", "compensation", "opportunities", "advisory", "reports")
POLICY_MODULE = Path("accounts") / "permissions.py"
POLICY_FACTS = {"role_in", "is_co_chair"}
PERSON_KEYWORDS = {"user", "user_id", "user__pk"}
# A per-role getter: get_<role>_organization, get_organization_for_<role>.
ROLE_GETTER = re.compile(r"_?get_(\w+_organization|organization_for_\w+)")
SCOPE_ONLY = {"get_organization_for_user"}  # members and funders alike; asks no role
QUERY_METHODS = {"filter", "get", "exclude", "first", "exists"}


def _role_values() -> set[str]:
    from accounts.models import Role

    return set(Role.values)


def _is_role_keyword(name: str | None) -> bool:
    return name is not None and (
        name in ("role", "role__in")
        or name.endswith(("memberships__role", "memberships__role__in"))
    )


def _role_sets(trees: dict[Path, ast.Module]) -> set[str]:
    """Module-level names bound to collections of `Role` members (STAFF_ROLES, ...)."""
    names = {"STAFF_ROLES", "MFA_REQUIRED_ROLES"}
    for tree in trees.values():
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(n, ast.Attribute)
                and isinstance(n.value, ast.Name)
                and n.value.id == "Role"
                for n in ast.walk(node.value)
            ):
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _is_role_member(node: ast.AST) -> bool:
    """`Role.ADMIN` and the like: the membership role enum, not InvitedRole or MeetingRole."""
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Role"
    )


def _is_role_operand(node: ast.expr, role_sets: set[str]) -> bool:
    if _is_role_member(node):
        return True
    if isinstance(node, ast.Name):
        return node.id in role_sets
    return isinstance(node, ast.Constant) and node.value in _role_values()


def _queries_a_persons_role(node: ast.Call, role_sets: set[str]) -> bool:
    if _called_name(node) not in QUERY_METHODS:
        return False
    keywords = {k.arg: k.value for k in node.keywords}
    return bool(keywords.keys() & PERSON_KEYWORDS) and any(
        _is_role_keyword(name) and _is_role_operand(value, role_sets)
        for name, value in keywords.items()
    )


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _wraps_policy(node: ast.FunctionDef) -> bool:
    calls = {_called_name(n) for n in ast.walk(node) if isinstance(n, ast.Call)}
    return bool(calls & {"allows", "require", "grants"})


def role_checks_by_hand(tree: ast.Module, role_sets: set[str]) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_is_role_operand(operand, role_sets) for operand in operands):
                found.append((node.lineno, "compares a role"))
        elif isinstance(node, ast.Call):
            if _called_name(node) in POLICY_FACTS:
                found.append((node.lineno, f"calls {_called_name(node)}()"))
            if _queries_a_persons_role(node, role_sets):
                found.append((node.lineno, "queries one person's role"))
        elif isinstance(node, ast.FunctionDef):
            name = node.name
            getter = ROLE_GETTER.fullmatch(name) is not None and name not in SCOPE_ONLY
            wrapper = re.fullmatch(r"_(require|check)_\w+", name) is not None and _wraps_policy(
                node
            )
            if getter or name == "_signed_in" or wrapper:
                found.append((node.lineno, f"defines {name}()"))
    return found


def _scanned_modules() -> dict[Path, ast.Module]:
    trees = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            skipped = {"migrations", "management", "demo"} & set(relative.parts)
            if skipped or relative == POLICY_MODULE:
                continue
            trees[relative] = ast.parse(path.read_text(), filename=str(relative))
    return trees


def test_no_role_is_checked_outside_the_policy():
    trees = _scanned_modules()
    role_sets = _role_sets(trees)
    found = [
        f"{path}:{line}: {what}"
        for path, tree in trees.items()
        for line, what in role_checks_by_hand(tree, role_sets)
    ]
    assert not found, "Ask accounts/permissions.py instead:\n" + "\n".join(found)


PLANTED = """
from accounts.models import STAFF_ROLES, Membership, Role
from accounts.selectors import membership_in, role_in

PAYERS = frozenset({Role.FINANCE})


def get_payer_organization(user, slug): ...
def get_organization_for_payers(user, slug): ...


def _require_admin(user, organization):
    require(user, organization, Capability.MANAGE_ORGANIZATION)


def view(user, organization):
    membership = membership_in(user, organization)
    if membership.role == Role.ADMIN: ...
    if role_in(user, organization) in STAFF_ROLES: ...
    if membership.role in PAYERS: ...
    if membership.role != "survivor_leader": ...
    Membership.objects.filter(user=user, organization=organization, role=Role.STAFF).exists()
"""


def test_a_role_checked_by_hand_is_caught():
    tree = ast.parse(PLANTED)
    found = role_checks_by_hand(tree, _role_sets({Path("planted.py"): tree}))
    assert sorted(found) == [
        (8, "defines get_payer_organization()"),
        (9, "defines get_organization_for_payers()"),
        (12, "defines _require_admin()"),
        (18, "compares a role"),
        (19, "calls role_in()"),
        (19, "compares a role"),
        (20, "compares a role"),
        (21, "compares a role"),
        (22, "queries one person's role"),
    ]


def test_listing_people_by_role_and_asking_the_policy_are_not_caught():
    allowed = """
from accounts.permissions import Capability, allows, grants

def staff_of(organization):
    return User.objects.filter(memberships__organization=organization, memberships__role="staff")

def page(user, organization, role):
    if allows(user, organization, Capability.LOOK_AFTER_BOARD): ...
    if grants(role, Capability.USE_OWN_SEAT): ...
    if invitation.held_role == MeetingRole.NOTE_TAKER: ...
"""
    tree = ast.parse(allowed)
    assert role_checks_by_hand(tree, _role_sets({Path("allowed.py"): tree})) == []
