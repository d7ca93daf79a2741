from collections import defaultdict
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty, mute_logger

from .batch import cron_batch
from .customer_protected_mixin import SystemValues

GROUP_ADMINISTRATOR = "customer_relations.group_customer_relations_manager"
PRIORITY_URGENT = "2"
# The customer's answer on the portal, in the satisfaction scale.
SATISFIED = "3"
DISSATISFIED = "1"
ESCALATION_CURSOR = "customer_relations.objection_escalation_last_id"
# What _prepare_deadlines decides for a new objection.
DEADLINE_FIELDS = ("deadline", "sla_hours", "customer_tier_id")


class CustomerObjection(models.Model):
    _name = "customer.objection"
    _description = "Customer Objection"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "customer.account.mixin",
        "customer.protected.mixin",
    ]
    _order = "priority desc, deadline, id desc"
    _rec_names_search = ["name", "reference"]
    _check_company_auto = True
    # Decided at creation (response time, deadline) or by closing, reopening
    # and escalating: never typed in.
    _protected_fields = (
        "deadline",
        "escalated_date",
        "closed_date",
        "sla_hours",
        "in_time_rate",
        "resolution_hours",
        "reopen_count",
        "customer_tier_id",
        "portal_submission_token",
        "satisfaction_comment",
    )

    name = fields.Char(string="Subject", required=True, tracking=True)
    reference = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: self.env._("New"),
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        related="partner_id.commercial_partner_id",
        store=True,
        precompute=True,
        index=True,
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Raised By",
        compute="_compute_contact_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
        help="The person who raised the objection.",
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Sale Order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id.commercial_partner_id', '=', commercial_partner_id)]",
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('type', '=', 'opportunity')]",
    )
    kind = fields.Selection(
        [("objection", "Objection"), ("complaint", "Complaint")],
        required=True,
        default="objection",
        tracking=True,
        help="Objection: raised during a negotiation, before the sale. "
        "Complaint: raised after the sale.",
    )
    category_id = fields.Many2one(
        "customer.objection.category",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('kind', 'in', [kind, False])]",
    )
    competitor_id = fields.Many2one(
        "customer.competitor",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        groups="customer_relations.group_customer_relations_user",
        help='The competitor the customer named ("their price is lower").',
    )
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("meeting", "Meeting"),
            ("fair", "Exhibition or Fair"),
            ("chat", "Chat"),
            ("letter", "Letter"),
            ("fax", "Fax"),
            ("portal", "Portal"),
            ("other", "Other"),
        ],
        help="How the customer raised it.",
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "High"), (PRIORITY_URGENT, "Urgent")],
        default="0",
        index=True,
        tracking=True,
        help="Urgent objections get half the usual response time.",
    )
    stage_id = fields.Many2one(
        "customer.objection.stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        default=lambda self: self._default_stage_id(),
        group_expand="_read_group_stage_ids",
    )
    is_closed = fields.Boolean(
        related="stage_id.is_closed", store=True, string="Closed", index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        domain=[("share", "=", False)],
        help="Who answers the customer. By default the category's responsible, "
        "else the account's manager.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        help="Its leader is the one to whom overdue objections are escalated.",
    )
    description = fields.Html(help="What the customer says, in their words.")
    root_cause = fields.Html(help="Why it happened.")
    resolution = fields.Html(
        help="The answer given to the customer. Required to close the objection."
    )
    action_ids = fields.One2many(
        "customer.objection.action", "objection_id", string="Measures"
    )
    action_count = fields.Integer(
        string="Number of Measures", compute="_compute_action_counts"
    )
    action_open_count = fields.Integer(
        string="Open Measures", compute="_compute_action_counts"
    )
    customer_tier_id = fields.Many2one(
        "customer.tier",
        readonly=True,
        index="btree_not_null",
        help="The customer's tier when the objection was recorded; it set the "
        "response time.",
    )
    sla_hours = fields.Float(
        string="Response Time (hours)",
        readonly=True,
        aggregator="avg",
        help="Working hours given to answer: the tier's, else the category's, else "
        "the company's default; halved when urgent.",
    )
    date_received = fields.Datetime(
        string="Received On",
        required=True,
        default=fields.Datetime.now,
        copy=False,
        help="When the customer raised it: the response time counts from here.",
    )
    deadline = fields.Datetime(
        tracking=True,
        readonly=True,
        copy=False,
        help="When the objection must be answered, counted in the company's "
        "working time from its creation.",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Open and past its deadline.",
    )
    escalated_date = fields.Datetime(
        string="Escalated On",
        readonly=True,
        copy=False,
        help="When the overdue objection was escalated to the responsible's manager.",
    )
    closed_date = fields.Datetime(string="Closed On", readonly=True, copy=False)
    resolution_hours = fields.Float(
        string="Resolution Time (hours)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Working hours from the creation to the closing.",
    )
    in_time_rate = fields.Float(
        string="Answered in Time (%)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="100 when the objection was closed before its deadline, 0 otherwise: "
        "its average is the share of objections answered in time.",
    )
    reopen_count = fields.Integer(
        string="Reopened", readonly=True, copy=False, help="Times it was reopened."
    )
    satisfaction = fields.Selection(
        [
            ("1", "Dissatisfied"),
            ("2", "Neutral"),
            ("3", "Satisfied"),
            ("4", "Very Satisfied"),
        ],
        string="Customer Satisfaction",
        tracking=True,
        help="How satisfied the customer is with the resolution.",
    )

    portal_submission_token = fields.Char(
        readonly=True,
        copy=False,
        help="Token of the portal form that created the complaint: one "
        "complaint for one submission, even when the customer clicks twice.",
    )
    satisfaction_comment = fields.Text(
        readonly=True,
        copy=False,
        help="What the customer said when answering whether the resolution "
        "satisfied them, on the portal.",
    )

    _sql_constraints = [
        (
            "portal_submission_token_unique",
            "UNIQUE(portal_submission_token)",
            "This form was already submitted.",
        ),
    ]

    def init(self):
        # The escalation cron's search: open, not yet escalated, by deadline.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS customer_objection_to_escalate_idx
                ON customer_objection (deadline)
             WHERE escalated_date IS NULL AND is_closed IS NOT TRUE
                   AND active IS TRUE
            """
        )

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    def _default_stage_id(self):
        return self.env["customer.objection.stage"].search(
            [("is_closed", "=", False)], limit=1
        )

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([])

    @api.depends("partner_id")
    def _compute_contact_id(self):
        for objection in self:
            partner = objection.partner_id
            if objection.contact_id.commercial_partner_id == (
                partner.commercial_partner_id
            ):
                continue
            objection.contact_id = partner if not partner.is_company else False

    @api.depends("category_id", "partner_id")
    def _compute_user_id(self):
        user = self.env.user if not self.env.su and not self.env.user.share else None
        for objection in self:
            account = objection.partner_id.commercial_partner_id
            objection.user_id = (
                objection.category_id.user_id
                or objection.user_id
                or account.key_account_manager_id
                or account.user_id
                or user
            )

    @api.depends("user_id", "order_id", "lead_id")
    def _compute_team_id(self):
        for objection in self:
            objection.team_id = (
                objection.order_id.team_id
                or objection.lead_id.team_id
                or objection.team_id
                or objection.user_id.sale_team_id
            )

    @api.depends("action_ids.state")
    def _compute_action_counts(self):
        groups = self.env["customer.objection.action"]._read_group(
            [("objection_id", "in", self.ids)], ["objection_id", "state"], ["__count"]
        )
        totals, opened = defaultdict(int), defaultdict(int)
        for objection, state, count in groups:
            totals[objection.id] += count
            if state == "open":
                opened[objection.id] += count
        for objection in self:
            objection.action_count = totals[objection.id]
            objection.action_open_count = opened[objection.id]

    @api.depends("is_closed", "deadline")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for objection in self:
            objection.is_overdue = bool(
                not objection.is_closed
                and objection.deadline
                and objection.deadline < now
            )

    def _search_is_overdue(self, operator, value):
        domain = [
            ("is_closed", "=", False),
            ("deadline", "<", fields.Datetime.now()),
        ]
        return self.env["res.partner"]._boolean_search_domain(domain, operator, value)

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("stage_id", "resolution")
    def _check_resolution(self):
        for objection in self:
            if objection.is_closed and is_html_empty(objection.resolution):
                raise ValidationError(
                    self.env._(
                        "Describe the resolution of %(objection)s before closing it.",
                        objection=objection.display_name,
                    )
                )

    @api.constrains("date_received", "deadline")
    def _check_dates(self):
        now = fields.Datetime.now()
        for objection in self:
            if objection.date_received and objection.date_received > now:
                raise ValidationError(
                    self.env._(
                        "%(objection)s cannot be received in the future (%(date)s).",
                        objection=objection.display_name,
                        date=fields.Datetime.to_string(objection.date_received),
                    )
                )
            if (
                objection.deadline
                and objection.date_received
                and objection.deadline < objection.date_received
            ):
                raise ValidationError(
                    self.env._(
                        "The deadline of %(objection)s cannot be before it was "
                        "received.",
                        objection=objection.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # what users give is checked before the deadlines are decided
            self._check_protected_create(vals_list)
        companies = self.env["res.company"].browse(
            vals.get("company_id") or self.env.company.id for vals in vals_list
        )
        for vals, company in zip(vals_list, companies, strict=True):
            vals.setdefault("company_id", company.id)
            if vals.get("reference", self.env._("New")) == self.env._("New"):
                vals["reference"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("customer.objection") or self.env._("New")
        # the response time, deadline and tier are decided here, not given
        vals_list = [
            vals if "deadline" in vals else SystemValues(vals, DEADLINE_FIELDS)
            for vals in vals_list
        ]
        self._prepare_deadlines(
            [vals for vals in vals_list if isinstance(vals, SystemValues)]
        )
        # measures schedule activities (and subscribe their responsible): add
        # them once the objections and their followers exist
        measures = [vals.pop("action_ids", None) for vals in vals_list]
        objections = super().create(vals_list)
        for objection, commands in zip(objections, measures, strict=True):
            if commands:
                objection.write({"action_ids": commands})
        objections.filtered("is_closed")._set_closed()
        return objections

    def write(self, vals):
        """Closing or reopening sets the closing figures in the same write as
        the stage, one write per objection that changes."""
        if "stage_id" not in vals:
            return super().write(vals)
        if not self.env.su:
            self._check_protected_write(vals)
        stage = self.env["customer.objection.stage"].browse(vals["stage_id"])
        if stage.is_closed:
            changing = self.filtered(lambda o: not o.is_closed)
            changing._check_can_close(vals)
            figures = changing._closing_values()
        else:
            changing = self.filtered("is_closed")
            figures = changing._reopening_values()
        others = self - changing
        res = super(CustomerObjection, others).write(vals) if others else True
        for objection, values in figures.items():
            super(CustomerObjection, objection).write(
                SystemValues({**vals, **values}, values)
            )
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_worked_on(self):
        for objection in self:
            if objection.is_closed or not is_html_empty(objection.resolution):
                raise UserError(
                    self.env._(
                        "%(objection)s has been answered: archive it instead of "
                        "deleting it.",
                        objection=objection.display_name,
                    )
                )

    def _compute_display_name(self):
        for objection in self:
            if objection.reference and objection.reference != self.env._("New"):
                objection.display_name = f"{objection.reference} {objection.name}"
            else:
                objection.display_name = objection.name

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A complaint by email: for the sender's account, the sender raised it."""
        values = dict(custom_values or {})
        author = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not author and msg_dict.get("email_from"):
            author = self.env["mail.thread"]._mail_find_partner_from_emails(
                [msg_dict["email_from"]], force_create=True
            )[0]
        # the category of the address it was sent to, if any (alias defaults)
        values.setdefault("channel", "email")
        values.setdefault("name", msg_dict.get("subject") or self.env._("No Subject"))
        values.setdefault("description", msg_dict.get("body"))
        values = self._complaint_values(author, values)
        objection = super().message_new(msg_dict, custom_values=values)
        objection._notify_responsible()
        return objection

    @api.model
    def _complaint_values(self, author, values):
        """Values of a complaint raised by the customer themselves, by email
        or on the portal: for the author's account, raised by the author. The
        deadline, the tier and the responsible (who is notified) are decided
        by ``create`` as for any objection."""
        values = dict(values)
        values.setdefault("kind", "complaint")
        if author:
            values.setdefault("partner_id", author.commercial_partner_id.id)
            values.setdefault("contact_id", author.id)
        return values

    def _notify_responsible(self):
        """Subscribe and notify the responsible of complaints the customer
        raised themselves: decided by ``create`` (the category's responsible,
        else the account manager), it is not among the values Odoo's
        auto-subscription reads."""
        for objection in self.filtered("user_id"):
            objection._message_auto_subscribe({"user_id": objection.user_id.id})

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    def _compute_access_url(self):
        for objection in self:
            objection.access_url = f"/my/complaints/{objection.id}"

    @api.model
    def _portal_create_complaint(self, author, values, submission_token, files=()):
        """Create the complaint that ``author`` (a portal user's partner) filed
        on the portal, as the email alias does, with the ``files`` it attached
        (``(name, content, mimetype)``, checked by the portal), and acknowledge
        it by email.

        ``values`` were validated by the portal form. A second submission of
        the same form (same ``submission_token``) creates nothing: it returns
        the complaint of the first one, or nothing when the first one is
        being created at the same moment.
        """
        Objection = self.sudo()
        existing = Objection.with_context(active_test=False).search(
            [("portal_submission_token", "=", submission_token)], limit=1
        )
        if existing:
            return existing
        values = self._complaint_values(author, {**values, "channel": "portal"})
        values["kind"] = "complaint"
        values["portal_submission_token"] = submission_token
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                objection = Objection.with_context(mail_create_nosubscribe=True).create(
                    values
                )
        except psycopg2.errors.UniqueViolation:
            # the same form, submitted twice at once: the other one creates it
            return Objection.browse()
        objection.message_subscribe(partner_ids=author.ids)
        objection._notify_responsible()
        if files:
            objection.message_post(
                body=self.env._("Files attached to the complaint."),
                attachments=[(name, content) for name, content, __ in files],
                author_id=author.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        template = self.env.ref(
            "customer_relations.mail_template_customer_complaint_received",
            raise_if_not_found=False,
        )
        if template:
            # sent by the responsible: the customer filing it is the current
            # user, whom Odoo never notifies of what they post themselves
            sender = objection.user_id or self.env.ref("base.user_root")
            objection.with_user(sender).sudo().message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
                author_id=(
                    objection.user_id.partner_id or objection.company_id.partner_id
                ).id,
                partner_ids=(objection.contact_id or objection.partner_id).ids,
            )
        return objection

    def _portal_set_satisfaction(self, satisfied, comment=None):
        """The customer's answer to the resolution of their complaint: a
        satisfied customer closes the matter; a dissatisfied one reopens the
        complaint, with their comment, for the team to answer again."""
        self.ensure_one()
        objection = self.sudo()
        if not objection.is_closed:
            raise UserError(
                self.env._(
                    "Only an answered complaint can be rated: %(objection)s.",
                    objection=objection.display_name,
                )
            )
        author = self.env.user.partner_id
        if satisfied:
            objection.write(
                {"satisfaction": SATISFIED, "satisfaction_comment": comment}
            )
            body = self.env._("The customer is satisfied with the resolution.")
        else:
            stage = (
                self.env["customer.objection.stage"]
                .sudo()
                .search([("is_closed", "=", False)], limit=1)
            )
            objection.write(
                {
                    "satisfaction": DISSATISFIED,
                    "satisfaction_comment": comment,
                    "stage_id": stage.id,
                }
            )
            body = self.env._("The customer is not satisfied: complaint reopened.")
        if comment:
            body = Markup("%s<br/>%s") % (body, comment)
        objection.message_post(
            body=body,
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        for objection in self:
            if objection.contact_id or objection.partner_id:
                objection._message_add_suggested_recipient(
                    recipients,
                    partner=objection.contact_id or objection.partner_id,
                    reason=self.env._("Customer"),
                )
        return recipients

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.readonly
    def action_view_actions(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_objection_action_action"
        )
        action["domain"] = [("objection_id", "=", self.id)]
        action["context"] = {"default_objection_id": self.id}
        return action

    @api.model
    def _count_by_field(self, field_name, ids):
        """``{id: (total, open)}`` of the objections the user may read, by the
        value of ``field_name``, in one query; empty without access."""
        if not ids or not self.has_access("read"):
            return {}
        groups = self._read_group(
            [(field_name, "in", ids)], [field_name, "is_closed"], ["__count"]
        )
        counts = defaultdict(lambda: (0, 0))
        for record, is_closed, count in groups:
            total, opened = counts[record.id]
            counts[record.id] = (total + count, opened + (0 if is_closed else count))
        return dict(counts)

    # ------------------------------------------------------------------
    # Deadlines and closing
    # ------------------------------------------------------------------

    @api.model
    def _prepare_deadlines(self, vals_list):
        """Set ``deadline``, ``sla_hours`` and ``customer_tier_id`` in the values of
        new objections, for the whole batch in a few queries.

        Response time: the customer's tier, else the category's, else the
        company's default; halved when urgent. It is planned in the company's
        working time (its resource calendar, leaves included) from the moment
        the objection was received.
        """
        if not vals_list:
            return
        now = fields.Datetime.now()
        Partner = self.env["res.partner"]
        companies = self.env["res.company"].browse({v["company_id"] for v in vals_list})
        partners = Partner.browse(
            {v["partner_id"] for v in vals_list if v.get("partner_id")}
        )
        categories = self.env["customer.objection.category"].browse(
            {v["category_id"] for v in vals_list if v.get("category_id")}
        )
        commercial = {partner.id: partner.commercial_partner_id for partner in partners}
        accounts = Partner.union(*commercial.values())
        tiers = {
            (company.id, account.id): account.customer_tier_id
            for company in companies
            for account in accounts.with_company(company)
        }
        sla_of_category = {category.id: category.sla_hours for category in categories}
        planned = {}
        for vals in vals_list:
            company = companies.browse(vals["company_id"])
            account = commercial.get(vals.get("partner_id"), Partner)
            tier = tiers.get((company.id, account.id), self.env["customer.tier"])
            hours = (
                tier.objection_sla_hours
                or sla_of_category.get(vals.get("category_id"))
                or company.objection_sla_hours
            )
            if vals.get("priority") == PRIORITY_URGENT:
                hours /= 2
            calendar = company.resource_calendar_id
            start = fields.Datetime.to_datetime(vals.get("date_received")) or now
            vals["date_received"] = start
            key = (calendar.id, start, hours)
            if key not in planned:
                planned[key] = self._plan_working_hours(calendar, start, hours)
            vals.update(
                deadline=planned[key],
                sla_hours=hours,
                customer_tier_id=tier.id,
            )

    @api.model
    def _plan_working_hours(self, calendar, start, hours):
        if not hours:
            return start
        if calendar:
            deadline = calendar.plan_hours(hours, start, compute_leaves=True)
            if deadline:
                return deadline
        return start + timedelta(hours=hours)

    @api.model
    def _working_hours_between(self, calendar, start, stop):
        if calendar:
            return calendar.get_work_hours_count(start, stop, compute_leaves=True)
        return (stop - start).total_seconds() / 3600

    def _check_can_close(self, vals):
        for objection in self:
            resolution = vals.get("resolution", objection.resolution)
            if is_html_empty(resolution):
                raise UserError(
                    self.env._(
                        "Describe the resolution of %(objection)s before closing it.",
                        objection=objection.display_name,
                    )
                )
            # a complaint stays one for this check, even when the same write
            # turns it into an objection
            if "complaint" not in (objection.kind, vals.get("kind")):
                continue
            pending = objection.action_ids.filtered(
                lambda a: a.type == "corrective" and a.state == "open"
            )
            if pending:
                raise UserError(
                    self.env._(
                        "Complete or cancel the corrective measures of %(objection)s "
                        "before closing it: %(measures)s.",
                        objection=objection.display_name,
                        measures=", ".join(pending.mapped("name")),
                    )
                )

    def _closing_values(self):
        """``{objection: values}`` of the objections being closed now: when,
        in how many working hours, and whether in time."""
        now = fields.Datetime.now()
        values = {}
        for objection in self:
            hours = self._working_hours_between(
                objection.company_id.resource_calendar_id,
                objection.date_received or objection.create_date,
                now,
            )
            in_time = not objection.deadline or now <= objection.deadline
            values[objection] = {
                "closed_date": now,
                "resolution_hours": round(hours, 2),
                "in_time_rate": 100.0 if in_time else 0.0,
            }
        return values

    def _reopening_values(self):
        return {
            objection: {
                "closed_date": False,
                "resolution_hours": 0.0,
                "in_time_rate": 0.0,
                "reopen_count": objection.reopen_count + 1,
            }
            for objection in self
        }

    def _set_closed(self):
        """Objections created closed get their closing figures."""
        for objection, values in self._closing_values().items():
            objection.sudo().write(values)

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------

    @api.model
    def _escalation_domain(self):
        return [
            ("is_closed", "=", False),
            ("deadline", "<", fields.Datetime.now()),
            ("escalated_date", "=", False),
        ]

    @api.model
    def _cron_escalate_overdue(self, batch_size=1000):
        """Escalate once each newly overdue open objection, a batch at a time;
        one that cannot be escalated is logged and skipped."""
        return cron_batch(
            self,
            self._escalation_domain(),
            batch_size,
            ESCALATION_CURSOR,
            lambda objections: objections._escalate(),
            self.env._("Escalation of overdue objections"),
        )

    def _escalation_user(self, administrator):
        """The responsible's manager: the sales team leader, else an
        administrator of Customer Relations."""
        self.ensure_one()
        team = self.team_id or self.user_id.sale_team_id
        leader = team.user_id
        if leader and leader != self.user_id:
            return leader
        return administrator

    def _escalate(self):
        if not self:
            return
        now = fields.Datetime.now()
        administrator = (
            self.env.ref(GROUP_ADMINISTRATOR)
            .users.filtered(lambda u: u.active and not u.share)
            .sorted("id")[:1]
        )
        # read names once: the activities' record names come from the cache
        self.mapped("display_name")
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        activity_values, bodies = [], {}
        for objection in self:
            manager = objection._escalation_user(administrator)
            bodies[objection.id] = self.env._(
                "Overdue since %(deadline)s: escalated to %(manager)s.",
                deadline=fields.Datetime.to_string(objection.deadline),
                manager=manager.name or self.env._("nobody"),
            )
            if manager:
                activity_values.append(
                    {
                        "res_model_id": model_id,
                        "res_id": objection.id,
                        "activity_type_id": activity_type.id,
                        "summary": self.env._("Overdue objection"),
                        "note": self.env._(
                            "%(objection)s of %(customer)s is past its deadline.",
                            objection=objection.display_name,
                            customer=objection.partner_id.display_name,
                        ),
                        "user_id": manager.id,
                        "date_deadline": today,
                    }
                )
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            activity_values
        )
        self._message_log_batch(bodies=bodies)
        self.sudo().write({"escalated_date": now})
