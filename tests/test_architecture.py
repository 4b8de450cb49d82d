"""The layers drawn in docs/design.md are enforced: import-linter's contracts (pyproject.toml)
run as part of the tests, so a wrong import fails CI like any other broken promise."""

import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("accounts", "meetings", "compensation", "advisory", "config")


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
