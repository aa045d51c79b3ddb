"""One pin list: requirements.txt pins everything; environment.yml and pyproject agree with it."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"{line!r} is not pinned with =="
            found[name.lower()] = version
    return found


def test_every_requirement_is_pinned_and_commented():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert "==" in line and "#" in line, f"{line!r} needs an exact pin and a comment saying what it is for"


def test_environment_yml_lists_the_same_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    listed = {}
    for entry in pip_section:
        if entry.startswith("-"):
            continue
        name, _, version = entry.partition("==")
        listed[name.lower()] = version
    assert listed == pins()
    python = next(item for item in env["dependencies"] if isinstance(item, str) and item.startswith("python"))
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert re.sub(r"\D", "", python.split("=")[1]) == re.sub(r"\D", "", requires)


def test_pyproject_reads_dependencies_from_the_pin_list():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "dependencies" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["dependencies"]["file"] == ["requirements.txt"]


def test_installed_versions_match_the_pins():
    from importlib.metadata import version

    for name, pinned in pins().items():
        assert version(name) == pinned, f"{name} {version(name)} is installed but {pinned} is pinned"
