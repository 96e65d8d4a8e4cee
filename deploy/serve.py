"""`make serve N=2`: N replicas of the dashboard behind nginx on one port, in the foreground.

Starts N `streamlit run app.py` replicas on free loopback ports, writes deploy/nginx.conf and
the replicas' upstream groups into a temporary folder and runs Debian's nginx from there, as
the current user and not as a daemon. Then, once a second, it asks every replica's
/_stcore/health:

- a replica that fails two checks in a row leaves the rotation (replicas.conf is rewritten and
  nginx reloaded; open websockets stay with their old nginx worker, undisturbed), and rejoins it
  once it answers again;
- a replica whose process ended is started again on its port; one that has not answered for
  --restart-after seconds is killed and started again.

Between two checks nginx's own passive checks cover a replica that refuses connections: the
request goes to the next replica. Ctrl-C (SIGINT) or SIGTERM stops nginx, then every replica,
and waits for them; the children also get SIGTERM if this process is killed outright.
Each line this prints starts with "serve:"; the replicas' and nginx's logs follow, prefixed.
"""

from __future__ import annotations

import argparse
import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx.conf"
CHECK_EVERY_S = 1.0
HEALTH_TIMEOUT_S = 2.0
DOWN_AFTER = 2  # failed checks in a row before a replica leaves the rotation
RESTART_AFTER_S = 30.0  # default for --restart-after
START_TIMEOUT_S = 120.0  # a replica (re)started this long ago that never answered is restarted
RESTART_GAP_S = 5.0  # at most one start of a replica per this many seconds (a crash loop)
FAIL_TIMEOUT_S = 2  # nginx: a replica that failed a request is skipped this long
STOP_WAIT_S = 10.0


def say(message: str) -> None:
    """One line of the supervisor's own output."""
    print(f"serve: {message}", flush=True)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _relay(stream, prefix: str) -> None:
    """Copy a child's output to ours, each line prefixed with its name."""
    for line in iter(stream.readline, b""):
        sys.stdout.write(f"{prefix} | {line.decode(errors='replace').rstrip()}\n")
        sys.stdout.flush()


def _spawn(cmd: list[str], name: str, **kw) -> subprocess.Popen:
    """Start a child in its own process group (a terminal's Ctrl-C reaches only us, and we stop
    the children in order) that gets SIGTERM if we die without stopping it (setpriv)."""
    if shutil.which("setpriv"):
        cmd = ["setpriv", "--pdeathsig", "TERM", "--", *cmd]
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        process_group=0, **kw,
    )  # fmt: skip
    threading.Thread(target=_relay, args=(proc.stderr, name), daemon=True).start()
    return proc


