from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CustomerObjectionAction(models.Model):
    _name = "customer.objection.action"
    _inherit = ["customer.protected.mixin", "customer.own.activity.mixin"]
    _description = "Objection Measure"
    _order = "state, date_deadline, id"
    _check_company_auto = True
    _protected_fields = ("state", "done_date", "activity_id")
    _fixed_parent_fields = ("objection_id",)
    _activity_parent_field = "objection_id"

    objection_id = fields.Many2one(
        "customer.objection",
        required=True,
        index=True,
        ondelete="cascade",
    )
    name = fields.Char(string="Description", required=True)
    type = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")],
        required=True,
        default="corrective",
        help="Corrective: removes the cause of this case; a complaint cannot be "
        "closed before its corrective measures are done or cancelled. "
        "Preventive: keeps it from happening again.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        help="Who carries the measure out, in any department. They get an activity, "
        "can read the objection and mark the measure done.",
    )
    date_deadline = fields.Date(string="Due Date")
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancel", "Cancelled")],
        string="Status",
        required=True,
        default="open",
        readonly=True,
        copy=False,
    )
    done_date = fields.Date(string="Done On", readonly=True, copy=False)
    company_id = fields.Many2one(
        related="objection_id.company_id", store=True, index=True, string="Company"
    )
    account_manager_id = fields.Many2one(
        related="objection_id.account_manager_id",
        store=True,
        index="btree_not_null",
    )
    objection_user_id = fields.Many2one(
        related="objection_id.user_id",
        store=True,
        index="btree_not_null",
        string="Objection Responsible",
    )
    partner_id = fields.Many2one(related="objection_id.partner_id", string="Customer")

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        measures = super().create(vals_list)
        measures._schedule_activities()
        return measures

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(measure.state == "done" for measure in self):
            raise UserError(
                self.env._("A measure that was carried out cannot be deleted.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_done(self):
        """Mark measures done: their responsible may do it without any other
        right on the objection."""
        self.check_access("read")
        for measure in self:
            if measure.user_id != self.env.user and not measure.has_access("write"):
                raise AccessError(
                    self.env._(
                        "Only %(user)s or the objection's account managers can mark "
                        "the measure %(measure)s done.",
                        user=measure.user_id.name,
                        measure=measure.name,
                    )
                )
        measures = self.filtered(lambda m: m.state == "open")
        if not measures:
            return True
        measures._close_activities(lambda measure: self.env._("Measure done."))
        measures.sudo().write(
            {"state": "done", "done_date": fields.Date.context_today(self)}
        )
        return True

    def action_cancel(self):
        self.check_access("write")
        open_measures = self.filtered(lambda m: m.state == "open")
        open_measures._own_activities().unlink()
        open_measures.sudo().write({"state": "cancel"})
        return True

    def action_reopen(self):
        self.check_access("write")
        closed = self.filtered(lambda m: m.state != "open")
        closed.sudo().write({"state": "open", "done_date": False})
        closed._schedule_activities()
        return True

    def _activity_is_due(self):
        self.ensure_one()
        return self.state == "open"

    def _activity_values(self):
        self.ensure_one()
        return {
            "summary": self.name,
            "note": self.env._(
                "Measure for %(objection)s of %(customer)s.",
                objection=self.objection_id.display_name,
                customer=self.objection_id.partner_id.display_name,
            ),
        }
