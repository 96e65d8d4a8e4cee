"""Several replicas behind nginx (`make serve`, deploy/): sticky sessions, a replica killed
under load, a hung one, data edits, and a clean stop. Each deployment runs the mini fixture.

Needs Debian's nginx and chromium (`scripts/install-debian.sh --test`): without them these
tests fail, they never skip. About 100 s on two busy cores (marked slow; CI runs them).
"""

import asyncio
import datetime as dt
import gzip
import shutil
import signal
import subprocess
import threading
import time
import urllib.request

import pytest

from bench.load import Results, protocol_session
from deploy.serve import Proxy, Replica
from footprint.deployment import Deployment
from footprint.harness import ROOT, map_frame, open_app, statuses, wait_for_statuses

# Every helper these tests borrow, in one place.
from ..conftest import make_dataset

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NEXT_ENABLED = (  # widgets are disabled while the page is disconnected
    "() => [...document.querySelectorAll('button')]"
    ".some(b => b.innerText.includes('Next') && !b.disabled)"
)
MINI_20_MARCH = {"q_west": "retained", "camp_taji": "retained", "al_tanf_syria": "retained"}


@pytest.fixture(scope="module")
def nginx():
    exe = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    if exe is None:
        pytest.fail("Debian's nginx is not installed: run scripts/install-debian.sh --test")
    return exe


@pytest.fixture(scope="module")
def deployment(nginx, tmp_path_factory):  # noqa: ARG001 - nginx: fails first, with its message
    """Two replicas behind nginx, for the tests that leave them as they found them."""
    dep = Deployment(2, make_dataset(tmp_path_factory.mktemp("serve") / "mini"))
    yield dep
    assert dep.stop(signal.SIGTERM) == 0


def get(url: str, cookie: str = "", **headers) -> tuple[dict, bytes]:
    """One HTTP GET: (headers with lower-case names, body as sent). The cookies nginx sets
    are under "fp-cookie" (Streamlit sets one of its own too)."""
    if cookie:
        headers["Cookie"] = f"fp_replica={cookie}"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        got = {k.lower(): v for k, v in r.headers.items()}
        mine = [c for c in r.headers.get_all("Set-Cookie") or () if c.startswith("fp_replica=")]
        return got | ({"fp-cookie": mine[0]} if mine else {}), r.read()


def replica_of(page) -> str:
    """The replica the page's browser is on (its fp_replica cookie)."""
    return {c["name"]: c["value"] for c in page.context.cookies()}.get("fp_replica", "")


