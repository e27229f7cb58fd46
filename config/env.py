"""The one place the environment is read: every setting that differs between
machines comes from a variable named here, with an embedded default that lets
`make run` start on a fresh machine."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
