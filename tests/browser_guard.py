"""pytest plugin of `make test`: the Chromium of a browser tour never outlives
its test, and a slow machine does not fail a tour that works.

Odoo's test browser (``ChromeBrowser`` in ``odoo/tests/common.py``) leaves its
Chromium running in two cases:

- Chromium does not open its DevTools port within 10 s: ``_spawn_chrome``
  skips the test (a failure here, see ``strict_outcomes``) and never stops the
  process it started;
- the page does not answer within 10 s when the test ends: ``stop()`` raises
  ``TimeoutError`` on its first DevTools request, before it terminates
  Chromium, and that error replaces the tour's own verdict in the report.

Both happen when the machine is slow, not when the code is wrong: two cores
running Odoo's server threads, coverage's tracer and Chromium at once. Here:

- each Chromium starts in its own process group, which the kernel kills if
  the test process dies (``PR_SET_PDEATHSIG``), whatever ends it;
- ``stop()`` always ends with the whole group killed and the profile folder
  removed; a DevTools request that times out while stopping is logged, not
  raised, so the test keeps the verdict of its tour;
- after each test, a Chromium the test started and did not stop is killed,
  and the log says which;
- Chromium gets 60 s to start instead of 10.
"""

import ctypes
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys

import pytest

_logger = logging.getLogger(__name__)

STARTUP_WAIT_S = 60
PR_SET_PDEATHSIG = 1
# Chromium processes started by the current test
_started = []


def _preexec():
    # what Odoo does (Chromium reserves more virtual memory than Odoo's limit)
    resource.setrlimit(
        resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)
    )
    # killed with the test process, even by SIGKILL
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _kill_group(proc):
    """Kill Chromium's process group; True if its main process was running."""
    running = proc.poll() is None
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        _logger.warning("Chromium pid %s does not end after SIGKILL", proc.pid)
    return running


def install(common):
    """Patch Odoo's test browser (``odoo.tests.common``)."""
    browser = common.ChromeBrowser
    if getattr(browser, "_customer_relations_guard", False):
        return
    browser._customer_relations_guard = True

    common.CHECK_BROWSER_ITERATIONS = int(STARTUP_WAIT_S / common.CHECK_BROWSER_SLEEP)
    common.BROWSER_WAIT = STARTUP_WAIT_S

    def _chrome_without_limit(self, cmd):
        # pylint: disable=subprocess-popen-preexec-fn
        proc = subprocess.Popen(
            cmd,
            stderr=subprocess.DEVNULL,
            preexec_fn=_preexec,  # noqa: PLW1509 (as the pylint disable above)
            start_new_session=True,
        )
        _started.append(proc)
        return proc

    original_stop = browser.stop

    def stop(self):
        try:
            original_stop(self)
        except TimeoutError as error:
            self._logger.warning(
                "Chromium did not answer while stopping (%s): killing it", error
            )
        finally:
            if getattr(self, "chrome", None) is not None:
                _kill_group(self.chrome)
            if self.user_data_dir and self.user_data_dir != "/":
                shutil.rmtree(self.user_data_dir, ignore_errors=True)
            if getattr(self, "sigxcpu_handler", None):
                signal.signal(signal.SIGXCPU, self.sigxcpu_handler)

    browser._chrome_without_limit = _chrome_without_limit
    browser.stop = stop


def kill_leftovers(where):
    """Kill every Chromium started since the last call; name those that ran."""
    left = [proc.pid for proc in _started if _kill_group(proc)]
    _started.clear()
    if left:
        _logger.warning("Chromium %s left running by %s: killed", left, where)
    return left


def pytest_configure(config):
    if sys.platform.startswith("linux"):
        from odoo.tests import common

        install(common)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    kill_leftovers(item.nodeid)


def pytest_unconfigure(config):
    kill_leftovers("the test session")
