"""Segment benchmark: the nightly segment recompute over 100,000 customer
companies and 10 segments with realistic rules (tier, country, city,
industry, tags, revenue and orders of the last 12 months).

The accounts' standing (tier, revenue, orders) is written straight into their
ranking rows, as the daily tier ranking leaves it: the rules read it there.

Prints the full recompute's time, its rerun (nothing changes), the time of
the same first-match result as one bare SQL query that writes nothing (the
floor, to compare with the rerun) and as one bare statement that writes it
into the ranking rows (to compare with the first run, which writes them
all), and the queries of one batch of 10,000 and of 100,000 accounts (the
same: one statement per company, whatever the batch size). Checks that the
recompute and the floor agree on every account.
"""

import time

from odoo.tools import SQL

from .generate import create_accounts, create_managers

COMPANIES = 100_000
CURSOR = "customer_relations.segment_recompute_last_id"
COUNTRIES = ("IT", "DE", "FR", "AT", "CH", "ES", "US", "BE")
CITIES = ("Milano", "Roma", "Torino", "Berlin", "Paris", "Wien", "Madrid", "Austin")


def _setup(env, company_ids):
    """Countries, cities, industries, tags and standing of the accounts;
    returns the 10 segments."""
    countries = [env.ref(f"base.{code.lower()}").id for code in COUNTRIES]
    industries = env["res.partner.industry"].search([], order="id", limit=6)
    if len(industries) < 6:
        industries |= env["res.partner.industry"].create(
            [{"name": f"Bench Industry {i}"} for i in range(6 - len(industries))]
        )
    tags = env["res.partner.category"].create(
        [{"name": name} for name in ("Retail", "Wholesale", "Public", "Online")]
    )
    env.cr.execute(
        SQL(
            """
            UPDATE res_partner
               SET country_id = (%(countries)s::int[])[1 + mod(id, 8)],
                   city = (%(cities)s::varchar[])[1 + mod(id / 8, 8)],
                   industry_id = (%(industries)s::int[])[1 + mod(id / 3, 6)]
             WHERE id = ANY(%(ids)s)
            """,
            countries=countries,
            cities=list(CITIES),
            industries=industries.ids,
            ids=company_ids,
        )
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner_res_partner_category_rel (category_id, partner_id)
            SELECT (%(tags)s::int[])[1 + mod(id / 5, 4)], id
              FROM res_partner WHERE id = ANY(%(ids)s) AND mod(id, 3) <> 0
            """,
            tags=tags.ids,
            ids=company_ids,
        )
    )
    Tier = env["customer.tier"]
    strategic = Tier.create({"name": "Bench Strategic", "min_annual_revenue": 90000})
    key = Tier.create({"name": "Bench Key", "min_annual_revenue": 60000})
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO customer_tier_ranking (partner_id, company_id, annual_revenue,
                   annual_order_count, year_revenue, tier_id, locked)
            SELECT id, %(company)s, mod(id * 37, 100000), mod(id * 7, 25), 0,
                   CASE WHEN mod(id * 37, 100000) >= 90000 THEN %(strategic)s
                        WHEN mod(id * 37, 100000) >= 60000 THEN %(key)s END,
                   FALSE
              FROM res_partner WHERE id = ANY(%(ids)s)
                ON CONFLICT (partner_id, company_id) DO NOTHING
            """,
            company=env.company.id,
            strategic=strategic.id,
            key=key.id,
            ids=company_ids,
        )
    )
    env["customer.segment"].search([]).active = False
    rules = [
        (
            "Strategic in Italy",
            [("customer_tier_id", "=", strategic.id), ("country_id.code", "=", "IT")],
        ),
        ("Key accounts", [("customer_tier_id", "!=", False)]),
        ("Health care", [("industry_id", "=", industries[0].id)]),
        ("Retail chains", [("category_id", "in", tags[0].ids)]),
        ("Milan and Rome", [("city", "in", ["Milano", "Roma"])]),
        ("Frequent buyers", [("annual_order_count", ">=", 20)]),
        ("DACH", [("country_id.code", "in", ["DE", "AT", "CH"])]),
        ("Mid revenue", [("annual_revenue", ">=", 30000)]),
        ("Public sector", [("category_id", "in", tags[2].ids)]),
        ("Other companies", [("is_company", "=", True)]),
    ]
    segments = env["customer.segment"].create(
        [
            {"name": name, "sequence": index, "rule_domain": repr(domain)}
            for index, (name, domain) in enumerate(rules)
        ]
    )
    return segments, strategic, key, tags, industries


