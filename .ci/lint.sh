#!/usr/bin/env bash
# ruff, ruff format and pylint-odoo (OCA configuration) through pre-commit's local hooks.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=.ci/env.sh
. "$here/env.sh"
cd "$ROOT"
export PATH=$VENV/bin:$PATH
export PRE_COMMIT_HOME=$VENV/.pre-commit
exec pre-commit run --all-files --show-diff-on-failure --color=never
