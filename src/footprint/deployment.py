"""`deploy/serve.py` (what `make serve` runs) as a test or the bench drives it.

Runs it as a child process on free ports, reads what it prints ("serve: ..." lines: the
replicas' pids and ports, nginx's folder, ready, each change of the rotation), and stops it with
a signal, checking that nothing it started is left running.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from footprint.harness import ROOT, free_port, wait_for_health

SERVE = ROOT / "deploy" / "serve.py"
START_TIMEOUT_S = 240  # two replicas warming up on two busy cores, then nginx


class Deployment:
    """N replicas behind nginx, started by deploy/serve.py; ready once it says so."""

    def __init__(self, replicas: int, data_dir: Path, *extra: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [
            sys.executable, str(SERVE), "--replicas", str(replicas), "--port", str(self.port),
            "--bind", "127.0.0.1", "--data", str(data_dir), *extra,
        ]  # fmt: skip
        # A session of its own, as in a terminal: SIGINT to the group is a person's Ctrl-C.
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        self.lines: list[tuple[float, str]] = []  # (time.monotonic(), line), every line
        self.started: set[int] = set()  # every pid it started, nginx's workers too
        self._changed = threading.Condition()
        self._eof = False
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for(r"^serve: ready", timeout=START_TIMEOUT_S)
        self.wait_healthy()
        self.started |= self._nginx_workers()

    def _read(self) -> None:
        assert self.proc.stdout is not None  # stdout=PIPE
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append((time.monotonic(), line.rstrip("\n")))
                self._changed.notify_all()
        with self._changed:
            self._eof = True
            self._changed.notify_all()

    def wait_for(self, pattern: str, after: float = 0.0, timeout: float = 60) -> tuple:
        """The first line matching `pattern` printed at or after `after`: (time, match)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for t, line in self.lines:
                    if t >= after and (m := re.search(pattern, line)):
                        return t, m
                if self._eof:
                    raise RuntimeError(f"serve.py exited:\n{self.log()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"no line like {pattern!r} within {timeout} s:\n{self.log()}"
                    )
                self._changed.wait(min(left, 1.0))

    def log(self, last: int = 60) -> str:
        return "\n".join(line for _, line in self.lines[-last:])

    def wait_healthy(self, timeout: float = 30) -> None:
        """Wait until /_stcore/health answers ok through the proxy."""
        wait_for_health(self.url, timeout, log=lambda: ":\n" + self.log())

    def pids(self) -> dict[str, int]:
        """Each replica's current pid, by name (r1, r2, ...)."""
        found = {}
        for _, line in self.lines:
            if m := re.match(r"serve: replica (r\d+) pid (\d+) on (\S+)", line):
                found[m[1]] = int(m[2])
                self.started.add(int(m[2]))
        return found

    def replica_urls(self) -> dict[str, str]:
        return {m[1]: m[3] for _, line in self.lines
                if (m := re.match(r"serve: replica (r\d+) pid (\d+) on (\S+)", line))}  # fmt: skip

    def folder(self) -> Path:
        """nginx's temporary folder: nginx.conf, replicas.conf, logs/access.log."""
        _, m = self.wait_for(r"configuration and logs in (\S+)")
        return Path(m[1])

    def access_log(self) -> list[dict[str, str]]:
        """nginx's access log: one dict per request (msec, status, method, uri, up, ...)."""
        rows = []
        for line in (self.folder() / "logs" / "access.log").read_text().splitlines():
            msec, status, method, uri, *rest = line.split(" ")
            row = dict(kv.split("=", 1) for kv in rest if "=" in kv)
            row |= {"msec": msec, "status": status, "method": method, "uri": uri.strip('"')}
            rows.append(row)
        return rows

    def kill(self, name: str, sig: int = signal.SIGKILL) -> float:
        """Send `sig` to one replica; return when (time.monotonic())."""
        pid = self.pids()[name]
        t = time.monotonic()
        os.kill(pid, sig)
        return t

    def _nginx_workers(self) -> set[int]:
        _, m = self.wait_for(r"serve: nginx pid (\d+)")
        children = Path(f"/proc/{m[1]}/task/{m[1]}/children")
        return {int(m[1]), *(int(p) for p in children.read_text().split())}

    def stop(self, sig: int = signal.SIGTERM, group: bool = False) -> int:
        """Stop it as a person would (SIGTERM, or Ctrl-C: SIGINT to the group); return its exit
        status. Fails if any process it started is still running afterwards."""
        self.pids()
        if self.proc.poll() is None:
            self.started |= self._nginx_workers()
            os.killpg(self.proc.pid, sig) if group else self.proc.send_signal(sig)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                raise
        left = [pid for pid in self.started if _running(pid)]
        assert left == [], f"still running after serve.py stopped: {left}\n{self.log()}"
        return self.proc.returncode


def _running(pid: int) -> bool:
    """Whether a process runs with this pid (a zombie, dead but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
