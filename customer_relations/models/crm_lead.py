from odoo import Command, api, fields, models
from odoo.tools import SQL

from .customer_reliability_result import GRADES

GROUP_USER = "customer_relations.group_customer_relations_user"


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "customer.objection.mixin", "customer.protected.mixin"]
    _objection_link = "lead_id"
    _protected_fields = ("customer_referral_id",)

    def _objection_default_context(self):
        self.ensure_one()
        return {
            "default_partner_id": self.partner_id.id,
            "default_lead_id": self.id,
            "default_team_id": self.team_id.id,
            "default_company_id": self.company_id.id or self.env.company.id,
            "default_kind": "objection",
        }

    # Referrals: the new customer's side
    referred_by_id = fields.Many2one(
        "res.partner",
        string="Recommended By",
        tracking=True,
        copy=False,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        groups="customer_relations.group_customer_relations_user",
        help="The customer who recommended this prospect. Once the opportunity has "
        "a customer, the referral is registered (the referrer needs a confirmed "
        "order carrying a referral clause).",
    )
    customer_referral_id = fields.Many2one(
        "customer.referral",
        string="Referral",
        readonly=True,
        copy=False,
        groups="customer_relations.group_customer_relations_user",
        help="The referral registered from this opportunity.",
    )

    # Competitors
    competitor_ids = fields.Many2many(
        "customer.competitor",
        "crm_lead_customer_competitor_rel",
        "lead_id",
        "competitor_id",
        string="Competitors",
        # copied by copy_data for the users who may read them: Odoo's own
        # duplication by a salesperson without our groups must not read them
        copy=False,
        check_company=True,
        groups=GROUP_USER,
        help="The competitors met in this deal.",
    )
    lost_to_competitor_id = fields.Many2one(
        "customer.competitor",
        string="Lost To",
        index="btree_not_null",
        tracking=True,
        copy=False,
        check_company=True,
        groups=GROUP_USER,
        help="The competitor who won this deal, set when it is marked as lost.",
    )

    # Market segment of the customer, for prospects by segment: read, searched
    # and grouped through the customer's ranking in the current company.
    customer_segment_id = fields.Many2one(
        "customer.segment",
        string="Market Segment",
        compute="_compute_customer_segment_id",
        search="_search_customer_segment_id",
        groups=GROUP_USER,
        help="The market segment of the customer of this opportunity.",
    )

    @api.depends_context("company")
    @api.depends("partner_id")
    def _compute_customer_segment_id(self):
        for lead in self:
            lead.customer_segment_id = lead.partner_id.sudo().customer_segment_id

    def _search_customer_segment_id(self, operator, value):
        return [("partner_id", "any", [("customer_segment_id", operator, value)])]

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """Group opportunities by their customer's segment in SQL."""
        if fname != "customer_segment_id" or query is None:
            return super()._field_to_sql(alias, fname, query, flush)
        self.check_field_access_rights("read", [fname])
        partner_alias = query.make_alias(alias, "partner_id")
        query.add_join(
            "LEFT JOIN",
            partner_alias,
            "res_partner",
            SQL(
                "%s = %s",
                SQL.identifier(partner_alias, "id"),
                super()._field_to_sql(alias, "partner_id", query, flush),
            ),
        )
        return self.env["res.partner"]._field_to_sql(
            partner_alias, "customer_segment_id", query, flush
        )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if "competitor_ids" in (default or {}) or not (
            self.env.su or self.env.user.has_group(GROUP_USER)
        ):
            return vals_list
        for lead, vals in zip(self, vals_list, strict=True):
            vals["competitor_ids"] = [Command.set(lead.competitor_ids.ids)]
        return vals_list

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        if any(vals.get("referred_by_id") for vals in vals_list):
            leads._register_customer_referrals()
        return leads

    def write(self, vals):
        # a lost deal restored (or won) is no longer lost to anyone
        restored = (
            self.sudo().filtered(
                lambda lead: not lead.active and lead.lost_to_competitor_id
            )
            if vals.get("active")
            else self.browse()
        )
        res = super().write(vals)
        if restored:
            restored.lost_to_competitor_id = False
        if vals.get("referred_by_id") or (
            vals.get("partner_id") and self.sudo().referred_by_id
        ):
            self._register_customer_referrals()
        return res

    def _register_customer_referrals(self):
        """Register the referral of each opportunity that has a customer and a
        referrer but no referral yet. A referral the rules refuse refuses the
        opportunity's change, with the rule's message."""
        leads = self.sudo().filtered(
            lambda lead: (
                lead.referred_by_id
                and lead.partner_id
                and not lead.customer_referral_id
            )
        )
        if not leads:
            return
        referrals = self.env["customer.referral"].create(
            [
                {
                    "referrer_id": lead.referred_by_id.commercial_partner_id.id,
                    "referred_id": lead.partner_id.commercial_partner_id.id,
                    "company_id": (lead.company_id or self.env.company).id,
                }
                for lead in leads
            ]
        )
        for lead, referral in zip(leads, referrals, strict=True):
            lead.customer_referral_id = referral
            referral.message_post(
                body=self.env._(
                    "Registered from the opportunity %(lead)s.", lead=lead.name
                )
            )

    # ------------------------------------------------------------------
    # Reliability: the customer's, with the red flags ticked on the lead
    # ------------------------------------------------------------------

    reliability_manual_flag_ids = fields.Many2many(
        "customer.reliability.flag",
        "crm_lead_customer_reliability_flag_rel",
        "lead_id",
        "flag_id",
        string="Red Flags Ticked",
        domain=[("kind", "=", "manual")],
        help="Red flags you noticed on this prospect yourself.",
    )
    reliability_score = fields.Integer(
        compute="_compute_reliability",
        help="The customer's score less the red flags ticked on the opportunity; "
        "without a customer, 100 less the flags ticked.",
    )
    reliability_grade = fields.Selection(
        GRADES,
        string="Reliability",
        compute="_compute_reliability",
    )
    reliability_flag_ids = fields.Many2many(
        "customer.reliability.flag",
        string="Red Flags",
        compute="_compute_reliability",
    )

    @api.depends_context("company")
    @api.depends("partner_id", "company_id", "reliability_manual_flag_ids")
    def _compute_reliability(self):
        Result = self.env["customer.reliability.result"]
        for lead in self:
            company = lead.company_id or self.env.company
            partner = lead.partner_id.sudo().with_company(company)
            if partner:
                score = partner.reliability_score
                flags = partner.reliability_flag_ids
            else:
                score, flags = 100, self.env["customer.reliability.flag"]
            extra = lead.reliability_manual_flag_ids - flags
            score = max(0, score - sum(extra.mapped("weight")))
            lead.reliability_score = score
            lead.reliability_grade = Result._grade(score, company)
            lead.reliability_flag_ids = (flags | extra).ids

    def action_reliability_check(self):
        """Check the customer's reliability now."""
        self.check_access("read")
        self.partner_id.action_reliability_check()
        return True

    # Range: the product family an opportunity offers
    customer_range_category_id = fields.Many2one(
        "product.category",
        string="Offered Product Family",
        index="btree_not_null",
        copy=False,
        groups="customer_relations.group_customer_relations_user",
        help="The product family the customer did not buy yet that this "
        "opportunity offers (Offer on the customer's Range tab).",
    )
