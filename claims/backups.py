"""Database backups: `pg_dump` and `pg_restore` with the app's own connection settings.

A custom-format dump (`pg_dump -Fc`) is compressed, holds the schema, the data, the counting
triggers and the search indexes, and restores with `pg_restore` into an empty database or over
an existing one (`--clean`). The password goes to the child in `PGPASSWORD`, never on its
command line (where `ps` would show it). PostgreSQL only: the demo's SQLite file is copied
with `sqlite3 db.sqlite3 ".backup copy.sqlite3"`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    """A dump or restore failed; the message says why (the tool's own error)."""


def _postgres_env(db: dict) -> tuple[list[str], dict[str, str]]:
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _postgres(alias: str) -> dict:
    db = connections[alias].settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            "backups are for PostgreSQL; copy the demo's SQLite file with "
            'sqlite3 db.sqlite3 ".backup copy.sqlite3"'
        )
    return db


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{command[0]} exited {result.returncode}")


def backup(path: Path, *, alias: str = "default") -> Path:
    """Write a backup of the database to `path` and return it."""
    db = _postgres(alias)
    path.parent.mkdir(parents=True, exist_ok=True)
    args, env = _postgres_env(db)
    _run(
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            *args,
            "--file",
            str(path),
        ],
        env,
    )
    return path


def restore(path: Path, *, alias: str = "default") -> None:
    """Replace what the database holds with the backup at `path`.

    PostgreSQL: everything the dump holds is dropped and made again in one transaction, so a
    failed restore leaves the database as it was.
    """
    db = _postgres(alias)
    if not path.exists():
        raise BackupError(f"{path} does not exist")
    connections[alias].close()  # our own session must not hold locks on what is dropped
    args, env = _postgres_env(db)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            "--dbname",
            str(db["NAME"]),
            str(path),
        ],
        env,
    )
