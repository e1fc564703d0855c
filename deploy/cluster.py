"""A PostgreSQL cluster of our own on a free localhost port: for the store tests, CI and `make team`.

Debian's `postgresql` package (installed with apt-get when missing and root) provides the binaries. `initdb`
refuses to run as root, so as root the cluster belongs to the `postgres` user and every command runs through
`runuser`; its data folder and socket folder are fresh temporary folders, so it never touches a system cluster.
Clients connect over TCP on 127.0.0.1 with a generated password (scram-sha-256).

    python -m deploy.cluster start --dir /tmp/atlas-pg [--port 5433] [--fast]   # prints the database URL
    python -m deploy.cluster stop --dir /tmp/atlas-pg
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

DATABASE = "atlas"
USER = "atlas"
STATE_FILE = "cluster.json"


class ClusterError(RuntimeError):
    """PostgreSQL is missing or would not start; the message says what to do."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_root() -> bool:
    return os.geteuid() == 0


def bin_dir() -> Path | None:
    """Debian's newest PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin), else initdb on PATH."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def apt_install(package: str) -> None:
    """apt-get install a Debian package when root with apt (as in CI); otherwise leave the machine alone."""
    if is_root() and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=False, env=env, capture_output=True)


def install_postgresql() -> bool:
    """Install Debian's postgresql when missing (root with apt); whether the binaries are there afterwards."""
    if bin_dir() is None:
        apt_install("postgresql")
    return bin_dir() is not None


@dataclass
class Cluster:
    """A running cluster: where its files are, its port, and the URL the app takes (ATLAS_DATABASE_URL)."""

    folder: str
    port: int
    password: str
    bin: str

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{USER}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    @property
    def data_dir(self) -> Path:
        return Path(self.folder) / "data"

    @property
    def log_path(self) -> Path:
        return Path(self.folder) / "postgres.log"

    def start(self) -> None:
        """Start (or start again after `stop`) and wait until it accepts connections."""
        options = f"-p {self.port} -k {Path(self.folder) / 'sockets'} -c listen_addresses=127.0.0.1"
        if (Path(self.folder) / "fast").exists():
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        _as_owner([f"{self.bin}/pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_path), "-o", options, "-w", "-t", "60", "start"])

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (`immediate` is a crash, as when the machine goes away)."""
        _as_owner([f"{self.bin}/pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "stop"], check=False)

    def is_running(self) -> bool:
        return subprocess.run([f"{self.bin}/pg_ctl", "-D", str(self.data_dir), "status"], capture_output=True,
                              user="postgres" if is_root() else None).returncode == 0


def _as_owner(command: list[str], check: bool = True) -> subprocess.CompletedProcess:
    """Run a server command as the cluster's owner: `postgres` when we are root (initdb refuses root)."""
    if is_root():
        command = ["runuser", "-u", "postgres", "--", *command]
    done = subprocess.run(command, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise ClusterError(f"{Path(command[-1] if command[-1] not in ('start', 'stop') else command[0]).name} failed: {(done.stderr or done.stdout).strip()[-1500:]}")
    return done


def create_cluster(folder: Path | None = None, port: int | None = None, *, fast: bool = False) -> Cluster:
    """initdb a new cluster in `folder` (a fresh temporary folder by default), start it, create the atlas database.

    `fast` turns off fsync (tests only: a crash of the machine may lose what was committed).
    """
    binaries = bin_dir()
    if binaries is None:
        raise ClusterError("PostgreSQL is not installed: apt-get install postgresql (Debian), or set ATLAS_DATABASE_URL to a server")
    state_folder = Path(folder) if folder else None
    folder = Path(tempfile.mkdtemp(prefix="claim-atlas-pg-")) if folder is None else _server_home(Path(folder))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sockets").mkdir(exist_ok=True)
    if fast:
        (folder / "fast").touch()
    password = secrets.token_urlsafe(18)
    pwfile = folder / "pwfile"
    pwfile.write_text(password + "\n")
    if is_root():
        shutil.chown(folder, "postgres", "postgres")
        for path in folder.iterdir():
            shutil.chown(path, "postgres", "postgres")
    os.chmod(folder, 0o700)
    _as_owner([f"{binaries}/initdb", "-D", str(folder / "data"), "-U", USER, "--pwfile", str(pwfile), "-E", "UTF8",
               "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"])
    pwfile.unlink()
    cluster = Cluster(str(folder), port or free_port(), password, str(binaries))
    cluster.start()
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=cluster.port, user=USER, password=password, dbname="postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")
    for place in {folder, state_folder or folder}:
        place.mkdir(parents=True, exist_ok=True)
        state = place / STATE_FILE
        state.write_text(json.dumps(asdict(cluster)))
        os.chmod(state, 0o600)
    return cluster


def _server_home(folder: Path) -> Path:
    """Where the server's files go for a cluster named by `folder`: the folder itself, except as root.

    As root the server runs as `postgres`, which cannot enter root's folders (e.g. /root/.local/share): its files
    then live under /var/lib/postgresql (Debian's home of that user), and `folder` keeps only the state file.
    """
    if not is_root():
        return folder
    import hashlib

    base = Path("/var/lib/postgresql") if Path("/var/lib/postgresql").is_dir() else Path(tempfile.gettempdir())
    return base / f"claim-atlas-{hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:12]}"


def open_cluster(folder: Path) -> Cluster:
    """The cluster created earlier in `folder`."""
    return Cluster(**json.loads((Path(folder) / STATE_FILE).read_text()))


def remove_cluster(cluster: Cluster, state_folder: Path | None = None) -> None:
    """Stop the server and delete its files (and the state file in `state_folder`, when given)."""
    cluster.stop("immediate")
    shutil.rmtree(cluster.folder, ignore_errors=True)
    if state_folder is not None:
        (Path(state_folder) / STATE_FILE).unlink(missing_ok=True)


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise ClusterError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A PostgreSQL cluster of our own on localhost")
    parser.add_argument("action", choices=["start", "stop", "remove"])
    parser.add_argument("--dir", type=Path, required=True, help="the cluster's folder (created by start)")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--fast", action="store_true", help="fsync off (tests)")
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            if (args.dir / STATE_FILE).exists():
                cluster = open_cluster(args.dir)
                if not cluster.is_running():
                    cluster.start()
            else:
                if not install_postgresql():
                    raise ClusterError("PostgreSQL is not installed and cannot be installed here (needs root and apt-get)")
                cluster = create_cluster(args.dir, args.port, fast=args.fast)
            print(cluster.url)
        elif args.action == "stop":
            open_cluster(args.dir).stop()
        else:
            remove_cluster(open_cluster(args.dir), args.dir)
    except ClusterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
