"""A team deployment on one machine: PostgreSQL, two (or more) app replicas and nginx in front, on localhost.

    python -m deploy.team [--port 8080] [--replicas 2] [--dir ~/.local/share/claim-atlas/team]   # `make team`

Everything runs in the foreground until Ctrl-C, which stops it all; the database stays in `--dir` for next time.
PostgreSQL: the cluster of deploy/cluster.py, unless ATLAS_DATABASE_URL names a server already (then none is
started). Each replica is `streamlit run app.py` on a free port with that URL; nginx (Debian's, installed with
apt-get when missing and root) listens on `--port` with session affinity by cookie and websocket proxying.
The replicas keep no state of their own: any number can run, on any machine that reaches the database.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from deploy.cluster import Cluster, ClusterError, apt_install, create_cluster, free_port, install_postgresql, is_root, open_cluster, STATE_FILE

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
START_TIMEOUT_S = 60


def nginx_binary() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def install_nginx() -> bool:
    """Install Debian's nginx when missing (root with apt); whether nginx is there afterwards."""
    if nginx_binary() is None:
        apt_install("nginx")
    return nginx_binary() is not None


@dataclass
class Replica:
    """One `streamlit run app.py` of the team."""

    name: str
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class Team:
    """What `running_team` started: the proxy's URL, the replicas, the database URL and the cluster (if ours)."""

    url: str
    database_url: str
    replicas: list[Replica]
    proxy: subprocess.Popen
    folder: Path
    cluster: Cluster | None = None
    env: dict[str, str] = field(default_factory=dict)

    def replica_of(self, upstream: str) -> Replica:
        """The replica an `X-Atlas-Replica` header (nginx's upstream address) names."""
        port = int(upstream.rsplit(":", 1)[-1])
        return next(r for r in self.replicas if r.port == port)


def start_replica(name: str, folder: Path, env: dict[str, str], port: int | None = None, args: tuple[str, ...] = ()) -> Replica:
    """Start one replica on a free port (no request leaves localhost) and wait for /_stcore/health.

    `args` go to `streamlit run` (e.g. `--secrets.files`, to give a replica an [auth] section of its own).
    """
    port = port or free_port()
    log_path = folder / f"{name}.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        # behind the proxy the browser's origin is the proxy's: Streamlit's XSRF/CORS checks would refuse uploads
        "--server.enableXsrfProtection", "false", "--server.enableCORS", "false",
        *args,
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    replica = Replica(name, port, process, log_path)
    wait_healthy(replica.url, process, replica.log)
    return replica


def wait_healthy(url: str, process: subprocess.Popen, log=lambda: "") -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}:\n{log()[-3000:]}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer /_stcore/health within {START_TIMEOUT_S} s:\n{log()[-3000:]}")


def write_nginx_conf(folder: Path, port: int, replica_ports: list[int]) -> Path:
    """nginx.conf for these replicas, its temporary folders beside it (owned by the workers' user when root)."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    user = ""
    if is_root():
        user = "user www-data;" if _has_user("www-data") else "user nobody nogroup;"
        owner = "www-data" if _has_user("www-data") else "nobody"
        for path in [folder / "tmp", *(folder / "tmp").iterdir()]:
            shutil.chown(path, owner)
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in replica_ports)
    text = TEMPLATE.read_text().format(user=user, folder=folder, port=port, servers=servers)
    conf = folder / "nginx.conf"
    conf.write_text(text)
    return conf


def _has_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def start_proxy(folder: Path, port: int, replica_ports: list[int]) -> subprocess.Popen:
    """nginx in the foreground (a child of ours), checked with `nginx -t` first."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed: apt-get install nginx (Debian)")
    conf = write_nginx_conf(folder, port, replica_ports)
    test = subprocess.run([binary, "-t", "-p", str(folder), "-c", str(conf)], capture_output=True, text=True)
    if test.returncode != 0:
        raise RuntimeError(f"nginx refused its configuration: {test.stderr.strip()[-1500:]}")
    log = open(folder / "nginx-stdout.log", "w")
    process = subprocess.Popen([binary, "-p", str(folder), "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    wait_healthy(f"http://127.0.0.1:{port}/", process, lambda: (folder / "nginx-error.log").read_text(errors="replace") if (folder / "nginx-error.log").exists() else "")
    return process


def stop(process: subprocess.Popen) -> None:
    """Stop a process we started (its own process group, by id), politely first."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def running_team(folder: Path, *, port: int | None = None, replicas: int = 2, env: dict[str, str] | None = None,
                 database_url: str | None = None, fast_database: bool = False) -> Iterator[Team]:
    """Start the database (unless a URL is given), the replicas and nginx; stop all of them afterwards."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cluster = None
    if database_url is None:
        database_url = os.environ.get("ATLAS_DATABASE_URL")
    if not database_url:
        if not install_postgresql():
            raise ClusterError("PostgreSQL is not installed and cannot be installed here (needs root and apt-get)")
        pg_folder = folder / "postgres"
        if (pg_folder / STATE_FILE).exists():
            cluster = open_cluster(pg_folder)
            if not cluster.is_running():
                cluster.start()
        else:
            cluster = create_cluster(pg_folder, fast=fast_database)
        database_url = cluster.url
    if not install_nginx():
        raise RuntimeError("nginx is not installed and cannot be installed here (needs root and apt-get)")
    server_env = {k: v for k, v in os.environ.items() if k not in ("ATLAS_DATA_DIR",)}
    server_env.update(ATLAS_DATABASE_URL=database_url, STREAMLIT_SERVER_ADDRESS="127.0.0.1",
                      STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", PYTHONUNBUFFERED="1")
    server_env.update(env or {})
    started: list[Replica] = []
    proxy = None
    try:
        for number in range(replicas):
            started.append(start_replica(f"replica-{number + 1}", folder, server_env))
        port = port or free_port()
        proxy = start_proxy(folder, port, [r.port for r in started])
        yield Team(f"http://127.0.0.1:{port}/", database_url, started, proxy, folder, cluster, server_env)
    finally:
        if proxy is not None:
            stop(proxy)
        for replica in started:
            stop(replica.process)
        if cluster is not None:
            cluster.stop()


def _stop_on_signal(number, frame) -> None:
    """SIGTERM / SIGHUP stop the team like Ctrl-C (the replicas, nginx and the database are stopped in order)."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Claim Atlas for a team: PostgreSQL, app replicas and nginx on localhost")
    parser.add_argument("--port", type=int, default=int(os.environ.get("TEAM_PORT", "8080")))
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("ATLAS_TEAM_DIR", Path.home() / ".local" / "share" / "claim-atlas" / "team")))
    args = parser.parse_args(argv)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _stop_on_signal)
    try:
        with running_team(args.dir, port=args.port, replicas=args.replicas) as team:
            print(f"Claim Atlas for a team: {team.url}", flush=True)
            for replica in team.replicas:
                print(f"  {replica.name}: {replica.url} (log: {replica.log_path})", flush=True)
            print(f"  database: {team.cluster.folder if team.cluster else 'ATLAS_DATABASE_URL'}; Ctrl-C stops everything", flush=True)
            while all(r.process.poll() is None for r in team.replicas) and team.proxy.poll() is None:
                time.sleep(1)
            print("a replica or nginx stopped; stopping the rest", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        return 0
    except (ClusterError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
