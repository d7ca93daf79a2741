"""make lint: the addons' translations are complete and match their templates.

Each language file <addon>/i18n/<lang>.po of each addon of the repository
(customer_relations and its bridge customer_relations_event) is checked
against the addon's template <addon>/i18n/<addon>.pot (which `make pot`
regenerates from the code, and which make test compares with the code):

  po-header        the header lacks the language or its plural forms
  po-missing       an entry of the template is not in the file
  po-obsolete      an entry is no longer in the template (or is kept as #~)
  po-fuzzy         an entry is marked fuzzy (a guess of `make pot` to review)
  po-untranslated  an entry has no translation
  po-placeholder   the placeholders of the translation differ from the source's
                   (%(name)s, %s, {name}, {}, {{ expression }})
  po-markup        the HTML/QWeb tags of the translation differ from the
                   source's (same tags with the same attributes, apart from the
                   attributes Odoo translates: title, placeholder, alt...)

A translation that is the source itself (a name, a symbol) is written, as the
OCA's po-pretty-format wants it, with an empty msgstr and the translator
comment "# same as source".

Usage: python3 .ci/check_po.py [I18N_FOLDER]   (exit status 1 on any problem;
without a folder, those of every addon)
"""

import re
import sys
from collections import Counter
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
ADDONS = ("customer_relations", "customer_relations_event")
I18N = ROOT / "customer_relations" / "i18n"
I18N_FOLDERS = tuple(ROOT / addon / "i18n" for addon in ADDONS)
SAME_AS_SOURCE = "same as source"

# The attributes whose values Odoo translates (odoo/tools/translate.py,
# TRANSLATED_ATTRS): they may differ, every other attribute must not.
TRANSLATED_ATTRS = {
    "string",
    "add-label",
    "help",
    "sum",
    "avg",
    "confirm",
    "placeholder",
    "alt",
    "title",
    "aria-label",
    "aria-keyshortcuts",
    "aria-placeholder",
    "aria-roledescription",
    "aria-valuetext",
    "value_label",
    "data-tooltip",
    "label",
    "value",
}
TRANSLATED_ATTRS |= {f"t-attf-{name}" for name in TRANSLATED_ATTRS}

# printf-style conversions; the space flag is left out so that "10% off"
# is text, not a "% o" conversion.
PRINTF = re.compile(
    r"%(?:\([^)]+\))?[-#0+]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]"
)
JINJA = re.compile(r"\{\{.*?\}\}", re.DOTALL)
FORMAT = re.compile(r"\{[A-Za-z_0-9.\[\]]*(?:![rsa])?(?::[^{}]*)?\}")
TAG = re.compile(
    r"<(/?)([A-Za-z][\w:.-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*(/?)>"
)
ATTR = re.compile(r"([^\s=/>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")


def placeholders(text):
    found = JINJA.findall(text)
    rest = JINJA.sub("", text).replace("%%", "")
    found += PRINTF.findall(rest)
    found += FORMAT.findall(rest)
    return Counter(found)


def tags(text):
    found = Counter()
    for closing, name, attrs, self_closing in TAG.findall(text):
        kept = tuple(
            sorted(
                (key, value.strip("\"'"))
                for key, value in ATTR.findall(attrs)
                if key not in TRANSLATED_ATTRS
            )
        )
        found[(closing, name, kept, self_closing)] += 1
    return found


def show(counter):
    return ", ".join(sorted(counter.elements())) or "none"


def show_tags(counter):
    def render(tag):
        closing, name, attrs, self_closing = tag
        text = "".join(f' {key}="{value}"' for key, value in attrs)
        return f"<{closing}{name}{text}{self_closing}>"

    return ", ".join(sorted(render(tag) for tag in counter.elements())) or "none"


def short(msgid, width=60):
    text = " ".join(msgid.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def check_entry(entry):
    """The problems of one translated entry, as (code, message)."""
    if "fuzzy" in entry.flags:
        return [
            ("po-fuzzy", "marked fuzzy: review the translation, then remove the flag")
        ]
    if not entry.msgstr:
        if SAME_AS_SOURCE in entry.tcomment.splitlines():
            return []
        return [("po-untranslated", "no translation")]
    problems = []
    source, translation = placeholders(entry.msgid), placeholders(entry.msgstr)
    if source != translation:
        problems.append(
            (
                "po-placeholder",
                f"placeholders {show(translation)} instead of {show(source)}",
            )
        )
    source, translation = tags(entry.msgid), tags(entry.msgstr)
    if source != translation:
        problems.append(
            (
                "po-markup",
                (
                    f"missing {show_tags(source - translation)}; "
                    f"unexpected {show_tags(translation - source)}"
                ),
            )
        )
    return problems


def check_po(po_path, pot_ids):
    """The problems of one language file, as (line, code, message)."""
    try:
        po = polib.pofile(str(po_path))
    except (OSError, ValueError) as error:
        return [(0, "po-syntax", str(error))]
    problems = []
    lang = po_path.stem
    if po.metadata.get("Language", "").replace("-", "_") != lang:
        problems.append((1, "po-header", f'the header needs "Language: {lang}"'))
    if not po.metadata.get("Plural-Forms", "").strip():
        problems.append(
            (1, "po-header", "the header needs the language's Plural-Forms")
        )
    seen = set()
    for entry in po:
        if entry.obsolete:
            problems.append(
                (
                    entry.linenum,
                    "po-obsolete",
                    f"{short(entry.msgid)} is kept as obsolete (#~): remove it",
                )
            )
            continue
        seen.add(entry.msgid)
        if entry.msgid not in pot_ids:
            problems.append(
                (
                    entry.linenum,
                    "po-obsolete",
                    f"{short(entry.msgid)} is no longer in the template",
                )
            )
            continue
        for code, message in check_entry(entry):
            problems.append((entry.linenum, code, f"{short(entry.msgid)}: {message}"))
    for msgid in sorted(pot_ids - seen):
        problems.append(
            (0, "po-missing", f"{short(msgid)} is in the template, not in this file")
        )
    return problems


def main(argv):
    folders = [Path(argv[0])] if argv else I18N_FOLDERS
    status = 0
    for i18n in folders:
        status |= check_folder(i18n)
    return status


def check_folder(i18n):
    pots = sorted(i18n.glob("*.pot"))
    if len(pots) != 1:
        print(f"{i18n}: expected one template (.pot), found {len(pots)}")
        return 1
    pot_ids = {
        entry.msgid for entry in polib.pofile(str(pots[0])) if not entry.obsolete
    }
    status = 0
    for po_path in sorted(i18n.glob("*.po")):
        problems = check_po(po_path, pot_ids)
        try:
            name = po_path.resolve().relative_to(ROOT)
        except ValueError:
            name = po_path
        for line, code, message in problems:
            print(f"{name}:{line}: {code} {message}")
        if problems:
            print(
                f"{name}: {len(problems)} problem(s); `make pot` brings the file up to "
                "date with the template, then translate what is named above"
            )
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
