"""The one place the environment is read: every setting that differs between
machines comes from a variable named here, with an embedded default that lets
`make run` start on a fresh machine."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

#: Everything the service writes beside its code when no server is named: the SQLite
#: database, the filesystem broker, collected static files, uploads, screenshots.
VAR_DIR = Path(env("CADRECARE_VAR_DIR", default=str(BASE_DIR / "var")))
