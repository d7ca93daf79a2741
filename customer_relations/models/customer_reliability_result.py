from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .customer_tier import _pg_array

GRADES = [("reliable", "Reliable"), ("watch", "Watch"), ("risky", "Risky")]


class CustomerReliabilityResult(models.Model):
    """An account's reliability in one company: its score, its grade, and
    (on its lines) the red flags that made them.

    One narrow row per commercial entity and company, written with its lines
    and its history by the reliability check in one set-based statement per
    batch of accounts. An account without a row has no red flag: 100 points,
    reliable.
    """

    _name = "customer.reliability.result"
    _description = "Customer Reliability"
    _rec_name = "partner_id"
    _order = "company_id, partner_id"
    _check_company_auto = True
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    score = fields.Integer(default=100)
    grade = fields.Selection(GRADES, required=True, default="reliable")
    date = fields.Datetime(string="Checked On")

    _sql_constraints = [
        (
            "partner_company_unique",
            "UNIQUE(partner_id, company_id)",
            "A customer has one reliability per company.",
        ),
    ]

    @api.model
    def _grade(self, score, company):
        """The grade of ``score`` with the thresholds of ``company``."""
        if score >= company.reliability_watch_score:
            return "reliable"
        if score >= company.reliability_risky_score:
            return "watch"
        return "risky"

    @api.model
    def _check_parameters(self, companies):
        Partner = self.env["res.partner"]
        params = {
            "company": [],
            "watch": [],
            "risky": [],
            "late_days": [],
            "use_limit": [],
            "limit_default": [],
            "trust_default": [],
        }
        for company in companies:
            partner = Partner.with_company(company)
            params["company"].append(company.id)
            params["watch"].append(company.reliability_watch_score)
            params["risky"].append(company.reliability_risky_score)
            params["late_days"].append(company.reliability_late_days)
            params["use_limit"].append(company.account_use_credit_limit)
            params["limit_default"].append(
                partner._fields["credit_limit"].get_company_dependent_fallback(partner)
                or 0.0
            )
            params["trust_default"].append(
                partner._fields["trust"].get_company_dependent_fallback(partner)
                or "normal"
            )
        return {key: _pg_array(values) for key, values in params.items()}

    @api.model
    def _recompute_accounts(self, account_ids, today=None):
        """Check the reliability of the given commercial entities in every
        company, in one statement for the whole batch.

        It finds the automatic red flags of each account and company from the
        posted receivables of the account and all its contacts, its trust and
        credit limit (company-dependent: the company's value, else its
        default), its complaints and its registry, adds the manual flags ticked
        on the account, and writes the score, the grade, the flags with their
        evidence, and a history row for each grade that changed. Returns the
        number of grade changes.
        """
        if not account_ids:
            return 0
        today = today or fields.Date.context_today(self)
        now = fields.Datetime.now()
        for model, fnames in (
            (
                "account.move.line",
                [
                    "partner_id",
                    "company_id",
                    "parent_state",
                    "account_id",
                    "reconciled",
                    "amount_residual",
                    "balance",
                    "date_maturity",
                ],
            ),
            ("account.partial.reconcile", ["debit_move_id", "max_date"]),
            (
                "res.partner",
                [
                    "commercial_partner_id",
                    "is_company",
                    "vat",
                    "company_registry",
                    "trust",
                    "credit_limit",
                    "reliability_manual_flag_ids",
                ],
            ),
            (
                "customer.objection",
                ["partner_id", "company_id", "kind", "is_closed", "deadline"],
            ),
        ):
            self.env[model].flush_model(fnames)
        for model in (
            "customer.reliability.flag",
            "customer.reliability.result",
            "customer.reliability.line",
            "customer.reliability.history",
        ):
            self.env[model].flush_model()
        companies = self.env["res.company"].sudo().search([])
        [(changes,)] = self.env.execute_query(
            SQL(
                """
                WITH params AS (
                    SELECT * FROM unnest(%(company)s::int[], %(watch)s::int[],
                                  %(risky)s::int[], %(late_days)s::int[],
                                  %(use_limit)s::bool[], %(limit_default)s::numeric[],
                                  %(trust_default)s::varchar[])
                        AS c(company_id, watch, risky, late_days, use_limit,
                             limit_default, trust_default)
                ), accounts AS (
                    SELECT p.id AS partner_id, p.is_company, p.vat,
                           p.company_registry, p.trust, p.credit_limit
                      FROM res_partner p
                     WHERE p.id = ANY(%(ids)s::int[])
                ), receivable AS (
                    SELECT c.commercial_partner_id AS partner_id, l.company_id,
                           SUM(l.amount_residual) AS balance,
                           COUNT(DISTINCT l.move_id) FILTER (
                               WHERE l.date_maturity < %(today)s
                                 AND l.amount_residual > 0) AS overdue_count,
                           SUM(l.amount_residual) FILTER (
                               WHERE l.date_maturity < %(today)s
                                 AND l.amount_residual > 0) AS overdue_amount,
                           MAX(%(today)s - l.date_maturity) FILTER (
                               WHERE l.date_maturity < %(today)s
                                 AND l.amount_residual > 0) AS overdue_days
                      FROM account_move_line l
                      JOIN res_partner c ON c.id = l.partner_id
                      JOIN account_account aa
                        ON aa.id = l.account_id
                       AND aa.account_type = 'asset_receivable'
                     WHERE c.commercial_partner_id = ANY(%(ids)s::int[])
                       AND l.parent_state = 'posted'
                       AND NOT l.reconciled
                     GROUP BY c.commercial_partner_id, l.company_id
                ), paid AS (
                    SELECT c.commercial_partner_id AS partner_id, l.company_id,
                           COUNT(*) AS paid_count,
                           AVG(GREATEST(pr.paid_date - l.date_maturity, 0))
                               AS late_days
                      FROM account_move_line l
                      JOIN res_partner c ON c.id = l.partner_id
                      JOIN account_account aa
                        ON aa.id = l.account_id
                       AND aa.account_type = 'asset_receivable'
                      JOIN LATERAL (
                          SELECT MAX(apr.max_date) AS paid_date
                            FROM account_partial_reconcile apr
                           WHERE apr.debit_move_id = l.id
                      ) pr ON pr.paid_date IS NOT NULL
                     WHERE c.commercial_partner_id = ANY(%(ids)s::int[])
                       AND l.parent_state = 'posted'
                       AND l.reconciled
                       AND l.balance > 0
                       AND l.date_maturity >= %(year_ago)s
                     GROUP BY c.commercial_partner_id, l.company_id
                ), complaints AS (
                    SELECT c.commercial_partner_id AS partner_id, o.company_id,
                           COUNT(*) AS complaint_count,
                           MAX(%(today)s - o.deadline::date) AS complaint_days
                      FROM customer_objection o
                      JOIN res_partner c ON c.id = o.partner_id
                     WHERE c.commercial_partner_id = ANY(%(ids)s::int[])
                       AND o.kind = 'complaint'
                       AND o.is_closed IS NOT TRUE
                       AND o.deadline < %(now)s
                     GROUP BY c.commercial_partner_id, o.company_id
                ), auto_flags AS (
                    SELECT a.partner_id, pa.company_id, f.id AS flag_id, f.weight,
                           CASE f.code
                               WHEN 'overdue' THEN r.overdue_count
                               WHEN 'complaints' THEN cp.complaint_count
                               WHEN 'late_payments' THEN pd.paid_count
                           END AS count,
                           CASE f.code
                               WHEN 'overdue' THEN r.overdue_amount
                               WHEN 'credit_limit' THEN r.balance
                           END AS amount,
                           CASE f.code
                               WHEN 'credit_limit' THEN v.credit_limit
                           END AS reference_amount,
                           CASE f.code
                               WHEN 'overdue' THEN r.overdue_days
                               WHEN 'complaints' THEN cp.complaint_days
                               WHEN 'late_payments' THEN ROUND(pd.late_days)::int
                           END AS days,
                           CASE f.code
                               WHEN 'overdue' THEN COALESCE(r.overdue_count, 0) > 0
                               WHEN 'trust' THEN v.trust = 'bad'
                               WHEN 'credit_limit' THEN pa.use_limit
                                   AND v.credit_limit > 0
                                   AND COALESCE(r.balance, 0) > v.credit_limit
                               WHEN 'complaints' THEN cp.complaint_count > 0
                               WHEN 'late_payments'
                                   THEN COALESCE(pd.late_days, 0) > pa.late_days
                               WHEN 'no_vat' THEN a.is_company
                                   AND COALESCE(a.vat, '') = ''
                               WHEN 'no_registry' THEN a.is_company
                                   AND COALESCE(a.company_registry, '') = ''
                               ELSE FALSE
                           END AS hit
                      FROM accounts a
                     CROSS JOIN params pa
                     -- company-dependent: the company's value, else its default
                     CROSS JOIN LATERAL (
                         SELECT COALESCE((a.credit_limit ->> pa.company_id::text)
                                         ::numeric, pa.limit_default) AS credit_limit,
                                COALESCE(a.trust ->> pa.company_id::text,
                                         pa.trust_default) AS trust
                     ) v
                      JOIN customer_reliability_flag f
                        ON f.kind = 'automatic' AND f.active
                      LEFT JOIN receivable r
                             ON r.partner_id = a.partner_id
                            AND r.company_id = pa.company_id
                      LEFT JOIN paid pd
                             ON pd.partner_id = a.partner_id
                            AND pd.company_id = pa.company_id
                      LEFT JOIN complaints cp
                             ON cp.partner_id = a.partner_id
                            AND cp.company_id = pa.company_id
                ), hits AS (
                    SELECT partner_id, company_id, flag_id, weight, count, amount,
                           reference_amount, days
                      FROM auto_flags WHERE hit
                ), manual AS (
                    SELECT rel.res_partner_id AS partner_id, pa.company_id,
                           f.weight
                      FROM customer_reliability_flag_res_partner_rel rel
                      JOIN customer_reliability_flag f
                        ON f.id = rel.customer_reliability_flag_id AND f.active
                     CROSS JOIN params pa
                     WHERE rel.res_partner_id = ANY(%(ids)s::int[])
                ), points AS (
                    SELECT partner_id, company_id, SUM(weight) AS weight
                      FROM (SELECT partner_id, company_id, weight FROM hits
                            UNION ALL
                            SELECT partner_id, company_id, weight FROM manual) w
                     GROUP BY partner_id, company_id
                ), scored AS (
                    SELECT a.partner_id, pa.company_id, s.score,
                           CASE WHEN s.score >= pa.watch THEN 'reliable'
                                WHEN s.score >= pa.risky THEN 'watch'
                                ELSE 'risky' END AS grade,
                           old.grade AS old_grade, old.score AS old_score
                      FROM accounts a
                     CROSS JOIN params pa
                      LEFT JOIN points pt
                             ON pt.partner_id = a.partner_id
                            AND pt.company_id = pa.company_id
                      LEFT JOIN customer_reliability_result old
                             ON old.partner_id = a.partner_id
                            AND old.company_id = pa.company_id
                     CROSS JOIN LATERAL (
                         SELECT GREATEST(0, 100 - COALESCE(pt.weight, 0))::int
                             AS score
                     ) s
                     -- accounts without flag nor row stay without row
                     WHERE pt.partner_id IS NOT NULL OR old.id IS NOT NULL
                ), written AS (
                    INSERT INTO customer_reliability_result AS r
                           (partner_id, company_id, score, grade, date)
                    SELECT partner_id, company_id, score, grade, %(now)s
                      FROM scored
                        ON CONFLICT (partner_id, company_id) DO UPDATE
                       SET score = EXCLUDED.score, grade = EXCLUDED.grade,
                           date = EXCLUDED.date
                ), removed AS (
                    DELETE FROM customer_reliability_line
                     WHERE partner_id = ANY(%(ids)s::int[])
                ), lines AS (
                    INSERT INTO customer_reliability_line
                           (partner_id, company_id, flag_id, count, amount,
                            reference_amount, days)
                    SELECT partner_id, company_id, flag_id, count, amount,
                           reference_amount, days
                      FROM hits
                ), logged AS (
                    INSERT INTO customer_reliability_history
                           (partner_id, company_id, old_grade, new_grade, score, date)
                    SELECT partner_id, company_id, old_grade, grade, score, %(now)s
                      FROM scored
                     WHERE grade IS DISTINCT FROM COALESCE(old_grade, 'reliable')
                    RETURNING 1
                )
                SELECT count(*) FROM logged
                """,
                ids=_pg_array(account_ids),
                today=today,
                year_ago=today - timedelta(days=365),
                now=now,
                **self._check_parameters(companies),
            )
        )
        for model in (
            "customer.reliability.result",
            "customer.reliability.line",
            "customer.reliability.history",
        ):
            self.env[model].invalidate_model()
        self.env["res.partner"].invalidate_model(
            [
                "reliability_score",
                "reliability_grade",
                "reliability_flag_ids",
                "reliability_line_ids",
                "reliability_history_ids",
            ],
            flush=False,
        )
        self.env["crm.lead"].invalidate_model(
            ["reliability_score", "reliability_grade", "reliability_flag_ids"],
            flush=False,
        )
        self.env["sale.order"].invalidate_model(
            ["reliability_grade", "reliability_warning"], flush=False
        )
        return changes
