"""The import contracts (pyproject.toml's ``[tool.importlinter]``, checked by
``make lint``) hold every app: an app they do not name is held to no layer, so
a new app must take its place in them."""

from __future__ import annotations

import re
import tomllib

from tests.processes import ROOT


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def _apps() -> set[str]:
    return {f"cadrecare.{path.name}" for path in (ROOT / "cadrecare").iterdir() if (path / "__init__.py").exists()}


def test_every_app_has_its_place_in_the_layers() -> None:
    named = set(re.findall(r"[\w.]+", " ".join(_contracts()["layers"]["layers"])))

    assert _apps() - named == set()


def test_every_app_below_the_workbench_is_forbidden_to_import_the_celery_tasks() -> None:
    sources = set(_contracts()["tasks-by-name"]["source_modules"])

    assert _apps() - {"cadrecare.web"} - sources == set()
