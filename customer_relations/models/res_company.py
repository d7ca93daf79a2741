from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    objection_sla_hours = fields.Float(
        string="Default Objection Response Time (hours)",
        default=16.0,
        help="Working hours within which objections must be answered when neither "
        "the customer's tier nor the objection's category sets a response time.",
    )
    objection_alias_category_id = fields.Many2one(
        "customer.objection.category",
        string="Category of Emailed Complaints",
        help="The category whose email address is the company's complaints "
        "address (Settings). Other categories may have their own address.",
    )

    # Reliability of prospects and customers
    reliability_watch_score = fields.Integer(
        string="Reliable from Score",
        default=80,
        help="Accounts scoring at least this are reliable; below it, they are to "
        "watch.",
    )
    reliability_risky_score = fields.Integer(
        string="Watch from Score",
        default=50,
        help="Accounts scoring below this are risky.",
    )
    reliability_late_days = fields.Integer(
        string="Late Payments Tolerance (days)",
        default=15,
        help="An account paying its invoices later than this on average over the "
        "last 12 months raises the red flag of late payments.",
    )
    reliability_approval = fields.Boolean(
        string="Approval for Risky Customers",
        help="Quotations of risky customers are confirmed by users with access to "
        "all accounts; other salespeople ask for their approval.",
    )

    _sql_constraints = [
        (
            "objection_sla_hours_positive",
            "CHECK(objection_sla_hours >= 0)",
            "The default objection response time cannot be negative.",
        ),
    ]

    @api.constrains(
        "reliability_watch_score", "reliability_risky_score", "reliability_late_days"
    )
    def _check_reliability_thresholds(self):
        for company in self:
            watch = company.reliability_watch_score
            risky = company.reliability_risky_score
            if not (0 <= risky <= 100 and 0 <= watch <= 100):
                raise ValidationError(
                    self.env._("The reliability thresholds are scores from 0 to 100.")
                )
            if risky >= watch:
                raise ValidationError(
                    self.env._(
                        "The score below which customers are risky (%(risky)s) must "
                        "be lower than the score from which they are reliable "
                        "(%(watch)s).",
                        risky=risky,
                        watch=watch,
                    )
                )
            if company.reliability_late_days < 0:
                raise ValidationError(
                    self.env._("The tolerance of late payments cannot be negative.")
                )

    # Range: the product families offered to every account
    customer_range_category_ids = fields.Many2many(
        "product.category",
        "res_company_customer_range_category_rel",
        "company_id",
        "category_id",
        string="Product Families",
        help="The families of products offered to every account (a product "
        "belongs to the family that is its category or an ancestor of it). "
        "Empty: the subcategories of the root categories (those of All).",
    )
    customer_range_white_space_threshold = fields.Float(
        string="White Space Threshold (%)",
        default=50.0,
        help="A family is white space for an account when at least this share "
        "of the accounts of its market segment buy the family and the account does "
        "not.",
    )

    @api.constrains("customer_range_white_space_threshold")
    def _check_customer_range_white_space_threshold(self):
        for company in self:
            if not 0 < company.customer_range_white_space_threshold <= 100:
                raise ValidationError(
                    self.env._(
                        "The white space threshold is a share of accounts above 0% "
                        "and up to 100%."
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if "customer_range_category_ids" in vals:
            # the range of every account changes: the cron computes it now
            cron = self.env.ref(
                "customer_relations.ir_cron_customer_range_recompute",
                raise_if_not_found=False,
            )
            if cron:
                cron.sudo()._trigger()
        return res
