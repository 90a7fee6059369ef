"""Map the fixed top-level folders to `sampark.*` import packages.

Folder roots carry no ``__init__.py`` (see docs/architecture.md), so they are listed here explicitly and every
sub-package below them is discovered by walking the tree.
"""

from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).resolve().parent
FOLDERS = {
    "platform": "sampark.platform",
    "tenants": "sampark.tenants",
    "billing": "sampark.billing",
    "workers": "sampark.workers",
    "web": "sampark.web",
}


def _packages() -> tuple[list[str], dict[str, str]]:
    packages: list[str] = []
    package_dir: dict[str, str] = {}
    for folder, name in FOLDERS.items():
        packages.append(name)
        package_dir[name] = folder
        for init in sorted((ROOT / folder).rglob("__init__.py")):
            relative = init.parent.relative_to(ROOT / folder)
            packages.append(".".join([name, *relative.parts]))
    return packages, package_dir


PACKAGES, PACKAGE_DIR = _packages()

setup(
    packages=PACKAGES,
    package_dir=PACKAGE_DIR,
    package_data={
        "sampark.web": ["templates/**/*", "static/**/*"],
        "sampark.platform.i18n": ["locale/**/*"],
        "sampark.platform.identity": ["*.txt"],
        "sampark.platform.mail": ["templates/*"],
    },
)
