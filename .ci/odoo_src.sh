#!/usr/bin/env bash
# Prints the folder of Odoo 18.0's source, found in this order:
#   1. the ODOO_SRC environment variable;
#   2. an Odoo 18.0 already importable in the virtual environment;
#   3. the default folder ODOO_SRC_DEFAULT (outside the repository, per user);
#   4. otherwise the official 18.0 source archive, downloaded into that folder.
# When none works, it says what to do on stderr and exits 1.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=.ci/env.sh
. "$here/env.sh"

is_odoo18() {  # a folder holding odoo/release.py of the 18.0 series
    [[ -f $1/odoo/release.py ]] && grep -Eq '^version_info = \(18, 0,' "$1/odoo/release.py"
}
fail() {
    cat >&2 <<MSG
[setup] $1
Odoo 18.0's source is needed. Do one of these:
  - point ODOO_SRC at an Odoo 18.0 source tree:   make test ODOO_SRC=/path/to/odoo
  - or unpack one into the default folder:        $ODOO_SRC_DEFAULT
    (so that $ODOO_SRC_DEFAULT/odoo-bin exists)
  - or give this machine access to $ODOO_ARCHIVE_URL
MSG
    exit 1
}

if [[ -n ${ODOO_SRC:-} ]]; then
    is_odoo18 "$ODOO_SRC" || fail "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree."
    realpath "$ODOO_SRC"
    exit 0
fi

if [[ -x $VENV/bin/python ]]; then
    found=$("$VENV/bin/python" - <<'PY' 2>/dev/null || true
import os
import odoo.release
if odoo.release.version_info[:2] == (18, 0):
    print(os.path.dirname(os.path.dirname(os.path.realpath(odoo.release.__file__))))
PY
)
    if [[ -n $found ]] && is_odoo18 "$found"; then
        echo "$found"
        exit 0
    fi
fi

if is_odoo18 "$ODOO_SRC_DEFAULT"; then
    realpath "$ODOO_SRC_DEFAULT"
    exit 0
fi

if [[ -e $ODOO_SRC_DEFAULT ]] && [[ -n $(ls -A "$ODOO_SRC_DEFAULT" 2>/dev/null) ]]; then
    fail "$ODOO_SRC_DEFAULT exists but is not an Odoo 18.0 source tree."
fi

echo "[setup] downloading Odoo 18.0's source into $ODOO_SRC_DEFAULT" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! curl -fsSL --connect-timeout 20 "$ODOO_ARCHIVE_URL" -o "$tmp/odoo.tar.gz" 2>"$tmp/curl.log"; then
    fail "could not download $ODOO_ARCHIVE_URL ($(tr '\n' ' ' < "$tmp/curl.log"))."
fi
mkdir -p "$tmp/src"
tar -xzf "$tmp/odoo.tar.gz" -C "$tmp/src" --strip-components=1 || fail "the downloaded archive could not be unpacked."
is_odoo18 "$tmp/src" || fail "the downloaded archive is not Odoo 18.0."
mkdir -p "$(dirname "$ODOO_SRC_DEFAULT")"
rm -rf "$ODOO_SRC_DEFAULT"
mv "$tmp/src" "$ODOO_SRC_DEFAULT"
realpath "$ODOO_SRC_DEFAULT"