def _floor_query(env, segments, strategic, tags, industries):
    """The same first match for every account as one bare query."""
    company = env.company.id
    s = segments.ids
    return SQL(
        """
        SELECT p.id,
               CASE
                 WHEN r.tier_id = %(strategic)s AND c.code = 'IT' THEN %(s0)s
                 WHEN r.tier_id IS NOT NULL THEN %(s1)s
                 WHEN p.industry_id = %(health)s THEN %(s2)s
                 WHEN EXISTS (SELECT 1 FROM res_partner_res_partner_category_rel t
                               WHERE t.partner_id = p.id AND t.category_id = %(retail)s)
                      THEN %(s3)s
                 WHEN p.city IN ('Milano', 'Roma') THEN %(s4)s
                 WHEN COALESCE(r.annual_order_count, 0) >= 20 THEN %(s5)s
                 WHEN c.code IN ('DE', 'AT', 'CH') THEN %(s6)s
                 WHEN COALESCE(r.annual_revenue, 0) >= 30000 THEN %(s7)s
                 WHEN EXISTS (SELECT 1 FROM res_partner_res_partner_category_rel t
                               WHERE t.partner_id = p.id AND t.category_id = %(public)s)
                      THEN %(s8)s
                 WHEN p.is_company THEN %(s9)s
               END
          FROM res_partner p
          LEFT JOIN res_country c ON c.id = p.country_id
          LEFT JOIN customer_tier_ranking r
                 ON r.partner_id = p.id AND r.company_id = %(company)s
         WHERE p.id = p.commercial_partner_id
        """,
        strategic=strategic.id,
        health=industries[0].id,
        retail=tags[0].id,
        public=tags[2].id,
        company=company,
        **{f"s{i}": s[i] for i in range(10)},
    )


def _one_batch_queries(env, batch_size):
    env["ir.config_parameter"].sudo().set_param(CURSOR, 0)
    env.flush_all()
    queries = env.cr.sql_log_count
    env["res.partner"]._cron_customer_segment_recompute(batch_size=batch_size)
    env.flush_all()
    return env.cr.sql_log_count - queries


def run(env, report, companies=COMPANIES):
    start = time.perf_counter()
    managers = create_managers(env, 20, prefix="bench_seg_kam")
    company_ids = create_accounts(env, companies, 0, managers, prefix="Segment")
    segments, strategic, __, tags, industries = _setup(env, company_ids)
    for table in (
        "res_partner",
        "customer_tier_ranking",
        "res_partner_res_partner_category_rel",
    ):
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    report("segments_generate_s", time.perf_counter() - start, "s")

    env.flush_all()
    env["ir.config_parameter"].sudo().set_param(CURSOR, 0)
    start = time.perf_counter()
    env["res.partner"]._cron_customer_segment_recompute(all_batches=True)
    env.flush_all()
    elapsed = time.perf_counter() - start
    report("segments_recompute_s", elapsed, "s")

    start = time.perf_counter()
    env["res.partner"]._cron_customer_segment_recompute(all_batches=True)
    env.flush_all()
    rerun = time.perf_counter() - start
    report("segments_recompute_rerun_s", rerun, "s")

    start = time.perf_counter()
    expected = env.execute_query(
        _floor_query(env, segments, strategic, tags, industries)
    )
    floor = time.perf_counter() - start
    report("segments_recompute_sql_floor_s", floor, "s")
    report("segments_recompute_ratio_to_floor", elapsed / floor if floor else 0.0, "x")
    report(
        "segments_recompute_rerun_ratio_to_floor",
        rerun / floor if floor else 0.0,
        "x",
    )

    actual = dict(
        env.execute_query(
            SQL(
                "SELECT partner_id, segment_id FROM customer_tier_ranking "
                "WHERE company_id = %s",
                env.company.id,
            )
        )
    )
    mismatches = sum(
        1 for partner_id, segment_id in expected if actual.get(partner_id) != segment_id
    )
    report("segments_recompute_mismatches", mismatches, "accounts")
    # The floor of the first run, which writes every account's segment: the
    # same bare query writing its result into the ranking rows (emptied first).
    env.cr.execute(
        SQL(
            "UPDATE customer_tier_ranking SET segment_id = NULL WHERE company_id = %s",
            env.company.id,
        )
    )
    start = time.perf_counter()
    env.cr.execute(
        SQL(
            """
            UPDATE customer_tier_ranking r SET segment_id = f.segment_id
              FROM (%(floor)s) AS f(partner_id, segment_id)
             WHERE r.partner_id = f.partner_id AND r.company_id = %(company)s
               AND f.segment_id IS NOT NULL
            """,
            floor=_floor_query(env, segments, strategic, tags, industries),
            company=env.company.id,
        )
    )
    floor_write = time.perf_counter() - start
    report("segments_recompute_sql_floor_write_s", floor_write, "s")
    report(
        "segments_recompute_ratio_to_floor_write",
        elapsed / floor_write if floor_write else 0.0,
        "x",
    )

    report(
        "segments_recompute_queries_batch_10000",
        _one_batch_queries(env, 10_000),
        "queries",
    )
    report(
        "segments_recompute_queries_batch_100000",
        _one_batch_queries(env, 100_000),
        "queries",
    )
    groups = env["customer.tier.ranking"]._read_group(
        [("partner_id", "in", company_ids), ("company_id", "=", env.company.id)],
        ["segment_id"],
        ["__count"],
    )
    for segment, count in groups:
        name = (segment.name or "none").lower().replace(" ", "_")
        report(f"segments_accounts_{name}", count, "accounts")
