"""Where `make` finds Odoo's source: .ci/odoo_src.sh and its order of places."""

import os
import subprocess
import tarfile
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "odoo_src.sh"


def make_tree(path, series=(18, 0)):
    """A minimal Odoo source tree: odoo/release.py of the given series."""
    (path / "odoo").mkdir(parents=True)
    (path / "odoo" / "__init__.py").write_text("")
    (path / "odoo" / "release.py").write_text(
        f"version_info = ({series[0]}, {series[1]}, 0, 'final', 0, '')\n"
    )
    (path / "odoo-bin").write_text("")
    return path


@pytest.fixture
def env(tmp_path):
    """An environment where no place holds Odoo until a test puts it there."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ODOO_SRC", "VENV", "ODOO_SRC_DEFAULT", "ODOO_ARCHIVE_URL")
    }
    env["VENV"] = str(tmp_path / "venv")
    env["ODOO_SRC_DEFAULT"] = str(tmp_path / "default" / "odoo-18.0")
    env["ODOO_ARCHIVE_URL"] = (tmp_path / "missing.tar.gz").as_uri()
    return env


def run(env):
    return subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, check=False
    )


def test_odoo_src_variable_comes_first(tmp_path, env):
    given = make_tree(tmp_path / "given")
    make_tree(Path(env["ODOO_SRC_DEFAULT"]))
    env["ODOO_SRC"] = str(given)
    result = run(env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(given)


def test_odoo_src_variable_must_be_18(tmp_path, env):
    env["ODOO_SRC"] = str(make_tree(tmp_path / "old", series=(17, 0)))
    make_tree(Path(env["ODOO_SRC_DEFAULT"]))
    result = run(env)
    assert result.returncode == 1
    assert "is not an Odoo 18.0 source tree" in result.stderr
    assert result.stdout == ""


def test_odoo_importable_in_venv_comes_before_default(tmp_path, env):
    installed = make_tree(tmp_path / "installed")
    make_tree(Path(env["ODOO_SRC_DEFAULT"]))
    python = Path(env["VENV"]) / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(
        textwrap.dedent(
            f"""\
            #!/bin/sh
            PYTHONPATH={installed} exec python3 "$@"
            """
        )
    )
    python.chmod(0o755)
    result = run(env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(installed)


def test_default_folder(env):
    default = make_tree(Path(env["ODOO_SRC_DEFAULT"]))
    result = run(env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(default)


def test_download_into_default_folder(tmp_path, env):
    tree = make_tree(tmp_path / "odoo-18.0-archive")
    archive = tmp_path / "odoo.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tree, arcname="odoo-18.0")
    env["ODOO_ARCHIVE_URL"] = archive.as_uri()
    result = run(env)
    assert result.returncode == 0, result.stderr
    default = Path(env["ODOO_SRC_DEFAULT"])
    assert result.stdout.strip() == str(default)
    assert (default / "odoo" / "release.py").is_file()


def test_nothing_found_says_what_to_do(env):
    result = run(env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "could not download" in result.stderr
    assert "ODOO_SRC" in result.stderr
    assert env["ODOO_SRC_DEFAULT"] in result.stderr


def test_default_folder_with_something_else_is_left_alone(env):
    default = Path(env["ODOO_SRC_DEFAULT"])
    default.mkdir(parents=True)
    (default / "notes.txt").write_text("mine")
    result = run(env)
    assert result.returncode == 1
    assert "is not an Odoo 18.0 source tree" in result.stderr
    assert (default / "notes.txt").read_text() == "mine"
