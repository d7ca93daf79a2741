from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

GROUP_ALL_ACCOUNTS = "customer_relations.group_customer_relations_user_all"


class ResPartner(models.Model):
    _inherit = "res.partner"

    key_account_manager_id = fields.Many2one(
        "res.users",
        tracking=True,
        index="btree_not_null",
        copy=False,
        domain=[("share", "=", False)],
        help="Internal user who owns the relationship with this account. Contacts "
        "follow the key account manager of their company. When an account has no "
        "key account manager, its salesperson looks after it.",
    )
    is_customer_account = fields.Boolean(
        string="Customer Account",
        compute="_compute_is_customer_account",
        search="_search_is_customer_account",
        help="A commercial entity (a company, or an individual without company) "
        "that is a customer or that someone looks after: it has a key account "
        "manager or a salesperson.",
    )
    is_my_account = fields.Boolean(
        string="My Account",
        compute="_compute_is_my_account",
        search="_search_is_my_account",
        help="The account is yours when you are its key account manager or, when it "
        "has none, its salesperson. Contacts are decided on their company.",
    )
    can_edit_key_account_manager = fields.Boolean(
        compute="_compute_can_edit_key_account_manager",
    )

    @api.depends(
        "is_company", "parent_id", "customer_rank", "key_account_manager_id", "user_id"
    )
    def _compute_is_customer_account(self):
        for partner in self:
            partner.is_customer_account = bool(
                (partner.is_company or not partner.parent_id)
                and (
                    partner.customer_rank > 0
                    or partner.key_account_manager_id
                    or partner.user_id
                )
            )

    def _search_is_customer_account(self, operator, value):
        domain = [
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
            "|",
            "|",
            ("customer_rank", ">", 0),
            ("key_account_manager_id", "!=", False),
            ("user_id", "!=", False),
        ]
        return self._boolean_search_domain(domain, operator, value)

    @api.depends_context("uid")
    @api.depends(
        "commercial_partner_id.key_account_manager_id",
        "commercial_partner_id.user_id",
    )
    def _compute_is_my_account(self):
        user = self.env.user
        for partner in self:
            account = partner.commercial_partner_id
            owner = account.key_account_manager_id or account.user_id
            partner.is_my_account = owner == user

    def _search_is_my_account(self, operator, value):
        uid = self.env.uid
        domain = [
            "|",
            ("commercial_partner_id.key_account_manager_id", "=", uid),
            "&",
            ("commercial_partner_id.key_account_manager_id", "=", False),
            ("commercial_partner_id.user_id", "=", uid),
        ]
        return self._boolean_search_domain(domain, operator, value)

    @api.depends_context("uid")
    def _compute_can_edit_key_account_manager(self):
        self.can_edit_key_account_manager = (
            self._can_set_key_account_manager() and self.browse().has_access("write")
        )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("key_account_manager_id") for vals in vals_list):
            self._check_can_set_key_account_manager()
        return super().create(vals_list)

    def write(self, vals):
        if "key_account_manager_id" in vals:
            manager_id = vals["key_account_manager_id"] or False
            if any(p.key_account_manager_id.id != manager_id for p in self):
                self._check_can_set_key_account_manager()
        return super().write(vals)

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "key_account_manager_id"]

    @api.model
    def _boolean_search_domain(self, domain, operator, value):
        """Return ``domain`` or its negation for a search on a boolean field."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    @api.model
    def _can_set_key_account_manager(self):
        return self.env.su or self.env.user.has_group(GROUP_ALL_ACCOUNTS)

    @api.model
    def _check_can_set_key_account_manager(self):
        """Only users who see all accounts may assign key account managers.

        The synchronisation of commercial fields from a company to its contacts runs
        as superuser, so contacts always follow their company.
        """
        if not self._can_set_key_account_manager():
            raise AccessError(
                self.env._(
                    "You may not change the key account manager of an account: this "
                    "needs the access right “%(group)s”.",
                    group=self.env.ref(GROUP_ALL_ACCOUNTS).sudo().full_name,
                )
            )
