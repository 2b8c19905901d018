"""The installed package layout matches the source tree, and its data files are reachable."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ROOTS = ("diplograph", "graph", "ingest", "ontology")


def _setuptools() -> dict:
    with (REPO / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["setuptools"]


def _dotted(folder: Path, package_dir: dict[str, str]) -> str:
    """The package name a source folder installs as, through ``package-dir``."""
    rel = folder.relative_to(REPO).as_posix()
    best = max((d for d in package_dir.values() if rel == d or rel.startswith(d + "/")),
               key=len, default=None)
    assert best is not None, f"{rel} is under no package-dir entry"
    name = next(n for n, d in package_dir.items() if d == best)
    rest = rel[len(best):].strip("/")
    return f"{name}.{rest.replace('/', '.')}" if rest else name


def test_every_source_package_is_declared_and_every_declared_package_exists() -> None:
    cfg = _setuptools()
    package_dir = cfg["package-dir"]
    found = {
        _dotted(init.parent, package_dir)
        for root in ROOTS
        for init in (REPO / root).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found == set(cfg["packages"])


def test_package_dir_points_at_existing_folders() -> None:
    for name, folder in _setuptools()["package-dir"].items():
        assert (REPO / folder / "__init__.py").is_file(), name


DATA = [
    ("diplograph.ingest.data", "*.json", REPO / "ingest" / "data"),
    ("diplograph.ontology", "*.ttl", REPO / "ontology"),
    ("diplograph.ontology.gazetteer", "*.json", REPO / "ontology" / "gazetteer"),
    ("diplograph.ontology", "*.json", REPO / "ontology"),
    ("diplograph.ontology", "*.jsonld", REPO / "ontology"),
    ("diplograph.ontology.queries", "*.rq", REPO / "ontology" / "queries"),
]


@pytest.mark.parametrize(("package", "pattern", "folder"), DATA,
                         ids=[f"{p}/{g}" for p, g, _ in DATA])
def test_data_files_are_readable_through_importlib_resources(
    package: str, pattern: str, folder: Path
) -> None:
    names = sorted(p.name for p in folder.glob(pattern))
    assert names, f"no {pattern} in {folder}"
    root = resources.files(package)
    for name in names:
        text = root.joinpath(name).read_text(encoding="utf-8")
        assert text.strip(), name
        if name.endswith(".json"):
            json.loads(text)


@pytest.mark.parametrize(("package", "pattern", "folder"), DATA,
                         ids=[f"{p}/{g}" for p, g, _ in DATA])
def test_data_file_patterns_are_declared_as_package_data(
    package: str, pattern: str, folder: Path
) -> None:
    assert pattern in _setuptools()["package-data"].get(package, [])


def test_turtle_files_parse() -> None:
    import rdflib

    root = resources.files("diplograph.ontology")
    for path in sorted((REPO / "ontology").glob("*.ttl")):
        g = rdflib.Graph()
        g.parse(data=root.joinpath(path.name).read_text(encoding="utf-8"), format="turtle")
        assert len(g) > 0, path.name
