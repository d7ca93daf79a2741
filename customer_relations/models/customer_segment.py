import datetime
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval

from .customer_tier import _pg_array

_logger = logging.getLogger(__name__)

GROUP_ALL_ACCOUNTS = "customer_relations.group_customer_relations_user_all"
GROUP_MANAGER = "customer_relations.group_customer_relations_manager"


class CustomerSegment(models.Model):
    """A market segment: the accounts that match its rule (a domain on
    partners), the first segment by sequence winning, so that each account is
    in one segment at most and revenue by segment adds up to the total.

    Membership is kept per account and company on the account's
    ``customer.tier.ranking`` row (``segment_id``), written set-based by the
    nightly recompute; an administrator may pin an account to a segment by
    hand, with a reason.
    """

    _name = "customer.segment"
    _description = "Market Segment"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    description = fields.Text(
        translate=True,
        help="Who the accounts of this segment are and what they need.",
    )
    sequence = fields.Integer(
        default=10,
        tracking=True,
        help="An account belongs to the first segment, in this order, whose "
        "rule it matches.",
    )
    rule_domain = fields.Char(
        string="Rule",
        required=True,
        default="[]",
        tracking=True,
        help="The accounts of this segment: a condition on customers (country, "
        "industry, tags, tier, revenue, city…). An account matching the rules "
        "of several segments belongs to the first one.",
    )
    color = fields.Integer(string="Color Index")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        tracking=True,
        help="Leave empty to use this segment in every company.",
    )
    account_count = fields.Integer(
        string="Accounts",
        compute="_compute_account_count",
        help="Accounts of this segment in the current company.",
    )

    @api.depends_context("company")
    def _compute_account_count(self):
        groups = (
            self.env["customer.tier.ranking"]
            .sudo()
            ._read_group(
                [
                    ("segment_id", "in", self.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["segment_id"],
                ["__count"],
            )
        )
        counts = {segment.id: count for segment, count in groups}
        for segment in self:
            segment.account_count = counts.get(segment.id, 0)

    @api.constrains("rule_domain", "company_id")
    def _check_rule_domain(self):
        """A rule is a valid domain on customers: it is evaluated and run
        (on no record) before it is saved."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        for segment in self:
            try:
                with self.env.cr.savepoint(flush=False):
                    query = Partner._search(segment._rule_domain_eval())
                    query.limit = 1
                    self.env.execute_query(query.select())
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "The rule of the segment %(segment)s is not a valid "
                        "condition on customers: %(error)s",
                        segment=segment.display_name,
                        error=str(error) or type(error).__name__,
                    )
                ) from error

    def _rule_domain_eval(self):
        """The rule as a domain, evaluated as Odoo's domain editor writes it
        (dates relative to today are allowed)."""
        self.ensure_one()
        domain = safe_eval(
            self.rule_domain or "[]",
            {
                "uid": self.env.uid,
                "user": self.env.user,
                "datetime": safe_datetime,
                "relativedelta": relativedelta,
                "context_today": lambda: fields.Date.context_today(self),
                "company_id": (self.company_id or self.env.company).id,
            },
        )
        if not isinstance(domain, list | tuple):
            raise UserError(self.env._("The rule must be a list of conditions."))
        return expression.normalize_domain(list(domain))

    # ------------------------------------------------------------------
    # Membership
    # ------------------------------------------------------------------

    def _rule_condition(self, partners):
        """The rule as an SQL condition on the table ``res_partner`` (the
        domain as Odoo's ORM compiles it for ``partners``' environment)."""
        self.ensure_one()
        query = partners._search(self._rule_domain_eval())
        if query._joins or query.table != partners._table:
            return SQL(
                "%s IN %s", SQL.identifier(partners._table, "id"), query.subselect()
            )
        return query.where_clause or SQL("TRUE")

    @api.model
    def _recompute_accounts(self, account_ids):
        """Put the given commercial entities into their segment, in every
        company: the first active segment of the company (or shared) by
        sequence whose rule they match.

        One statement per company for the whole batch: the rules, compiled by
        the ORM, are the branches of one ``CASE`` evaluated on the batch's
        accounts, and the rankings whose segment changed are written in the
        same statement. Accounts pinned by hand are left alone. A rule that
        fails is reported in its segment's chatter and skipped: the accounts in
        that segment keep it, the other rules go on. Returns the failed
        segments.
        """
        if not account_ids:
            return self.browse()
        self.env["res.partner"].flush_model()
        self.env["customer.tier.ranking"].flush_model()
        companies = self.env["res.company"].sudo().search([])
        segments = self.sudo().search([])
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        ids_array = _pg_array(account_ids)
        failed = {}
        for company in companies:
            partners = Partner.with_company(company)
            rules = {}
            for segment in segments:
                if segment.company_id not in (company, self.env["res.company"]):
                    continue
                if segment in failed:
                    continue
                try:
                    rules[segment] = segment._rule_condition(partners)
                except Exception as error:  # noqa: BLE001 - any error of a rule
                    failed[segment] = error
            try:
                with self.env.cr.savepoint(flush=False):
                    self._write_segments(company, ids_array, rules, failed)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception:  # noqa: BLE001 - find the rules that fail
                for segment, condition in list(rules.items()):
                    try:
                        with self.env.cr.savepoint(flush=False):
                            self.env.execute_query(
                                SQL(
                                    "SELECT count(*) FROM res_partner "
                                    "WHERE res_partner.id = ANY(%s::int[]) AND (%s)",
                                    ids_array,
                                    condition,
                                )
                            )
                    except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                        raise
                    except Exception as error:  # noqa: BLE001
                        failed[segment] = error
                        del rules[segment]
                self._write_segments(company, ids_array, rules, failed)
        self.env["customer.tier.ranking"].invalidate_model(["segment_id"])
        self.env["res.partner"].invalidate_model(["customer_segment_id"], flush=False)
        self.invalidate_model(["account_count"], flush=False)
        for segment, error in failed.items():
            _logger.warning(
                "Segment %s: its rule failed and was skipped: %s", segment.id, error
            )
            segment._report_rule_failure(error)
        return self.browse().union(*failed)

    @api.model
    def _write_segments(self, company, ids_array, rules, failed):
        """Write in ``company`` the first segment of ``rules`` (an ordered
        ``{segment: SQL condition}``) that each account of ``ids_array``
        matches, where it changed; accounts pinned, or in a segment of
        ``failed``, keep theirs."""
        if rules:
            first_match = SQL(
                "CASE %s END",
                SQL(" ").join(
                    SQL("WHEN (%s) THEN %s", condition, segment.id)
                    for segment, condition in rules.items()
                ),
            )
        else:
            first_match = SQL("NULL::int")
        self.env.cr.execute(
            SQL(
                """
                WITH decided AS MATERIALIZED (
                    SELECT res_partner.id AS partner_id, %(first_match)s AS segment_id
                      FROM res_partner
                     WHERE res_partner.id = ANY(%(ids)s::int[])
                ), accounts AS (
                    SELECT d.partner_id, d.segment_id, r.segment_id AS old_segment_id
                      FROM decided d
                      LEFT JOIN customer_tier_ranking r
                             ON r.partner_id = d.partner_id
                            AND r.company_id = %(company)s
                     WHERE NOT COALESCE(r.segment_locked, FALSE)
                       AND (r.segment_id IS NULL
                            OR r.segment_id <> ALL(%(kept)s::int[]))
                )
                INSERT INTO customer_tier_ranking AS r
                       (partner_id, company_id, segment_id, locked, segment_locked)
                SELECT acc.partner_id, %(company)s, acc.segment_id, FALSE, FALSE
                  FROM accounts acc
                 WHERE acc.segment_id IS DISTINCT FROM acc.old_segment_id
                    ON CONFLICT (partner_id, company_id) DO UPDATE
                   SET segment_id = CASE WHEN r.segment_locked THEN r.segment_id
                                         ELSE EXCLUDED.segment_id END
                """,
                first_match=first_match,
                ids=ids_array,
                company=company.id,
                kept=_pg_array([segment.id for segment in failed]),
            )
        )

    def _report_rule_failure(self, error):
        """Say in the segment's chatter that its rule failed (once a day for
        the same error, not once per batch)."""
        self.ensure_one()
        body = self.env._(
            "The rule of this segment failed at the recompute and was skipped: "
            "its accounts keep their segment until it is corrected. Error: "
            "%(error)s",
            error=str(error) or type(error).__name__,
        )
        already = (
            self.env["mail.message"]
            .sudo()
            .search_count(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("body", "=", f"<p>{body}</p>"),
                    (
                        "date",
                        ">=",
                        fields.Datetime.now() - datetime.timedelta(hours=20),
                    ),
                ],
                limit=1,
            )
        )
        if not already:
            self.sudo()._message_log(body=body)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_recompute_segments(self):
        """Put every account into its segment now (administrators)."""
        self.env["res.partner"].check_access("read")
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                self.env._(
                    "Only Customer Relations administrators may recompute the segments."
                )
            )
        self.env["res.partner"].sudo()._cron_customer_segment_recompute(
            all_batches=True
        )
        return True

    @api.readonly
    def action_view_accounts(self):
        """The accounts of this segment in the current company."""
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.res_partner_action_all_accounts"
        )
        action["name"] = self.display_name
        action["domain"] = [
            ("is_customer_account", "=", True),
            (
                "customer_tier_ranking_ids",
                "any",
                [
                    ("segment_id", "=", self.id),
                    ("company_id", "=", self.env.company.id),
                ],
            ),
        ]
        action["context"] = {"res_partner_search_mode": "customer"}
        return action

    @api.readonly
    def action_send_promotion(self):
        """Open Odoo's mail composer in mass mode on the contacts of this
        segment's accounts that have an email and did not opt out (users who
        see all accounts)."""
        self.ensure_one()
        self.check_access("read")
        if not self.env.user.has_group(GROUP_ALL_ACCOUNTS):
            raise AccessError(
                self.env._(
                    "Only users who see all accounts may send a promotion to a "
                    "whole segment."
                )
            )
        return self.env["res.partner"]._action_customer_promotion(
            [("customer_segment_id", "=", self.id)], segment=self
        )