def _end(proc: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    """Signal a child, wait up to STOP_WAIT_S, then kill it."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(STOP_WAIT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def healthy(base_url: str) -> bool:
    """Whether <base_url>/_stcore/health answers ok now."""
    url = f"{base_url}/_stcore/health"  # http://<loopback or --bind>:<port>, built here
    try:
        with urllib.request.urlopen(url, timeout=HEALTH_TIMEOUT_S) as r:  # noqa: S310
            return r.read() == b"ok"
    except OSError:
        return False


class Replica:
    """One `streamlit run app.py` on a loopback port, and what the checks found."""

    def __init__(self, index: int, port: int, data_dir: Path | None):
        self.name, self.port, self.data_dir = f"r{index}", port, data_dir
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None
        self.started = 0.0
        self.in_rotation = True  # as nginx was last told
        self.failures = 0  # failed checks in a row
        self.answered = 0.0  # when its health check last passed (0: not since it started)

    def start(self) -> None:
        """Start the process (it answers /_stcore/health a few seconds later)."""
        env = dict(os.environ)
        if self.data_dir is not None:
            env["FOOTPRINT_DATA_DIR"] = str(self.data_dir)
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.port", str(self.port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        self.proc = _spawn(cmd, self.name, cwd=ROOT, env=env)
        self.started, self.failures, self.answered = time.monotonic(), 0, 0.0
        say(f"replica {self.name} pid {self.proc.pid} on {self.url}")

    def healthy(self) -> bool:
        """Whether /_stcore/health answers ok now."""
        return healthy(self.url)

    def record(self, ok: bool) -> None:
        """Note one check's result."""
        self.failures = 0 if ok else self.failures + 1
        if ok:
            self.answered = time.monotonic()

    def stuck(self, restart_after: float) -> bool:
        """Whether it should be killed and started again: silent for too long."""
        since = self.answered or self.started
        limit = restart_after if self.answered else max(restart_after, START_TIMEOUT_S)
        return self.failures > 0 and time.monotonic() - since > limit


def replicas_conf(replicas: list[Replica], fail_s: int = FAIL_TIMEOUT_S) -> str:
    """nginx's upstream groups and name maps for these replicas (those out of rotation `down`).

    footprint_any balances new browsers over every replica; footprint_rK is replica K first and
    the others as backups. If no replica is in rotation, all are listed as up: trying is better
    than a certain 502.
    """
    up = {r.name for r in replicas if r.in_rotation} or {r.name for r in replicas}

    def server(r: Replica, extra: str = "") -> str:
        down = "" if r.name in up else " down"
        return f"    server 127.0.0.1:{r.port} max_fails=1 fail_timeout={fail_s}s{extra}{down};"

    blocks = ["upstream footprint_any {", "    least_conn;"]
    blocks += [server(r) for r in replicas] + ["    keepalive 16;", "}"]
    for first in replicas:
        blocks += [f"upstream footprint_{first.name} {{", server(first)]
        blocks += [server(r, " backup") for r in replicas if r is not first]
        blocks += ["    keepalive 16;", "}"]
    blocks += ["map $cookie_fp_replica $footprint_group {"]
    blocks += [f"    {r.name} footprint_{r.name};" for r in replicas]
    blocks += ["    default footprint_any;", "}", "map $upstream_addr $footprint_replica {"]
    # $upstream_addr lists every replica tried, the one that answered last.
    blocks += [rf'    "~(^|\s)127\.0\.0\.1:{r.port}$" {r.name};' for r in replicas]
    blocks += ['    default "";', "}"]
    return "\n".join(blocks) + "\n"


def nginx_conf(listen: str) -> str:
    """deploy/nginx.conf with its @...@ values filled in."""
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""  # workers stay as we are
    return TEMPLATE.read_text().replace("@LISTEN@", listen).replace("@USER@", user)


class Proxy:
    """nginx, run from a folder of its own with the generated configuration."""

    def __init__(self, folder: Path, listen: str, replicas: list[Replica]):
        self.folder, self.replicas = folder, replicas
        for sub in ("logs", "tmp"):
            (folder / sub).mkdir(exist_ok=True)
        (folder / "nginx.conf").write_text(nginx_conf(listen))
        self.write()
        self.proc: subprocess.Popen | None = None

    def write(self) -> None:
        """Write replicas.conf from the replicas' current rotation."""
        (self.folder / "replicas.conf").write_text(replicas_conf(self.replicas))

    def command(self, *extra: str) -> list[str]:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        conf = str(self.folder / "nginx.conf")
        return [nginx, "-p", f"{self.folder}/", "-c", conf, "-e", "stderr", *extra]

    def start(self) -> None:
        """Check the configuration, then start nginx in the foreground."""
        check = subprocess.run(self.command("-t", "-q"), capture_output=True, text=True)
        if check.returncode != 0:
            raise SystemExit(f"serve: nginx refused its configuration:\n{check.stderr}")
        self.proc = _spawn(self.command(), "nginx")
        say(f"nginx pid {self.proc.pid}, configuration and logs in {self.folder}")

    def reload(self) -> None:
        """Apply a new rotation: new workers take new connections; old ones keep theirs."""
        self.write()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        """Fast shutdown: close every connection now (SIGTERM), then wait."""
        _end(self.proc)


def wait_ready(replicas: list[Replica], stop: threading.Event) -> None:
    """Wait until every replica answers; exit if one ends or never answers."""
    waiting = list(replicas)
    deadline = time.monotonic() + START_TIMEOUT_S
    while waiting and not stop.is_set():
        for r in list(waiting):
            if r.proc.poll() is not None:
                raise SystemExit(f"serve: replica {r.name} exited ({r.proc.returncode}) on start")
            if r.healthy():
                r.record(True)
                waiting.remove(r)
        if time.monotonic() > deadline:
            raise SystemExit(f"serve: no answer from {[r.url for r in waiting]} on start")
        stop.wait(0.2)


def check(replicas: list[Replica], proxy: Proxy, pool, restart_after: float) -> None:
    """One round of health checks; restart and re-route as the results say."""
    alive = [r.proc.poll() is None for r in replicas]
    results = list(pool.map(lambda r: r.proc.poll() is None and r.healthy(), replicas))
    changed = False
    for r, ok, was_alive in zip(replicas, results, alive, strict=True):
        r.record(ok)
        if ok != r.in_rotation and (ok or r.failures >= DOWN_AFTER or not was_alive):
            r.in_rotation, changed = ok, True
            say(f"replica {r.name} {'back in' if ok else 'out of'} the rotation")
    if changed:
        proxy.reload()
    for r in replicas:
        if time.monotonic() - r.started < RESTART_GAP_S:
            continue
        if r.proc.poll() is not None:
            say(f"replica {r.name} exited ({r.proc.returncode}); starting it again")
            r.start()
        elif r.stuck(restart_after):
            say(f"replica {r.name} has not answered for {restart_after:g} s; restarting it")
            _end(r.proc, signal.SIGKILL)
            r.start()


def serve(args, folder: Path, stop: threading.Event) -> int:
    """Start everything, watch it until `stop` is set, then stop it all."""
    replicas = [Replica(i + 1, free_port(), args.data) for i in range(args.replicas)]
    proxy = Proxy(folder, f"{args.bind}:{args.port}" if args.bind else str(args.port), replicas)
    try:
        for r in replicas:
            r.start()
        wait_ready(replicas, stop)
        proxy.start()
        deadline = time.monotonic() + 10
        while not healthy(f"http://{args.bind or '127.0.0.1'}:{args.port}") and not stop.is_set():
            if proxy.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"serve: nginx does not answer on port {args.port}")
            stop.wait(0.1)
        host = args.bind or "localhost"
        say(f"ready: http://{host}:{args.port} ({args.replicas} replicas; Ctrl-C stops them all)")
        with ThreadPoolExecutor(len(replicas)) as pool:
            while not stop.wait(CHECK_EVERY_S):
                if proxy.proc.poll() is not None:
                    say(f"nginx exited ({proxy.proc.returncode}); stopping")
                    return 1
                check(replicas, proxy, pool, args.restart_after)
        return 0
    finally:
        say("stopping")
        proxy.stop()
        for r in replicas:
            if r.proc is not None and r.proc.poll() is None:
                r.proc.terminate()
        for r in replicas:
            _end(r.proc)
        say("stopped")


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, check nginx is there, and serve until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", "-n", type=int, default=2)
    parser.add_argument("--port", type=int, default=8500, help="the public port (nginx)")
    parser.add_argument("--bind", default="", help="the address nginx listens on (default: all)")
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder (default: $FOOTPRINT_DATA_DIR, else data/)")  # fmt: skip
    parser.add_argument("--restart-after", type=float, default=RESTART_AFTER_S,
                        help="seconds without a health answer before a restart")  # fmt: skip
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        raise SystemExit("serve: nginx is not installed: run scripts/install-debian.sh --serve")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    with tempfile.TemporaryDirectory(prefix="footprint-serve-") as folder:
        return serve(args, Path(folder), stop)


if __name__ == "__main__":
    sys.exit(main())
