"""Accounts benchmark: "My Accounts" on 100,000 partners.

33,334 customer companies with 2 contacts each, owned by 50 account managers.
Measures what a manager waits for when opening My Accounts (count and first
page) and the cost of reassigning 1,000 accounts (their contacts follow).
"""

import statistics
import time

from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .generate import create_accounts, create_managers

COMPANIES = 33_334
CONTACTS = 2
MANAGERS = 50


def _median_ms(func, repeat=5):
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _queries(env, func):
    before = env.cr.sql_log_count
    func()
    return env.cr.sql_log_count - before


def run(env, report):
    start = time.perf_counter()
    managers = create_managers(env, MANAGERS)
    company_ids = create_accounts(env, COMPANIES, CONTACTS, managers)
    env.cr.execute("ANALYZE res_partner")
    report("accounts_generate_s", time.perf_counter() - start, "s")
    env.cr.execute(
        SQL(
            "SELECT count(*) FROM res_partner WHERE commercial_partner_id = ANY(%s)",
            company_ids,
        )
    )
    report("accounts_partners", env.cr.fetchone()[0], "partners")

    action = env.ref("customer_relations.res_partner_action_my_accounts")
    manager = managers[0]
    domain = safe_eval(action.domain, {"uid": manager.id})
    partners = env["res.partner"].with_user(manager)
    mine = domain + [("is_my_account", "=", True)]
    spec = {
        "display_name": {},
        "key_account_manager_id": {"fields": {"display_name": {}}},
    }

    def count():
        partners.search_count(mine)

    def first_page():
        env.invalidate_all()
        partners.web_search_read(mine, spec, limit=80)

    report("my_accounts_count_ms", _median_ms(count), "ms")
    report("my_accounts_first_page_ms", _median_ms(first_page), "ms")
    report("my_accounts_first_page_queries", _queries(env, first_page), "queries")

    companies = env["res.partner"].browse(company_ids[:1000])
    other = managers[1]

    def reassign(name):
        env.flush_all()
        with env.cr.savepoint(flush=False) as savepoint:
            start = time.perf_counter()
            queries = env.cr.sql_log_count
            companies.write({"key_account_manager_id": other.id})
            env.flush_all()
            report(f"{name}_s", time.perf_counter() - start, "s")
            report(f"{name}_queries", env.cr.sql_log_count - queries, "queries")
            savepoint.rollback()
        env.invalidate_all()

    reassign("kam_reassign_1000")
    # the same with two objections per account: their stored account manager
    # follows in the same number of queries
    env["customer.objection"].with_context(
        tracking_disable=True, mail_create_nolog=True
    ).create(
        [
            {"name": f"Bench objection {i}", "partner_id": company.id}
            for company in companies
            for i in range(2)
        ]
    )
    reassign("kam_reassign_1000_with_objections")