def on_replica(browser, dep: Deployment, replica: str):
    """A new page whose browser is already on `replica` (as if it had been sent there)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1200})
    context.add_cookies([{"name": "fp_replica", "value": replica, "url": dep.url}])
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


@pytest.mark.usefixtures("nginx")
def test_nginx_accepts_the_configuration(tmp_path):
    proxy = Proxy(tmp_path, "127.0.0.1:1", [Replica(1, 2, None), Replica(2, 3, None)])
    check = subprocess.run(proxy.command("-t"), capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def protocol_load(dep: Deployment, sessions: dict[str, int], seconds: float):
    """Protocol sessions (bench/load.py's) acting once a second on their replicas, in a thread;
    a closed connection is reopened at the same view. Returns (thread, results)."""
    dates = [dt.date(2020, 3, 11), dt.date(2020, 3, 26)]  # the mini data's changes in 2020
    out = Results()
    plan = [name for name, n in sessions.items() for _ in range(n)]

    async def run():
        await asyncio.gather(*(
            protocol_session(dep.url, seconds, out, 0.2 * k, k, dates, 1.0, True, name)
            for k, name in enumerate(plan)
        ))  # fmt: skip

    thread = threading.Thread(target=asyncio.run, args=(run(),), daemon=True)
    thread.start()
    return thread, out


@pytest.mark.usefixtures("nginx")
def test_a_replica_killed_under_load(tmp_path, browser):
    dep = Deployment(2, make_dataset(tmp_path / "mini"))
    try:
        victim, survivor = on_replica(browser, dep, "r1"), on_replica(browser, dep, "r2")
        closed = {"victim": [], "survivor": []}  # websockets that closed, by page
        for name, page in (("victim", victim), ("survivor", survivor)):
            page.on("websocket", lambda ws, n=name: ws.on("close", lambda _: closed[n].append(ws)))
        open_app(victim, f"{dep.url}/?asof=2020-03-20&site=q_west")
        open_app(survivor, f"{dep.url}/?asof=2020-03-20")
        for page in (victim, survivor):
            page.wait_for_function(NEXT_ENABLED, timeout=60_000)
        thread, load = protocol_load(dep, {"r1": 2, "r2": 2}, seconds=25)
        while load.sessions < 4:
            assert thread.is_alive() and not load.errors, load.errors
            survivor.wait_for_timeout(200)

        killed = dep.kill("r1")
        # New visitors (no cookie) right after: nginx answers every one from r2.
        for _ in range(20):
            headers, _ = get(f"{dep.url}/_stcore/health")
            assert headers["x-footprint-replica"] == "r2"
        out_t, _ = dep.wait_for(r"replica r1 out of the rotation", after=killed, timeout=10)

        # The survivor's page acts at once, on the same websocket.
        survivor.get_by_role("button", name="Next").click()
        survivor.wait_for_url("**asof=2020-03-26**", timeout=15_000)
        assert closed["survivor"] == []

        # The victim's page reconnects to r2 and keeps its view, from its address bar.
        victim.wait_for_function(NEXT_ENABLED, timeout=60_000)
        reconnected = time.monotonic() - killed
        assert closed["victim"] and replica_of(victim) == "r2"
        assert "site=q_west" in victim.url and statuses(map_frame(victim)) == MINI_20_MARCH
        # Streamlit gives a page that reconnects a new session with its first action, and that
        # action's own effect is lost (README, Restarts): the next one acts. At most twice.
        for _ in range(2):
            victim.get_by_role("button", name="Next").click()
            try:
                victim.wait_for_url("**asof=2020-03-26**", timeout=10_000)
                break
            except Exception:  # noqa: BLE001 - the first, lost one
                continue
        assert "site=q_west" in victim.url  # the site came back from the address bar
        wait_for_statuses(map_frame(victim), MINI_20_MARCH | {"q_west": "handed_over"})

        # serve.py starts r1 again; nginx sends new visitors to it once it answers.
        back_t, _ = dep.wait_for(r"replica r1 back in the rotation", after=killed, timeout=120)
        # (After the reload that put r1 back, nginx's new worker counts connections afresh,
        # so new visitors take turns between the two rather than all going to r1.)
        answered = [get(f"{dep.url}/")[0]["x-footprint-replica"] for _ in range(4)]
        assert "r1" in answered, answered
        # Both nginx reloads later, the survivor's first websocket still works.
        survivor.get_by_role("button", name="Previous").click()
        survivor.wait_for_url("**asof=2020-03-11**", timeout=15_000)
        assert closed["survivor"] == [] and len(closed["victim"]) == 1

        thread.join(60)
        assert load.errors == []
        assert sorted(a for a, *_ in load.reconnects) == ["r1", "r1"]  # r2's: undisturbed
        assert {b for _, b, *_ in load.reconnects} == {"r2"}
        for page in (victim, survivor):
            assert page.locator("[data-testid=stException]").count() == 0
            assert page.errors == []
        print(
            f"\nr1 killed: out of nginx's rotation after {out_t - killed:.1f} s, the page on r1"
            f" usable again on r2 after {reconnected:.1f} s, protocol sessions reconnected in"
            f" {', '.join(f'{t:.2f}' for *_, t in load.reconnects)} s, r1 back in the"
            f" rotation after {back_t - killed:.1f} s"
        )
    finally:
        assert dep.stop(signal.SIGTERM) == 0


@pytest.mark.usefixtures("nginx")
def test_a_data_edit_reaches_every_replica(tmp_path, browser):
    data = make_dataset(tmp_path / "mini")
    dep = Deployment(2, data)
    link = f"{dep.url}/?asof=2020-03-20"
    try:
        pages = {name: on_replica(browser, dep, name) for name in ("r1", "r2")}

        def each_replica_shows(want: dict[str, str]) -> None:
            for name, page in pages.items():  # a new page view on each replica
                with page.expect_response(lambda r: r.request.resource_type == "document") as doc:
                    frame = open_app(page, link)
                assert doc.value.headers["x-footprint-replica"] == name
                assert statuses(frame) == want, name

        each_replica_shows(MINI_20_MARCH)
        events = data / "events.csv"  # valid: Q-West handed over on 18 March, not 26 March
        events.write_text(events.read_text().replace("q_west,2020-03-26", "q_west,2020-03-18"))
        each_replica_shows(MINI_20_MARCH | {"q_west": "handed_over"})
        with events.open("a") as f:  # invalid: an event of a site that does not exist
            f.write("bad_event,no_such_site,2020-03-01,day,retained,Bad.,,high,,,,,\n")
        each_replica_shows(MINI_20_MARCH | {"q_west": "handed_over"})  # the last valid data
        for page in pages.values():
            banner = page.get_by_text("The data files have problems, so the page shows the last")
            banner.wait_for(timeout=30_000)
            # the report under the banner, its own element: drawn a moment after the banner
            page.get_by_text("no_such_site").first.wait_for(timeout=10_000)
    finally:
        assert dep.stop(signal.SIGTERM) == 0


@pytest.mark.usefixtures("nginx")
def test_a_hung_replica_leaves_and_restarts_and_ctrl_c_stops_all(tmp_path):
    dep = Deployment(2, make_dataset(tmp_path / "mini"), "--restart-after", "6")
    folder = dep.folder()
    try:
        hung = dep.kill("r2", signal.SIGSTOP)  # alive, listening, never answering
        out_t, _ = dep.wait_for(r"replica r2 out of the rotation", after=hung, timeout=15)
        for _ in range(10):  # new visitors go to r1 only
            assert get(f"{dep.url}/_stcore/health")[0]["x-footprint-replica"] == "r1"
        dep.wait_for(r"replica r2 has not answered for 6 s; restarting it", after=hung, timeout=30)
        back_t, _ = dep.wait_for(r"replica r2 back in the rotation", after=hung, timeout=120)
        print(f"\nr2 hung: out of the rotation after {out_t - hung:.1f} s, back (restarted)"
              f" after {back_t - hung:.1f} s")  # fmt: skip
    finally:
        assert dep.stop(signal.SIGINT, group=True) == 0  # Ctrl-C in its terminal
    assert not folder.exists()


# The tests below share one deployment, started after the tests above stopped theirs.


def test_a_new_browser_stays_on_one_replica(deployment, browser):
    context = browser.new_context()
    page = context.new_page()
    answered = []  # (path, replica) of every HTTP response: page, scripts, frame, static files
    page.on("response", lambda r: answered.append((r.url, r.headers.get("x-footprint-replica"))))
    open_app(page, f"{deployment.url}/?asof=2020-03-20")
    replica = replica_of(page)
    assert replica in ("r1", "r2")
    assert {r for _, r in answered} == {replica}, answered
    paths = {url.removeprefix(deployment.url).split("?")[0] for url, _ in answered}
    assert {"/", "/_stcore/health", "/_stcore/host-config"} <= paths
    assert any(p.startswith("/component/streamlit_folium") for p in paths)
    assert any(p.startswith("/app/static/") for p in paths)
    context.close()  # nginx logs the websocket once it closes
    deadline = time.monotonic() + 10
    while not (streams := [r for r in deployment.access_log() if r["uri"] == "/_stcore/stream"]):
        assert time.monotonic() < deadline, "no websocket in nginx's log"
        time.sleep(0.1)
    assert [(r["cookie"], r["replica"]) for r in streams] == [(replica, replica)]


def test_the_proxy_compresses_and_caches(deployment):
    gz = {"Accept-Encoding": "gzip"}
    headers, _ = get(f"{deployment.url}/_stcore/health")
    replica = headers["x-footprint-replica"]
    assert headers["fp-cookie"] == f"fp_replica={replica}; Path=/; HttpOnly; SameSite=Lax"
    headers, _ = get(f"{deployment.url}/_stcore/health", cookie=replica)
    assert headers["x-footprint-replica"] == replica and "fp-cookie" not in headers
    shapes = next((ROOT / "static").glob("basemap/shapes-*.json")).name  # the replicas wrote it
    headers, body = get(f"{deployment.url}/app/static/basemap/{shapes}", **gz)
    assert headers["content-encoding"] == "gzip"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert gzip.decompress(body).startswith(b"[")
    script = next((ROOT / "static").glob("js/sites_layer-*.js")).name  # named by content too
    headers, _ = get(f"{deployment.url}/app/static/js/{script}", **gz)
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    headers, _ = get(f"{deployment.url}/app/static/leaflet/leaflet.js", **gz)
    assert (headers["content-encoding"], headers["cache-control"]) == (
        "gzip",
        "public, max-age=86400",
    )
