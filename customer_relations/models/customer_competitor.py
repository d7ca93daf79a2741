from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerCompetitor(models.Model):
    """A company the sales team meets in its deals: what is known of it (a
    SWOT written over time by several managers) and how the deals against it
    end.

    Won and lost are those of ``crm``: a deal won against a competitor is an
    opportunity in a won stage that names it among its competitors; a deal
    lost to it is a lost opportunity (archived, probability 0) whose "Lost
    To" is that competitor. The figures count the opportunities the user may
    read."""

    _name = "customer.competitor"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Competitor"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    website = fields.Char()
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        check_company=True,
        tracking=True,
        help="The competitor's contact, when it is also a partner (a supplier, "
        "a reseller).",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to follow this competitor in every company.",
    )
    product_category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="The product categories in which this competitor sells against us.",
    )
    note = fields.Html(string="Notes")
    swot_ids = fields.One2many(
        "customer.competitor.swot", "competitor_id", string="SWOT"
    )
    strength_ids = fields.One2many(
        "customer.competitor.swot",
        "competitor_id",
        string="Strengths",
        domain=[("kind", "=", "strength")],
    )
    weakness_ids = fields.One2many(
        "customer.competitor.swot",
        "competitor_id",
        string="Weaknesses",
        domain=[("kind", "=", "weakness")],
    )
    opportunity_ids = fields.One2many(
        "customer.competitor.swot",
        "competitor_id",
        string="Opportunities",
        domain=[("kind", "=", "opportunity")],
    )
    threat_ids = fields.One2many(
        "customer.competitor.swot",
        "competitor_id",
        string="Threats",
        domain=[("kind", "=", "threat")],
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    won_count = fields.Integer(string="Won", compute="_compute_deal_figures")
    lost_count = fields.Integer(string="Lost", compute="_compute_deal_figures")
    open_count = fields.Integer(string="Open", compute="_compute_deal_figures")
    won_amount = fields.Monetary(string="Won Revenue", compute="_compute_deal_figures")
    lost_amount = fields.Monetary(
        string="Lost Revenue", compute="_compute_deal_figures"
    )
    win_rate = fields.Float(
        string="Win Rate (%)",
        compute="_compute_deal_figures",
        aggregator=False,
        help="Deals won against this competitor out of those won or lost against it.",
    )
    objection_count = fields.Integer(
        string="Objections", compute="_compute_objection_count"
    )

    _sql_constraints = [
        (
            "name_company_unique",
            "UNIQUE(name, company_id)",
            "A competitor with this name already exists in this company.",
        ),
    ]

    @api.constrains("name", "company_id")
    def _check_name_without_company(self):
        """The SQL rule above lets two shared competitors (no company) have the
        same name, as NULLs are distinct: refuse those here."""
        shared = self.filtered(lambda competitor: not competitor.company_id)
        if not shared:
            return
        self.flush_model(["name", "company_id"])
        same = (
            self.sudo()
            .with_context(active_test=False)
            ._read_group(
                [("company_id", "=", False), ("name", "in", shared.mapped("name"))],
                ["name"],
                having=[("__count", ">", 1)],
            )
        )
        if same:
            raise ValidationError(
                self.env._(
                    "A competitor named %(name)s already exists for all companies.",
                    name=same[0][0],
                )
            )

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for competitor in self:
            competitor.currency_id = (
                competitor.company_id or self.env.company
            ).currency_id

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_deal_figures(self):
        """Three grouped queries for all the competitors: won and open deals
        by the competitors they name, lost deals by who won them. Amounts are
        the expected revenues, in the companies' currencies."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        ids = self.ids
        won, still_open, lost = {}, {}, {}
        if ids:
            won = {
                competitor.id: (count, amount)
                for competitor, count, amount in Lead._read_group(
                    self._won_lead_domain(),
                    ["competitor_ids"],
                    ["__count", "expected_revenue:sum"],
                )
            }
            still_open = {
                competitor.id: count
                for competitor, count in Lead._read_group(
                    self._open_lead_domain(), ["competitor_ids"], ["__count"]
                )
            }
            lost = {
                competitor.id: (count, amount)
                for competitor, count, amount in Lead._read_group(
                    self._lost_lead_domain(),
                    ["lost_to_competitor_id"],
                    ["__count", "expected_revenue:sum"],
                )
            }
        for competitor in self:
            won_count, won_amount = won.get(competitor.id, (0, 0.0))
            lost_count, lost_amount = lost.get(competitor.id, (0, 0.0))
            competitor.won_count = won_count
            competitor.won_amount = won_amount
            competitor.lost_count = lost_count
            competitor.lost_amount = lost_amount
            competitor.open_count = still_open.get(competitor.id, 0)
            decided = won_count + lost_count
            competitor.win_rate = 100.0 * won_count / decided if decided else 0.0

    def _compute_objection_count(self):
        groups = self.env["customer.objection"]._read_group(
            [("competitor_id", "in", self.ids)], ["competitor_id"], ["__count"]
        )
        counts = {competitor.id: count for competitor, count in groups}
        for competitor in self:
            competitor.objection_count = counts.get(competitor.id, 0)

    # ------------------------------------------------------------------
    # Domains of the deals against the competitors of ``self``
    # ------------------------------------------------------------------

    def _won_lead_domain(self):
        return [
            ("type", "=", "opportunity"),
            ("competitor_ids", "in", self.ids),
            ("active", "=", True),
            ("stage_id.is_won", "=", True),
            ("lost_to_competitor_id", "=", False),
        ]

    def _lost_lead_domain(self):
        return [
            ("type", "=", "opportunity"),
            ("lost_to_competitor_id", "in", self.ids),
            ("active", "=", False),
            ("probability", "=", 0),
        ]

    def _open_lead_domain(self):
        return [
            ("type", "=", "opportunity"),
            ("competitor_ids", "in", self.ids),
            ("active", "=", True),
            ("stage_id.is_won", "=", False),
        ]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _action_view_leads(self, domain, name, context=None):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm.crm_lead_opportunities"
        )
        action.update(
            name=name,
            domain=domain,
            context={
                "default_type": "opportunity",
                "default_competitor_ids": [self.id],
                **(context or {}),
            },
        )
        return action

    @api.readonly
    def action_view_won_leads(self):
        return self._action_view_leads(
            self._won_lead_domain(), self.env._("Won against %s", self.name)
        )

    @api.readonly
    def action_view_lost_leads(self):
        return self._action_view_leads(
            self._lost_lead_domain(),
            self.env._("Lost to %s", self.name),
            {"active_test": False},
        )

    @api.readonly
    def action_view_open_leads(self):
        return self._action_view_leads(
            self._open_lead_domain(), self.env._("Open against %s", self.name)
        )

    @api.readonly
    def action_view_objections(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_objection_action"
        )
        action["domain"] = [("competitor_id", "=", self.id)]
        action["context"] = {"default_competitor_id": self.id}
        return action
