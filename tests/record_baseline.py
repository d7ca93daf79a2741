"""pytest plugin of `.ci/record_baseline.sh`: writes the outcome of each test
of Odoo's own suites that does not pass, in the format of
``odoo_suite_baseline.txt``, to the file named by
``CUSTOMER_RELATIONS_BASELINE_OUT``."""

import os
from pathlib import Path

import pytest

from tests.strict_outcomes import odoo_suite_key

HEADER = """\
# Outcomes of Odoo's own suites WITHOUT customer_relations, in a database with
# the same apps as make test's (written by .ci/record_baseline.sh): make test
# accepts exactly these outcomes for these tests, and no other failure or skip.
"""


def pytest_configure(config):
    config._baseline_rows = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    key = odoo_suite_key(item)
    if key and (report.failed or report.skipped):
        previous = item.config._baseline_rows.get(key)
        item.config._baseline_rows[key] = previous or (
            "skipped" if report.skipped else "failed"
        )


def _reasons(path):
    """The comment lines above each entry of the current file: why the test
    does not pass without the addon, kept for the entries that remain."""
    reasons, comments = {}, []
    if not path.exists():
        return reasons
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            comments.append(line)
        elif line.strip():
            reasons[line.split(None, 1)[1].strip()] = comments
            comments = []
        else:
            comments = []
    return reasons


def pytest_sessionfinish(session, exitstatus):
    rows = session.config._baseline_rows
    path = Path(os.environ["CUSTOMER_RELATIONS_BASELINE_OUT"])
    reasons = _reasons(path)
    entries = [
        "\n".join([*reasons.get(key, []), f"{rows[key]} {key}"]) for key in sorted(rows)
    ]
    path.write_text(HEADER + "\n" + "\n\n".join(entries) + "\n", encoding="utf-8")
