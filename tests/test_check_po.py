"""The translation check of make lint (.ci/check_po.py) and the merge of make
pot (.ci/po_merge.py), on the committed files and on broken copies of them."""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
CI = ROOT / ".ci"
I18N = ROOT / "customer_relations" / "i18n"
POT = "customer_relations.pot"
# the body of the referral reward email: translated QWeb markup
REWARD_MAIL = "body_html:customer_relations.mail_template_customer_referral_reward"


def load(name):
    spec = importlib.util.spec_from_file_location(name, CI / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


check_po = load("check_po")
po_merge = load("po_merge")


@pytest.fixture
def i18n(tmp_path):
    """A copy of the addon's i18n folder, to break."""
    folder = tmp_path / "i18n"
    shutil.copytree(I18N, folder)
    return folder


def edit(folder, change):
    po = polib.pofile(str(folder / "it.po"))
    change(po)
    po.save(str(folder / "it.po"))


def entry(po, start):
    """The entry whose msgid is `start`, else the one msgid that starts with it,
    else the one of the record's field (`field:module.xml_id`) named `start`."""
    exact = [e for e in po if e.msgid == start]
    (found,) = (
        exact
        or [e for e in po if e.msgid.startswith(start)]
        or [e for e in po if any(o.endswith(f",{start}") for o, __ in e.occurrences)]
    )
    return found


def problems(folder):
    pot_ids = {e.msgid for e in polib.pofile(str(folder / POT))}
    return check_po.check_po(folder / "it.po", pot_ids)


def codes(folder):
    return [code for _line, code, _message in problems(folder)]


def test_committed_translations_pass():
    assert check_po.main([str(I18N)]) == 0


def test_every_entry_of_the_template_is_translated():
    pot = polib.pofile(str(I18N / POT))
    po = polib.pofile(str(I18N / "it.po"))
    translated = {
        e.msgid for e in po if e.msgstr or check_po.SAME_AS_SOURCE in e.tcomment
    }
    assert {e.msgid for e in pot} == translated
    assert po.metadata["Language"] == "it"
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")


def test_the_lint_hook_runs_the_check():
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "entry: python3 .ci/check_po.py" in config


def test_missing_entry(i18n):
    edit(i18n, lambda po: po.remove(entry(po, "Key Account Manager")))
    assert codes(i18n) == ["po-missing"]
    assert "'Key Account Manager'" in problems(i18n)[0][2]


def test_untranslated_entry(i18n):
    def untranslate(po):
        entry(po, "Objection Categories").msgstr = ""

    edit(i18n, untranslate)
    assert codes(i18n) == ["po-untranslated"]
    result = subprocess.run(
        [sys.executable, str(CI / "check_po.py"), str(i18n)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "po-untranslated 'Objection Categories': no translation" in result.stdout


def test_same_as_source_needs_its_comment(i18n):
    def drop_comment(po):
        entry(po, "Fax").tcomment = ""

    assert codes(i18n) == []
    edit(i18n, drop_comment)
    assert codes(i18n) == ["po-untranslated"]


def test_fuzzy_entry(i18n):
    edit(i18n, lambda po: entry(po, "Customer Tiers").flags.append("fuzzy"))
    assert codes(i18n) == ["po-fuzzy"]


def test_obsolete_entries(i18n):
    def add_obsolete(po):
        po.append(
            polib.POEntry(msgid="A string the code no longer has", msgstr="Una stringa")
        )
        po.append(
            polib.POEntry(msgid="Another gone string", msgstr="Un'altra", obsolete=True)
        )

    edit(i18n, add_obsolete)
    assert codes(i18n) == ["po-obsolete", "po-obsolete"]


@pytest.mark.parametrize(
    ("start", "old", "new"),
    [
        ("%(partner)s can be referred only once.", "%(partner)s", "%(cliente)s"),
        ("%(partner)s can be referred only once.", "%(partner)s", "%s"),
        ("Referral rejected: %(reason)s", ": %(reason)s", "."),
        (
            "Thank you for recommending {{",
            "{{ object.referred_id.name }}",
            "{{ object.name }}",
        ),
        (
            "Thank you for recommending {{",
            "{{ object.referred_id.name }}",
            "il cliente",
        ),
    ],
)
def test_placeholder_changed(i18n, start, old, new):
    def change(po):
        found = entry(po, start)
        assert old in found.msgstr
        found.msgstr = found.msgstr.replace(old, new)

    edit(i18n, change)
    assert codes(i18n) == ["po-placeholder"]


@pytest.mark.parametrize(
    ("start", "old", "new"),
    [
        ("<strong>Referral Clause</strong>", "<strong>", ""),
        (
            '<span class="o_stat_text">Objections',
            'class="o_stat_text"',
            'class="o_stat_value"',
        ),
        (REWARD_MAIL, "<br/><br/>", "<br/>"),
        (REWARD_MAIL, "object.referrer_id.name", "object.referred_id.name"),
        (REWARD_MAIL, "<t t-if=", "<t t-elif="),
    ],
)
def test_markup_changed(i18n, start, old, new):
    def change(po):
        found = entry(po, start)
        assert old in found.msgstr
        found.msgstr = found.msgstr.replace(old, new, 1)

    edit(i18n, change)
    assert "po-markup" in codes(i18n)


def test_translated_attributes_may_differ(i18n):
    # title="Scadenza" for title="Deadline": Odoo translates titles.
    translation = entry(
        polib.pofile(str(i18n / "it.po")), '<i class="fa fa-clock-o'
    ).msgstr
    assert 'title="Scadenza"' in translation
    assert codes(i18n) == []


def test_percent_in_text_is_not_a_placeholder():
    assert not check_po.placeholders("10% on your next order, 5% off")
    assert check_po.placeholders("%(a)s and %s, {b} {{ c.d }}") == {
        "%(a)s": 1,
        "%s": 1,
        "{b}": 1,
        "{{ c.d }}": 1,
    }


def test_header_needs_language(i18n):
    def drop_language(po):
        del po.metadata["Language"]

    edit(i18n, drop_language)
    assert codes(i18n) == ["po-header"]


def test_merge_keeps_translations_and_names_new_entries(i18n):
    """make pot's merge: a new string is empty (the check names it), a reworded
    one comes back fuzzy with its old translation, a gone one is dropped."""
    pot = polib.pofile(str(i18n / POT))
    entry(
        pot, "Only qualified referrals can be approved."
    ).msgid = "Only qualified referrals may be approved."
    pot.remove(entry(pot, "Customer Tiers"))
    pot.append(
        polib.POEntry(msgid="A brand new string", comment="module: customer_relations")
    )
    pot.save(str(i18n / POT))

    assert po_merge.main([str(i18n)]) == 0
    po = polib.pofile(str(i18n / "it.po"))
    assert entry(po, "Key Account Manager").msgstr == "Key account manager"
    reworded = entry(po, "Only qualified referrals may be approved.")
    assert reworded.msgstr == "Si possono approvare solo le segnalazioni qualificate."
    assert "fuzzy" in reworded.flags
    assert reworded.previous_msgid == "Only qualified referrals can be approved."
    assert not [e for e in po if e.msgid == "Customer Tiers"]
    assert entry(po, "A brand new string").msgstr == ""
    assert sorted(codes(i18n)) == ["po-fuzzy", "po-untranslated"]


def test_merge_of_the_committed_files_changes_nothing(i18n):
    before = (i18n / "it.po").read_text(encoding="utf-8")
    assert po_merge.main([str(i18n)]) == 0
    assert (i18n / "it.po").read_text(encoding="utf-8") == before
