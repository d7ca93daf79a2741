"""The Chromium of a browser tour never outlives its test (tests/browser_guard.py).

A stand-in for Chromium (a shell with a child, like Chromium and its
renderers) goes through the same patched methods of Odoo's test browser.
"""

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from odoo.tests import common

from tests import browser_guard

ROOT = Path(__file__).resolve().parents[1]
# a main process with a child of its own, both long-lived
FAKE_CHROMIUM = ["sh", "-c", "sleep 300 & wait"]


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead too
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def group_members(pgid):
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def wait_until(predicate, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.fixture
def browser():
    """A ChromeBrowser without a real Chromium, as after a failed start."""
    assert common.ChromeBrowser._customer_relations_guard, "plugin not loaded"
    instance = common.ChromeBrowser.__new__(common.ChromeBrowser)
    instance._logger = browser_guard._logger
    instance.user_data_dir = tempfile.mkdtemp(suffix="_chrome_guard_test")
    instance.screencasts_dir = None
    instance.sigxcpu_handler = None
    instance.chrome = instance._chrome_without_limit(FAKE_CHROMIUM)
    yield instance
    browser_guard._kill_group(instance.chrome)
    browser_guard._started.clear()


def test_chromium_starts_in_its_own_group_with_a_longer_wait(browser):
    assert os.getpgid(browser.chrome.pid) == browser.chrome.pid
    assert wait_until(lambda: len(group_members(browser.chrome.pid)) == 2)
    assert common.BROWSER_WAIT == browser_guard.STARTUP_WAIT_S
    assert (
        common.CHECK_BROWSER_ITERATIONS * common.CHECK_BROWSER_SLEEP
        == pytest.approx(browser_guard.STARTUP_WAIT_S)
    )


def test_a_browser_left_running_is_killed_after_the_test(browser):
    pid = browser.chrome.pid
    assert wait_until(lambda: len(group_members(pid)) == 2)
    assert browser_guard.kill_leftovers("a test") == [pid]
    assert not alive(pid)
    assert wait_until(lambda: not group_members(pid))
    assert browser_guard._started == []


def test_stop_kills_the_group_even_when_chromium_does_not_answer(browser, caplog):
    def no_answer(method, **kwargs):
        raise TimeoutError(method)

    browser.ws = object()
    browser._websocket_send = no_answer
    pid = browser.chrome.pid
    assert wait_until(lambda: len(group_members(pid)) == 2)
    browser.stop()  # does not raise: the test keeps the verdict of its tour
    assert "did not answer while stopping" in caplog.text
    assert wait_until(lambda: not group_members(pid))
    assert not os.path.exists(browser.user_data_dir)
    # nothing left for the end of the test
    assert browser_guard.kill_leftovers("a test") == []


def test_chromium_dies_with_a_killed_test_process(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        import odoo
        odoo.tools.config["test_enable"] = True
        from odoo.tests import common
        from tests import browser_guard
        browser_guard.install(common)
        proc = common.ChromeBrowser._chrome_without_limit(None, {FAKE_CHROMIUM!r})
        print(proc.pid, flush=True)
        time.sleep(300)
        """
    )
    test_process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    )
    try:
        pid = int(test_process.stdout.readline())
        assert wait_until(lambda: len(group_members(pid)) == 2)
        test_process.send_signal(signal.SIGKILL)
        test_process.wait(timeout=10)
        # the main process dies with its parent; its orphaned child is in the
        # same group, which Chromium's own processes leave when it dies
        assert wait_until(lambda: not alive(pid))
    finally:
        test_process.kill()
        for member in group_members(pid) if "pid" in locals() else []:
            os.kill(member, signal.SIGKILL)
