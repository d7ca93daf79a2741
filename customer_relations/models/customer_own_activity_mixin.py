from odoo import api, fields, models


class CustomerOwnActivityMixin(models.AbstractModel):
    """A piece of work given to someone, in any department, as an activity
    on the document it belongs to: an objection's measure, a support plan's
    step. The activity is created with the record (all of a batch in one
    call), follows its responsible and due date, is marked done with it and
    removed with it.

    Its responsible may not have any right on the document: the activity is
    handled as superuser, but only when it is the record's own (scheduled on
    its parent, ``_activity_parent_field``), never one pointed to by hand.
    """

    _name = "customer.own.activity.mixin"
    _description = "Record with its Own Activity"

    # The record's document (Many2one), on which its activity is scheduled.
    _activity_parent_field = None
    # The record's responsible (Many2one to res.users) and due date.
    _activity_user_field = "user_id"
    _activity_deadline_field = "date_deadline"

    activity_id = fields.Many2one(
        "mail.activity", readonly=True, copy=False, ondelete="set null"
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        res = super().write(vals)
        if self._activity_user_field in vals or self._activity_deadline_field in vals:
            own = self._own_activities()
            for record in self.filtered(lambda r: r.activity_id in own):
                record.activity_id.sudo().write(record._activity_assignment())
        return res

    def unlink(self):
        self.check_access("unlink")
        self._own_activities().unlink()
        return super().unlink()

    # ------------------------------------------------------------------
    # Activities
    # ------------------------------------------------------------------

    def _own_activities(self):
        """The records' ``activity_id`` that are really theirs, as superuser:
        scheduled on their parent. Only these are ever touched."""
        records = self.sudo()
        parent_model = self._fields[self._activity_parent_field].comodel_name
        expected = {
            (record.activity_id.id, record[self._activity_parent_field].id)
            for record in records
        }
        return records.activity_id.filtered(
            lambda activity: (
                activity.res_model == parent_model
                and (activity.id, activity.res_id) in expected
            )
        )

    def _activity_assignment(self):
        """Who does the work, and by when."""
        self.ensure_one()
        return {
            "user_id": self[self._activity_user_field].id or self.env.user.id,
            "date_deadline": self[self._activity_deadline_field]
            or fields.Date.context_today(self),
        }

    def _activity_values(self):
        """Summary and note of the record's activity."""
        self.ensure_one()
        return {"summary": self.display_name}

    def _activity_is_due(self):
        """Whether the record's work is still to do (and so its activity)."""
        self.ensure_one()
        return True

    def _schedule_activities(self):
        """One activity per record still to do without one, on its parent, for
        its responsible: all created in one call."""
        records = self.sudo().filtered(
            lambda r: not r.activity_id and r._activity_is_due()
        )
        if not records:
            return
        activities = self._create_activities(
            [
                {
                    "res_id": record[self._activity_parent_field].id,
                    **record._activity_values(),
                    **record._activity_assignment(),
                }
                for record in records
            ]
        )
        for record, activity in zip(records, activities, strict=True):
            record.activity_id = activity

    @api.model
    def _create_activities(self, values_list):
        """To-dos on the parents (``res_id``), for their ``user_id``: created
        in one call, after subscribing each responsible to its parents once
        (mail.activity subscribes them per activity, and a parent with
        several records of one responsible would be subscribed twice)."""
        parent_model = self._fields[self._activity_parent_field].comodel_name
        Parent = self.env[parent_model].sudo()
        by_user = {}
        for values in values_list:
            by_user.setdefault(values["user_id"], set()).add(values["res_id"])
        users = self.env["res.users"].sudo().browse(by_user)
        for user in users:
            Parent.browse(by_user[user.id]).message_subscribe(
                partner_ids=user.partner_id.ids
            )
        # (cached: no query to check that the type exists, as ref() does)
        activity_type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "mail.mail_activity_data_todo"
        )
        model_id = self.env["ir.model"]._get_id(parent_model)
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_model": parent_model,
                        "activity_type_id": activity_type_id,
                        **values,
                    }
                    for values in values_list
                ]
            )
        )

    def _close_activities(self, feedback_of):
        """Mark the records' own activities done with the feedback
        ``feedback_of(record)``; a record without one gets a note on its
        parent instead."""
        own = self._own_activities()
        for record in self:
            feedback = feedback_of(record)
            if record.activity_id in own:
                record.activity_id.sudo().action_feedback(feedback=feedback)
            else:
                record[self._activity_parent_field].sudo().message_post(
                    body=self.env._(
                        "%(record)s: %(feedback)s",
                        record=record.display_name,
                        feedback=feedback,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
