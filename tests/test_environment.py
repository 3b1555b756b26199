"""environment.yml (for conda users) must list exactly what pyproject.toml asks for."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*$")


def _key(requirement: str) -> tuple[str, str]:
    name, spec = _REQ.match(requirement).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def _environment():
    """A small parser for our environment.yml (flat lists; avoids a YAML dependency)."""
    name, channels, conda, pip, section = None, [], [], [], None
    for raw in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if not line.startswith(" "):
            key, _, value = line.partition(":")
            section = key.strip()
            if section == "name":
                name = value.strip()
            continue
        item = line.strip()
        if item == "- pip:":
            section = "pip"
        elif item.startswith("- "):
            {"channels": channels, "dependencies": conda, "pip": pip}[section].append(item[2:])
    return name, channels, conda, pip


def _pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return project["dependencies"], extras


def test_environment_matches_pyproject():
    name, channels, conda, pip = _environment()
    deps, extras = _pyproject()
    assert name == "qzanalysis"
    assert channels == ["conda-forge"]
    assert "pip" in conda, "pip must be listed explicitly"
    assert "-e ." in pip, "the package itself is installed with pip -e ."
    wanted = dict(_key(r) for r in [*deps, *extras["test"], *extras["lab"]])
    listed = dict(_key(r) for r in [*conda, *pip] if r not in ("pip", "-e ."))
    listed.pop("python")
    assert listed == wanted


def test_python_version_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    _, _, conda, _ = _environment()
    assert f"python{project['requires-python']}" in conda
