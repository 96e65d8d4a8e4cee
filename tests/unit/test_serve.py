"""deploy/: the nginx configuration `make serve` writes, read as text (no nginx, no server).

The same rules run for real in tests/browser/test_replicas.py.
"""

import re

import pytest

from deploy.serve import TEMPLATE, Replica, nginx_conf, replicas_conf


def replicas(*in_rotation: bool) -> list[Replica]:
    """Replicas r1, r2, ... on ports 9001, 9002, ..., in or out of the rotation."""
    found = [Replica(i + 1, 9001 + i, None) for i in range(len(in_rotation))]
    for r, up in zip(found, in_rotation, strict=True):
        r.in_rotation = up
    return found


def upstream(conf: str, group: str) -> list[str]:
    """One upstream group's servers as 'port flags', e.g. '9002 backup down'."""
    block = re.search(rf"upstream {group} {{(.*?)}}", conf, re.S)[1]
    return [
        f"{m[1]}{m[2]}".strip()
        for m in re.finditer(r"server 127\.0\.0\.1:(\d+) max_fails=1 fail_timeout=\d+s(.*);", block)
    ]


@pytest.mark.parametrize(
    ("in_rotation", "groups"),
    [
        ((True, True), {
            "footprint_any": ["9001", "9002"],
            "footprint_r1": ["9001", "9002 backup"],
            "footprint_r2": ["9002", "9001 backup"],
        }),
        ((False, True), {
            "footprint_any": ["9001 down", "9002"],
            "footprint_r1": ["9001 down", "9002 backup"],
            "footprint_r2": ["9002", "9001 backup down"],
        }),
        ((False, False), {  # none answers: try them all rather than answer 502 for sure
            "footprint_any": ["9001", "9002"],
            "footprint_r1": ["9001", "9002 backup"],
            "footprint_r2": ["9002", "9001 backup"],
        }),
        ((True,), {"footprint_any": ["9001"], "footprint_r1": ["9001"]}),
        ((True, False, True), {
            "footprint_any": ["9001", "9002 down", "9003"],
            "footprint_r2": ["9002 down", "9001 backup", "9003 backup"],
        }),
    ],
    ids=["both-up", "r1-out", "both-out", "one-replica", "three-r2-out"],
)  # fmt: skip
def test_each_group_is_its_replica_first_then_the_others(in_rotation, groups):
    conf = replicas_conf(replicas(*in_rotation))
    for group, servers in groups.items():
        assert upstream(conf, group) == servers, group
    assert "least_conn;" in conf.split("upstream footprint_r1")[0]  # new browsers: least busy


def map_entries(conf: str, variable: str) -> list[tuple[str, str]]:
    """A map block's (pattern, value) pairs, in order, default last."""
    block = re.search(rf"map (?:\"[^\"]*\"|\S+) \${variable} {{(.*?)\n\s*}}", conf, re.S)[1]
    pairs = []
    for line in block.strip().splitlines():
        line = line.split("  #")[0].strip().rstrip(";")
        key, value = re.match(r'("[^"]*"|\S+)\s+(.*)', line).groups()
        pairs.append((key.strip('"'), value.strip('"')))
    return pairs


def nginx_map(entries: list[tuple[str, str]], value: str) -> str:
    """What nginx's map gives for `value`: exact keys, then ~regexes in order, then default."""
    exact = {k: v for k, v in entries if not k.startswith("~") and k != "default"}
    if value in exact:
        return exact[value]
    for key, result in entries:
        if key.startswith("~") and (m := re.search(key[1:], value)):
            return re.sub(r"\$(\w+)", lambda v: m.groupdict().get(v[1], v[0]), result)
    return dict(entries)["default"]


@pytest.mark.parametrize(
    ("upstream_addr", "replica"),
    [
        ("127.0.0.1:9001", "r1"),
        ("127.0.0.1:9002", "r2"),
        ("127.0.0.1:9001, 127.0.0.1:9002", "r2"),  # r1 refused; r2 answered
        ("127.0.0.1:19001", ""),
        ("", ""),
    ],
)
def test_the_replica_that_answered_is_the_last_one_tried(upstream_addr, replica):
    entries = map_entries(replicas_conf(replicas(True, True)), "footprint_replica")
    assert nginx_map(entries, upstream_addr) == replica


@pytest.mark.parametrize(
    ("cookie", "answered", "set_cookie"),
    [
        ("", "r1", "fp_replica=r1"),  # a new browser: its first response names the replica
        ("r1", "r1", ""),  # already there: no new cookie
        ("r1", "r2", "fp_replica=r2"),  # r1 died: the browser moves to r2 and stays
        ("junk", "r2", "fp_replica=r2"),
        ("r1", "", ""),  # nginx's own error page: no replica answered
    ],
)
def test_the_cookie_follows_the_replica_that_answered(cookie, answered, set_cookie):
    entries = map_entries(TEMPLATE.read_text(), "footprint_cookie")
    got = nginx_map(entries, f"{cookie} {answered}").replace("$footprint_replica", answered)
    assert got.split(";")[0] == set_cookie


def test_the_group_is_the_cookies_replica_else_any():
    entries = map_entries(replicas_conf(replicas(True, True)), "footprint_group")
    cases = {"r1": "footprint_r1", "r2": "footprint_r2", "": "footprint_any", "r9": "footprint_any"}
    assert {c: nginx_map(entries, c) for c in cases} == cases


def test_the_template_is_filled_in():
    conf = nginx_conf("127.0.0.1:8500")
    assert "listen 127.0.0.1:8500;" in conf
    assert "@" not in conf.replace("@...@", "")
