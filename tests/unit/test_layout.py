"""Guards for the folder-to-package mapping (see docs/architecture.md)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("platform", "tenants", "billing", "workers", "web")
SCANNED = (*FOLDERS, "tests", "bench")


def _python_files() -> list[Path]:
    return [path for folder in SCANNED if (ROOT / folder).exists() for path in (ROOT / folder).rglob("*.py")]


@pytest.mark.parametrize("folder", FOLDERS)
def test_folder_root_is_not_a_package(folder: str) -> None:
    assert not (ROOT / folder / "__init__.py").exists(), (
        f"{folder}/__init__.py would shadow or double-load modules"
    )


def test_stdlib_platform_still_imports_from_the_repo_root() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import platform; print(platform.python_version())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ".".join(map(str, sys.version_info[:3]))


def imported_modules(source: str) -> list[str]:
    """Every absolute module a source imports, at module level or inside functions."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return found


def bare_imports(source: str) -> list[str]:
    """Imports that name a project folder directly instead of through ``sampark.``."""
    return [name for name in imported_modules(source) if name.split(".")[0] in FOLDERS and "." in name]


def test_detector_catches_bare_imports() -> None:
    assert bare_imports("import tenants.contacts\nfrom web.app import create_app\n") == [
        "tenants.contacts",
        "web.app",
    ]
    assert bare_imports("import platform\nfrom sampark.web.app import create_app\n") == []


def test_no_bare_project_imports() -> None:
    offenders = {
        str(path.relative_to(ROOT)): bad
        for path in _python_files()
        if (bad := bare_imports(path.read_text()))
    }
    assert offenders == {}


def test_db_layer_imports_nothing_above_it() -> None:
    allowed = ("sampark.platform.db", "sampark.platform.config")
    offenders = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / "platform" / "db").rglob("*.py")
        for module in imported_modules(path.read_text())
        if module.startswith("sampark.") and not module.startswith(allowed)
    }
    assert not offenders, sorted(offenders)


def test_raw_sql_helper_is_not_imported_from_its_old_home() -> None:
    stale = {
        str(path.relative_to(ROOT))
        for path in _python_files()
        if "sampark.tenants.search.db" in imported_modules(path.read_text())
    }
    assert not stale, sorted(stale)
