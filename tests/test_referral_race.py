"""A referral clause's maximum of rewarded referrals holds when two administrators
approve two referrals of one referrer at the same moment.

Each approval reads how many referrals are rewarded already, in its own
REPEATABLE READ snapshot: both can read "none", and only the database can
refuse the second coupon. Odoo's test classes cannot show it (all their cursors
share one connection and one transaction), so this test installs the addon
into a throwaway database, commits its data there and races two real
transactions, each on its own connection and thread.
"""

import threading
import time
from contextlib import closing, suppress

import psycopg2
import pytest

import odoo
from odoo import Command
from odoo.api import Environment
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tools import mute_logger

from odoo.addons.customer_relations.tests.common import create_referral_program

from tests.test_install import plain_db, run_odoo  # noqa: F401 (plain_db: fixture)

# No step of the race may hang the suite: every wait is bounded by this.
TIMEOUT = 60  # seconds
# How the database (or the addon, before it) may refuse the second reward.
REFUSALS = (
    psycopg2.IntegrityError,  # ExclusionViolation, UniqueViolation...
    psycopg2.extensions.TransactionRollbackError,  # serialization, deadlock
    UserError,  # ValidationError too
)


@pytest.fixture
def race_db(plain_db, tmp_path):  # noqa: F811
    """The addon installed without demo data into plain_db, which drops the
    database afterwards, pass or fail: its registry and pooled connections are
    released first."""
    args = ["-d", plain_db, "-i", "customer_relations", "--without-demo=all"]
    run_odoo("server", [*args, "--stop-after-init"], tmp_path / "install.log")
    yield plain_db
    Registry.delete(plain_db)
    odoo.sql_db.close_db(plain_db)


def build_referrals(registry):
    """Commit a referrer whose contract's clause rewards one referral only (and
    waits for an administrator's approval), and two new customers it referred
    whose first orders are confirmed: two qualified referrals, one reward left.
    Returns (admin's uid, referrer id, clause id, referral ids)."""
    with registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        program = create_referral_program(env, "Race: 10% on your next order")
        clause = env["customer.referral.clause"].create(
            {
                "name": "Race: one new customer rewarded",
                "program_id": program.id,
                "max_referrals": 1,
                "reward_approval": True,
                "min_first_order_amount": 0.0,
                "validity_days": 0,
            }
        )
        product = env["product.product"].create(
            {"name": "Race product", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        referrer, *newcomers = env["res.partner"].create(
            [
                {"name": name, "is_company": True, "customer_rank": 1}
                for name in ("Race Referrer", "Race Newcomer A", "Race Newcomer B")
            ]
        )

        def confirm_order(partner, clause=None):
            order = env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "referral_clause_id": clause.id if clause else False,
                    "order_line": [Command.create({"product_id": product.id})],
                }
            )
            order.action_confirm()

        confirm_order(referrer, clause)
        referrals = env["customer.referral"].create(
            [{"referrer_id": referrer.id, "referred_id": p.id} for p in newcomers]
        )
        for newcomer in newcomers:
            confirm_order(newcomer)
        assert referrals.clause_id == clause
        assert referrals.mapped("state") == ["qualified", "qualified"]
        return env.ref("base.user_admin").id, referrer.id, clause.id, referrals.ids


def approve(registry, uid, referral_id, barrier, pids, outcomes):
    """One administrator's request: approve the referral, wait until the other
    request has approved its own (so neither saw the other's reward), commit.
    ``outcomes[referral_id]`` is None when committed, else the error."""
    threading.current_thread().dbname = registry.db_name
    cr = registry.cursor()
    try:
        # the first query also takes the snapshot, before either one commits
        cr.execute("SELECT pg_backend_pid()")
        pids[referral_id] = cr.fetchone()[0]
        try:
            env = Environment(cr, uid, {})
            env["customer.referral"].browse(referral_id).action_approve()
        finally:
            with suppress(threading.BrokenBarrierError):
                barrier.wait(TIMEOUT)
        cr.commit()
        outcomes[referral_id] = None
    except Exception as error:  # noqa: BLE001 (reported to the test)
        outcomes[referral_id] = error
    finally:
        cr.close()


def race(registry, uid, referral_ids):
    """Both approvals at once, each in its thread; {referral id: outcome}.

    When an approval writes its reward before committing, the database makes
    the other one wait for it inside ``action_approve``: then the first one
    would wait at the barrier for ever. The main thread watches the locks and
    breaks the barrier when one request is blocked by the other one, which
    then commits and lets the database decide the blocked one."""
    barrier = threading.Barrier(2)
    pids, outcomes = {}, {}
    threads = [
        threading.Thread(
            target=approve,
            args=(registry, uid, referral_id, barrier, pids, outcomes),
            daemon=True,
        )
        for referral_id in referral_ids
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + TIMEOUT
    with closing(registry.cursor()) as watch:
        while any(t.is_alive() for t in threads) and time.monotonic() < deadline:
            for thread in threads:
                thread.join(0.05)
            if len(pids) == 2 and barrier.n_waiting and not barrier.broken:
                watch.execute(
                    "SELECT bool_or(pg_blocking_pids(pid) && %s) FROM unnest(%s) pid",
                    [list(pids.values())] * 2,
                )
                if watch.fetchone()[0]:
                    barrier.abort()
    assert not any(t.is_alive() for t in threads), f"approvals hang after {TIMEOUT} s"
    return outcomes


def test_max_referrals_hold_under_concurrent_approvals(race_db, monkeypatch):
    """Exactly one of the two approvals rewards the referrer: one coupon, one
    rewarded referral; the other approval failed (its referral is still
    qualified) or saw the reward and rejected its referral."""
    # as in production: with pytest-odoo's test_enable, loading the registry
    # would also run the addons' at_install tests
    monkeypatch.setitem(odoo.tools.config.options, "test_enable", False)
    registry = Registry(race_db)
    uid, referrer_id, clause_id, referral_ids = build_referrals(registry)
    with mute_logger("odoo.sql_db"):  # the refused commit logs its bad query
        outcomes = race(registry, uid, referral_ids)

    with closing(registry.cursor()) as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        states = {r.id: r.state for r in env["customer.referral"].browse(referral_ids)}
        coupons = env["loyalty.card"].search(
            [
                ("customer_referral_id.referrer_id", "=", referrer_id),
                ("customer_referral_id.clause_id", "=", clause_id),
            ]
        )
        coupon_referrals = coupons.customer_referral_id.ids
    report = f"states {states}, outcomes {outcomes!r}, coupons of {coupon_referrals}"
    assert None in outcomes.values(), f"no approval succeeded: {report}"
    rewarded = [rid for rid, state in states.items() if state == "rewarded"]
    assert len(rewarded) == 1, f"max_referrals=1 exceeded: {report}"
    assert len(coupons) == 1 and coupon_referrals == rewarded, report
    [winner] = rewarded
    [loser] = set(referral_ids) - {winner}
    assert outcomes[winner] is None, report
    assert states[loser] in ("qualified", "rejected"), report
    assert outcomes[loser] is None or isinstance(outcomes[loser], REFUSALS), report
