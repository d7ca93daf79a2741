"""make pot: brings each language file of the addons up to date with its template.

Like gettext's msgmerge, for <addon>/i18n/<lang>.po against
<addon>/i18n/<addon>.pot, for each addon of the repository:
  - every entry of the template is kept, with the template's references and
    comments;
  - an entry already translated keeps its translation and translator comments;
  - a new entry close to an entry that left the template (a reworded string)
    gets the old translation marked fuzzy, with the old source as `#| msgid`,
    for the translator to review; other new entries stay empty;
  - entries that left the template are dropped;
  - a translation equal to its source is written as the OCA's po-pretty-format
    wants it: an empty msgstr, with the translator comment "# same as source".
The files are written sorted and wrapped as po-pretty-format expects them;
.ci/check_po.py (make lint) then names what is left to translate.

Usage: python3 .ci/po_merge.py [I18N_FOLDER]   (without it, every addon's)
"""

import difflib
import sys
from pathlib import Path

import polib
from check_po import I18N_FOLDERS, SAME_AS_SOURCE

FUZZY_CUTOFF = 0.8


def merge(pot, po):
    old = {entry.msgid: entry for entry in po if not entry.obsolete}
    current = {template.msgid for template in pot}
    gone = {
        msgid: entry
        for msgid, entry in old.items()
        if entry.msgstr and msgid not in current
    }
    merged = polib.POFile(wrapwidth=78)
    merged.header = po.header
    merged.metadata = dict(po.metadata)
    for key in ("Project-Id-Version", "POT-Creation-Date"):
        if key in pot.metadata:
            merged.metadata[key] = pot.metadata[key]
    for template in pot:
        if template.obsolete:
            continue
        entry = polib.POEntry(
            msgid=template.msgid,
            msgstr="",
            occurrences=list(template.occurrences),
            comment=template.comment,
            flags=[flag for flag in template.flags if flag != "fuzzy"],
        )
        previous = old.get(template.msgid)
        if previous is not None:
            entry.msgstr = previous.msgstr
            entry.tcomment = previous.tcomment
            if "fuzzy" in previous.flags:
                entry.flags.append("fuzzy")
                entry.previous_msgid = previous.previous_msgid
        else:
            close = difflib.get_close_matches(
                template.msgid, list(gone), n=1, cutoff=FUZZY_CUTOFF
            )
            if close:
                entry.msgstr = gone[close[0]].msgstr
                entry.flags.append("fuzzy")
                entry.previous_msgid = close[0]
        if entry.msgstr == entry.msgid:
            entry.msgstr = ""
            if SAME_AS_SOURCE not in entry.tcomment.splitlines():
                entry.tcomment = "\n".join(
                    filter(None, [entry.tcomment, SAME_AS_SOURCE])
                )
        merged.append(entry)
    merged.sort(key=lambda entry: entry.msgid)
    return merged


def main(argv):
    for i18n in [Path(argv[0])] if argv else I18N_FOLDERS:
        merge_folder(i18n)
    return 0


def merge_folder(i18n):
    (pot_path,) = sorted(i18n.glob("*.pot"))
    pot = polib.pofile(str(pot_path))
    for po_path in sorted(i18n.glob("*.po")):
        po = polib.pofile(str(po_path))
        merged = merge(pot, po)
        merged.save(str(po_path))
        print(
            f"[pot] merged {pot_path.name} into {po_path.name}: {len(merged)} entries"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
