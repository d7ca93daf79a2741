"""The set-up behind `make run` and `make test` does no work twice."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_second_setup_does_nothing():
    # make test ran the set-up a moment ago: a second run finds everything in
    # place and says nothing (each step prints a line only when it works).
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "setup.sh")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "[setup]" not in result.stdout + result.stderr
