from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, sql

from .customer_reliability_result import GRADES

# Confirming more orders at once defers their support plans to the cron.
SUPPORT_PLAN_SYNC_LIMIT = 20
# Orders per statement when the tiers of historical orders are filled at
# installation.
BACKFILL_BATCH_SIZE = 50000
GROUP_ALL_ACCOUNTS = "customer_relations.group_customer_relations_user_all"
RELIABILITY_ACTIVITY = "customer_relations.mail_activity_type_reliability_approval"


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "customer.objection.mixin", "customer.protected.mixin"]
    _objection_link = "order_id"
    # Kept from the confirmation (or filled at installation), and the cron's
    # mark of orders whose support plan it creates.
    _protected_fields = (
        "customer_tier_id",
        "customer_tier_backfilled",
        "support_plan_pending",
        "reliability_approved_by_id",
        "reliability_approved_date",
        "customer_segment_id",
        "account_manager_id",
    )

    customer_tier_id = fields.Many2one(
        "customer.tier",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer's tier when the order was confirmed, kept as it was "
        "for reporting revenue by tier over time.",
    )
    account_manager_id = fields.Many2one(
        "res.users",
        string="Sold by Account Manager",
        readonly=True,
        copy=False,
        # indexed with the order's date (``init``): an account manager's
        # orders in a period, their first order
        help="Who looked after the account when the order was confirmed (its key "
        "account manager, else its salesperson), kept as it was so that the "
        "results of each account manager stay true when accounts change hands.",
    )
    customer_tier_backfilled = fields.Boolean(
        string="Tier Filled at Installation",
        readonly=True,
        copy=False,
        help="The order was confirmed before Customer Relations was installed: "
        "its tier was filled at the addon's installation from the tier its "
        "account had then, not known at confirmation.",
    )
    customer_segment_id = fields.Many2one(
        "customer.segment",
        string="Market Segment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="customer_relations.group_customer_relations_user",
        help="The customer's market segment when the order was confirmed, kept "
        "as it was for reporting revenue by segment over time.",
    )
    # Referrals
    referral_clause_id = fields.Many2one(
        "customer.referral.clause",
        compute="_compute_referral_clause_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        index="btree_not_null",
        help="The referral clause that is part of this contract, printed in the "
        "quotation and the order: new quotations get the default clause of the "
        "customer's tier.",
    )
    customer_referral_count = fields.Integer(
        string="Referrals",
        compute="_compute_customer_referral_count",
        groups="customer_relations.group_customer_relations_user",
    )

    def init(self):
        res = super().init()
        sql.create_index(
            self.env.cr,
            "sale_order_account_manager_date_index",
            self._table,
            ["account_manager_id", "date_order"],
            where="account_manager_id IS NOT NULL",
        )
        return res

    def write(self, vals):
        if (
            "referral_clause_id" in vals
            and not self.env.su
            and any(
                order.state == "sale"
                and order.referral_clause_id.id != (vals["referral_clause_id"] or False)
                for order in self
            )
        ):
            raise UserError(
                self.env._(
                    "The referral clause is part of the confirmed contract: it "
                    "cannot change after the confirmation."
                )
            )
        return super().write(vals)

    def _compute_pricelist_id(self):
        """New quotations of a customer whose tier has a pricelist get it."""
        res = super()._compute_pricelist_id()
        for order in self:
            if order.state != "draft" or not order.partner_id:
                continue
            tier = order.partner_id.commercial_partner_id.with_company(
                order.company_id
            ).customer_tier_id
            pricelist = tier.pricelist_id
            if pricelist and pricelist.company_id in (
                order.company_id,
                self.env["res.company"],
            ):
                order.pricelist_id = pricelist
        return res

    def _action_confirm(self):
        """The addon's one override of confirmation, where Odoo's apps extend
        it (sale_stock, sale_project…): each capability gets the whole batch
        of orders and reads what it needs in a few queries."""
        res = super()._action_confirm()
        self._reliability_on_confirm()
        self._freeze_customer_tier()
        self._freeze_customer_segment()
        self._freeze_account_manager()
        self._qualify_customer_referrals()
        self._create_support_plans()
        self._customer_range_refresh()
        return res

    def _action_cancel(self):
        """The addon's one override of cancellation."""
        res = super()._action_cancel()
        self._requalify_customer_referrals()
        self._cancel_support_plans()
        self._customer_range_refresh()
        return res

    def _freeze_customer_tier(self):
        """Keep on each order the customer's tier in the order's company."""
        for company, orders in self.grouped("company_id").items():
            orders = orders.with_company(company)
            for tier, same in orders.grouped(
                lambda o: o.partner_id.commercial_partner_id.customer_tier_id
            ).items():
                same.sudo().customer_tier_id = tier

    def _freeze_customer_segment(self):
        """Keep on each order the customer's segment in the order's company."""
        for company, orders in self.grouped("company_id").items():
            orders = orders.with_company(company).sudo()
            for segment, same in orders.grouped(
                lambda o: o.partner_id.commercial_partner_id.customer_segment_id
            ).items():
                same.customer_segment_id = segment

    @api.model
    def _backfill_customer_segment(self):
        """Give the confirmed orders without segment (confirmed before
        segments existed) the segment their account has now in the order's
        company, as ``_freeze_customer_segment`` would have at confirmation.
        One set-based statement; returns the number of orders filled."""
        self.flush_model(["state", "partner_id", "company_id", "customer_segment_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["customer.tier.ranking"].flush_model(
            ["partner_id", "company_id", "segment_id"]
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE sale_order so
                   SET customer_segment_id = r.segment_id
                  FROM res_partner p, customer_tier_ranking r
                 WHERE so.state = 'sale'
                   AND so.customer_segment_id IS NULL
                   AND p.id = so.partner_id
                   AND r.partner_id = p.commercial_partner_id
                   AND r.company_id = so.company_id
                   AND r.segment_id IS NOT NULL
                """
            )
        )
        filled = self.env.cr.rowcount
        self.invalidate_model(["customer_segment_id"], flush=False)
        return filled

    def _freeze_account_manager(self):
        """Keep on each order who looked after its account at confirmation."""
        for manager, orders in self.grouped(
            lambda o: o.partner_id._get_account_manager()
        ).items():
            orders.sudo().account_manager_id = manager

    @api.model
    def _backfill_account_manager(self):
        """Give the confirmed orders without account manager (confirmed before
        the addon knew it) the one their account has now: its key account
        manager, else its salesperson, as ``_freeze_account_manager`` would
        have at confirmation. One statement; returns the orders filled."""
        self.flush_model(["state", "partner_id", "account_manager_id"])
        self.env["res.partner"].flush_model(
            ["commercial_partner_id", "key_account_manager_id", "user_id"]
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE sale_order so
                   SET account_manager_id = COALESCE(
                           acc.key_account_manager_id, acc.user_id)
                  FROM res_partner p
                  JOIN res_partner acc ON acc.id = p.commercial_partner_id
                 WHERE so.state = 'sale'
                   AND so.account_manager_id IS NULL
                   AND p.id = so.partner_id
                   AND COALESCE(acc.key_account_manager_id, acc.user_id) IS NOT NULL
                """
            )
        )
        filled = self.env.cr.rowcount
        self.invalidate_model(["account_manager_id"], flush=False)
        return filled

    @api.model
    def _backfill_customer_tier(self, batch_size=BACKFILL_BATCH_SIZE):
        """Give the confirmed orders without tier (confirmed before the addon
        was installed) the tier their account has now in the order's company,
        as ``_freeze_customer_tier`` would have at confirmation, and mark them
        as filled at installation. Orders whose account has no tier there are
        left without. Set-based, one statement per batch of orders; returns
        the number of orders filled.
        """
        self.flush_model(["state", "partner_id", "company_id", "customer_tier_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["customer.tier.ranking"].flush_model(
            ["partner_id", "company_id", "tier_id"]
        )
        order_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT id FROM sale_order WHERE state = 'sale' "
                    "AND customer_tier_id IS NULL ORDER BY id"
                )
            )
        ]
        filled = 0
        for start in range(0, len(order_ids), batch_size):
            batch = order_ids[start : start + batch_size]
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE sale_order so
                       SET customer_tier_id = r.tier_id,
                           customer_tier_backfilled = TRUE
                      FROM res_partner p, customer_tier_ranking r
                     WHERE so.id BETWEEN %(first)s AND %(last)s
                       AND so.state = 'sale'
                       AND so.customer_tier_id IS NULL
                       AND p.id = so.partner_id
                       AND r.partner_id = p.commercial_partner_id
                       AND r.company_id = so.company_id
                       AND r.tier_id IS NOT NULL
                    """,
                    first=batch[0],
                    last=batch[-1],
                )
            )
            filled += self.env.cr.rowcount
        self.invalidate_model(
            ["customer_tier_id", "customer_tier_backfilled"], flush=False
        )
        return filled

    # ------------------------------------------------------------------
    # Objections
    # ------------------------------------------------------------------

    def _objection_default_context(self):
        """A complaint once the order is confirmed, an objection before."""
        self.ensure_one()
        return {
            "default_partner_id": self.partner_id.id,
            "default_order_id": self.id,
            "default_lead_id": self.opportunity_id.id,
            "default_team_id": self.team_id.id,
            "default_company_id": self.company_id.id,
            "default_kind": "complaint" if self.state == "sale" else "objection",
        }

    # ------------------------------------------------------------------
    # Referrals
    # ------------------------------------------------------------------

    @api.depends("partner_id", "company_id")
    def _compute_referral_clause_id(self):
        for order in self:
            if order.state not in ("draft", "sent") or not order.partner_id:
                order.referral_clause_id = order.referral_clause_id
                continue
            account = order.with_company(order.company_id).partner_id
            clause = account.commercial_partner_id.customer_tier_id.referral_clause_id
            if clause.company_id and clause.company_id != order.company_id:
                clause = clause.browse()
            order.referral_clause_id = clause

    def _compute_customer_referral_count(self):
        groups = self.env["customer.referral"]._read_group(
            [("source_order_id", "in", self.ids)], ["source_order_id"], ["__count"]
        )
        counts = {order.id: count for order, count in groups}
        for order in self:
            order.customer_referral_count = counts.get(order.id, 0)

    def _qualify_customer_referrals(self):
        """First orders of referred customers qualify their referrals."""
        self.env["customer.referral"].sudo()._qualify_from_orders(self.sudo())

    def _requalify_customer_referrals(self):
        self.env["customer.referral"].sudo()._requalify_cancelled_orders(self.sudo())

    @api.readonly
    def action_register_customer_referral(self):
        """Register a new customer recommended by this order's customer."""
        self.ensure_one()
        self.check_access("read")
        self.env["customer.referral"].check_access("create")
        return self.env["customer.referral.register"]._action_open(
            referrer=self.partner_id.commercial_partner_id,
            source_order=self,
            company=self.company_id,
        )

    @api.readonly
    def action_view_customer_referrals(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_referral_action"
        )
        action["domain"] = [("source_order_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Support plans
    # ------------------------------------------------------------------

    support_plan_pending = fields.Boolean(
        string="Support Plan to Create",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Confirmed in a mass confirmation: its support plan is created by "
        "the scheduled action right after.",
    )
    support_plan_ids = fields.One2many(
        "customer.support.plan",
        "order_id",
        string="Support Plans",
        groups="customer_relations.group_customer_relations_user",
    )
    support_plan_id = fields.Many2one(
        "customer.support.plan",
        compute="_compute_support_plan_id",
        groups="customer_relations.group_customer_relations_user",
        help="The plan following the contract through since its confirmation.",
    )
    support_plan_progress = fields.Float(
        compute="_compute_support_plan_id",
        string="Follow-up Progress",
        groups="customer_relations.group_customer_relations_user",
    )

    @api.depends("support_plan_ids.state", "support_plan_ids.progress")
    def _compute_support_plan_id(self):
        Plan = self.env["customer.support.plan"]
        plans = Plan.search([("order_id", "in", self.ids)]) if self.ids else Plan
        latest = {}
        for plan in plans.sorted(lambda p: (p.state != "cancelled", p.id)):
            latest[plan.order_id.id] = plan
        for order in self:
            order.support_plan_id = latest.get(order.id, Plan)
            order.support_plan_progress = order.support_plan_id.progress

    def _create_support_plans(self):
        """Give each newly confirmed order its support plan (batched).

        An order confirmed by a user gets its plan at once. A mass
        confirmation (an import, a batch action: more than
        ``SUPPORT_PLAN_SYNC_LIMIT`` orders) only marks its orders, in one
        query, and wakes up the cron that creates their plans in batches right
        after, so that confirming stays as fast as without the addon.
        """
        if len(self) > SUPPORT_PLAN_SYNC_LIMIT:
            self.sudo().support_plan_pending = True
            self.env.ref("customer_relations.ir_cron_support_plan_create")._trigger()
            return
        self.env["customer.support.plan"]._create_for_orders(self)

    def _cancel_support_plans(self):
        self.filtered("support_plan_pending").sudo().support_plan_pending = False
        plans = (
            self.env["customer.support.plan"]
            .sudo()
            .search([("order_id", "in", self.ids), ("state", "!=", "cancelled")])
        )
        plans._cancel()

    def _portal_support_steps(self):
        """The steps of the order's follow-up that its customer may see in
        the portal (their workflow step is visible to the customer), with
        their status and due date; as superuser: the caller checked the
        customer's access to the order."""
        self.ensure_one()
        if self.state != "sale":
            return self.env["customer.support.step"]
        return (
            self.env["customer.support.step"]
            .sudo()
            .search(
                [
                    ("order_id", "=", self.id),
                    ("plan_id.state", "!=", "cancelled"),
                    ("workflow_step_id.portal_visible", "=", True),
                ],
                order="sequence, deadline, id",
            )
        )

    @api.readonly
    def action_view_support_plan(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_support_plan_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {}
        if self.support_plan_id:
            action.update(
                view_mode="form",
                views=[(False, "form")],
                res_id=self.support_plan_id.id,
            )
        return action

    # ------------------------------------------------------------------
    # Reliability
    # ------------------------------------------------------------------

    reliability_grade = fields.Selection(
        GRADES,
        string="Reliability",
        compute="_compute_reliability",
        help="The customer's reliability in the order's company.",
    )
    reliability_warning = fields.Char(compute="_compute_reliability")
    reliability_approval_needed = fields.Boolean(
        compute="_compute_reliability_approval_needed",
        help="The customer is risky and the Settings ask for the approval of a user "
        "with access to all accounts.",
    )
    reliability_approved_by_id = fields.Many2one(
        "res.users",
        string="Approved By",
        readonly=True,
        copy=False,
        tracking=True,
        help="Who approved the order of this risky customer.",
    )
    reliability_approved_date = fields.Datetime(
        string="Approved On", readonly=True, copy=False
    )

    @api.depends("partner_id", "company_id", "state", "reliability_approved_by_id")
    def _compute_reliability(self):
        for order in self:
            partner = order.partner_id.sudo().with_company(order.company_id)
            grade = partner.reliability_grade if partner else "reliable"
            order.reliability_grade = grade
            risky = grade == "risky"
            warning = ""
            if risky and order.state in ("draft", "sent"):
                warning = self.env._(
                    "%(partner)s is a risky customer (score %(score)s): %(flags)s.",
                    partner=partner.commercial_partner_id.name,
                    score=partner.reliability_score,
                    flags=", ".join(partner.reliability_flag_ids.mapped("name")),
                )
                if order.reliability_approval_needed:
                    warning += " " + self.env._(
                        "Its orders are confirmed with the approval of a user with "
                        "access to all accounts."
                    )
            order.reliability_warning = warning

    @api.depends("partner_id", "company_id", "reliability_approved_by_id")
    def _compute_reliability_approval_needed(self):
        """Apart from the grade, so that confirming an order reads nothing of
        the customer's reliability when the company asks for no approval."""
        for company, orders in self.grouped("company_id").items():
            if not company.reliability_approval:
                orders.reliability_approval_needed = False
                continue
            for order in orders:
                order.reliability_approval_needed = bool(
                    order.partner_id
                    and not order.reliability_approved_by_id
                    and order.partner_id.sudo().with_company(company).reliability_grade
                    == "risky"
                )

    def _reliability_interactive(self):
        """A salesperson confirms: not the portal's signature or payment, nor
        the e-commerce, which confirm as superuser."""
        return not self.env.su and not self.env.user.share

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error:
            return error
        if (
            self.reliability_approval_needed
            and self._reliability_interactive()
            and not self.env.user.has_group(GROUP_ALL_ACCOUNTS)
        ):
            return self.env._(
                "%(partner)s is a risky customer: the order %(order)s needs the "
                "approval of a user with access to all accounts before it is "
                "confirmed. Use “Ask Approval” on the quotation.",
                partner=self.partner_id.commercial_partner_id.name,
                order=self.name,
            )
        return False

    def _reliability_on_confirm(self):
        """Record the approval of the risky orders an "All Accounts" user
        confirms; ask for it on those confirmed without a salesperson."""
        orders = self.filtered("reliability_approval_needed")
        if not orders:
            return
        if self._reliability_interactive() and self.env.user.has_group(
            GROUP_ALL_ACCOUNTS
        ):
            orders._reliability_approve()
        else:
            orders._reliability_ask_approval()

    def _reliability_approver(self):
        self.ensure_one()
        manager = self.partner_id._get_account_manager()
        for user in (manager, self.team_id.user_id):
            if user and user.has_group(GROUP_ALL_ACCOUNTS):
                return user
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", self.env.ref(GROUP_ALL_ACCOUNTS).id),
                    ("share", "=", False),
                    ("company_ids", "in", self.company_id.id),
                    ("id", "!=", SUPERUSER_ID),
                ],
                order="id",
                limit=1,
            )
        )

    def _reliability_ask_approval(self):
        activity_type = self.env.ref(RELIABILITY_ACTIVITY)
        for order in self.sudo():
            if activity_type in order.activity_ids.activity_type_id:
                continue
            order.activity_schedule(
                RELIABILITY_ACTIVITY,
                user_id=order._reliability_approver().id,
                note=self.env._(
                    "%(partner)s is a risky customer: please approve the order.",
                    partner=order.partner_id.commercial_partner_id.name,
                ),
            )

    def _reliability_approve(self):
        self.sudo().write(
            {
                "reliability_approved_by_id": self.env.uid,
                "reliability_approved_date": fields.Datetime.now(),
            }
        )
        self.sudo().activity_feedback(
            [RELIABILITY_ACTIVITY],
            feedback=self.env._("Approved by %(user)s.", user=self.env.user.name),
        )

    def action_reliability_request_approval(self):
        """Ask a user with access to all accounts to approve these orders."""
        self.check_access("write")
        self.filtered("reliability_approval_needed")._reliability_ask_approval()
        return True

    def action_reliability_approve(self):
        """Approve the orders of a risky customer (users with access to all
        accounts)."""
        self.check_access("write")
        if not self.env.user.has_group(GROUP_ALL_ACCOUNTS):
            raise AccessError(
                self.env._(
                    "Only users with access to all accounts may approve the orders "
                    "of risky customers."
                )
            )
        self.filtered(lambda o: not o.reliability_approved_by_id)._reliability_approve()
        return True

    # ------------------------------------------------------------------
    # Range
    # ------------------------------------------------------------------

    def _customer_range_refresh(self):
        """The range of the orders' accounts follows their confirmation and
        cancellation at once: one statement for all the accounts."""
        self.env["customer.range.coverage"].sudo()._recompute_accounts(
            self.partner_id.commercial_partner_id.ids
        )
