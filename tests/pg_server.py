"""A throwaway PostgreSQL server for tests: Debian's binaries, own data dir in /tmp, own port, run as `postgres`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


def find_bindir() -> Path | None:
    """Folder of initdb/pg_ctl: Debian's newest /usr/lib/postgresql/N/bin, else wherever PATH has initdb."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_owner(command: list[str]) -> list[str]:
    """initdb refuses to run as root: as root, run the command as the `postgres` user instead."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class PgServer:
    """A running server: superuser `postgres`, trust auth on 127.0.0.1 only."""

    bindir: Path
    data_dir: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        """Connection URL of one database."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """An empty schema of its own (one per test keeps tests apart) and the URL whose search_path is it."""
        import psycopg

        # A schema, not a database: CREATE DATABASE copies ~8 MB per test, and the scrubbing tests read every file.
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return f"{self.url()}?options=-csearch_path%3D{name}"

    def stored_bytes(self) -> bytes:
        """Every byte in the server's files (tables, WAL, everything): what a disk thief would read."""
        chunks = []
        for path in sorted(self.data_dir.rglob("*")):
            if path.is_file():
                try:
                    chunks.append(path.read_bytes())
                except OSError:  # a file removed while we walk (a recycled WAL segment)
                    pass
        return b"".join(chunks)


@contextmanager
def postgres_server(bindir: Path, wait_s: int = 60) -> Iterator[PgServer]:
    """Start a fresh server (initdb, pg_ctl start) and stop it and delete its files afterwards, even on failure."""
    # Not under pytest's tmp_path: that is private to this user, and the server runs as `postgres`.
    root = Path(tempfile.mkdtemp(prefix="recbot-pg-"))
    data = root / "data"
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    server = PgServer(bindir, data, port)
    try:
        subprocess.run(as_owner([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                 "-E", "UTF8", "--no-instructions"]),
                       check=True, capture_output=True, timeout=120, cwd=root)
        options = (f"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root} "
                   # wal_recycle=off: a checkpoint deletes old WAL segments rather than keeping them for reuse,
                   # so a forgotten session's bytes leave the disk (what the scrubbing tests check).
                   "-c wal_recycle=off -c max_connections=200")
        subprocess.run(as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
                                 "-o", options, "-w", "-t", str(wait_s), "start"]),
                       check=True, capture_output=True, timeout=wait_s + 30, cwd=root)
        yield server
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                           capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)
