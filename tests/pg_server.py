"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb and pg_ctl on 127.0.0.1.

    with throwaway_server() as server:      # or PostgresServer.start(folder) / .stop()
        url = server.url("postgres")

The cluster lives in a temporary folder, listens on a free port of 127.0.0.1 only, and takes
a password over TCP (so a wrong password is refused, as on a real server). initdb refuses to
run as root, so as root the cluster runs as the `postgres` user (or `nobody`).
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg

log = logging.getLogger(__name__)

SUPERUSER = "storybot_test"
START_TIMEOUT_S = 60


class ServerUnavailable(RuntimeError):
    """No PostgreSQL server could be started here (the message says why)."""


def find_bin_dir() -> Path | None:
    """The newest `/usr/lib/postgresql/N/bin` holding initdb and pg_ctl, else PATH's."""
    found = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    for folder in reversed(found):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _unprivileged_user() -> pwd.struct_passwd | None:
    """Who runs the cluster: nobody needs to change when not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise ServerUnavailable("running as root and there is no postgres or nobody user")


@dataclass
class PostgresServer:
    """A running cluster; `url(database)` connects as its superuser."""

    folder: Path
    bin_dir: Path
    port: int
    password: str
    owner: pwd.struct_passwd | None
    host: str = "127.0.0.1"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}:{self.password}@{self.host}:{self.port}/{database}"

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    @classmethod
    def start(cls, folder: Path, *, durable: bool = False) -> PostgresServer:
        """initdb in `folder` and start the server. `durable=False` turns fsync off (tests
        need no crash safety of the server itself; benchmarks ask for durable)."""
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise ServerUnavailable("no PostgreSQL server binaries (initdb, pg_ctl) found")
        owner = _unprivileged_user()
        password = secrets.token_hex(16)
        folder.mkdir(parents=True, exist_ok=True)
        password_file = folder / "pwfile"
        password_file.write_text(password + "\n", "utf-8")
        if owner is not None:
            os.chown(folder, owner.pw_uid, owner.pw_gid)
            os.chown(password_file, owner.pw_uid, owner.pw_gid)
        server = cls(folder, bin_dir, free_port(), password, owner)
        server._run(
            "initdb",
            "--pgdata",
            str(server.data_dir),
            "--username",
            SUPERUSER,
            "--pwfile",
            str(password_file),
            "--auth-local",
            "trust",
            "--auth-host",
            "scram-sha-256",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        )
        settings = [
            f"port = {server.port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{folder}'",
            "max_connections = 200",
        ]
        if not durable:
            settings += ["fsync = off", "full_page_writes = off"]
        with (server.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n".join(["", "# throwaway test cluster", *settings, ""]))
        server.resume()
        log.info("throwaway PostgreSQL started on %s:%d", server.host, server.port)
        return server

    def pg_ctl(self, action: str, *args: str) -> None:
        """`pg_ctl ACTION` on this cluster, waiting for it to be done."""
        log_file = self.folder / "server.log"
        self._run("pg_ctl", action, "--pgdata", str(self.data_dir), "-l", str(log_file), *args)

    def pause(self) -> None:
        """Stop the server (its clients lose their connections); `resume` starts it again."""
        self.pg_ctl("stop", "-m", "fast", "-w", "-t", str(START_TIMEOUT_S))

    def resume(self) -> None:
        self.pg_ctl("start", "-w", "-t", str(START_TIMEOUT_S))

    def stop(self) -> None:
        with contextlib.suppress(ServerUnavailable):
            self.pg_ctl("stop", "-m", "immediate", "-w")

    def _run(self, program: str, *args: str) -> None:
        user = None if self.owner is None else self.owner.pw_uid
        group = None if self.owner is None else self.owner.pw_gid
        result = subprocess.run(
            [str(self.bin_dir / program), *args],
            capture_output=True,
            text=True,
            user=user,
            group=group,
            cwd=self.folder,
            check=False,
            timeout=START_TIMEOUT_S * 2,
        )
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise ServerUnavailable(
                f"{program} failed ({result.returncode}): {detail[-1] if detail else ''}"
            )


@contextlib.contextmanager
def throwaway_server(*, durable: bool = False) -> Iterator[PostgresServer]:
    """A started cluster in a fresh temporary folder, stopped and removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="storybot-pg-"))
    try:
        server = PostgresServer.start(folder, durable=durable)
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def with_database(url: str, database: str) -> str:
    """`url` pointing at another database of the same server."""
    return urlsplit(url)._replace(path="/" + database).geturl()


async def create_database(admin_url: str) -> str:
    """A new empty database on the server of `admin_url`; its URL."""
    name = f"storybot_test_{secrets.token_hex(6)}"  # ours: safe to put in the statement
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_database(admin_url, name)


async def drop_database(admin_url: str, url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
