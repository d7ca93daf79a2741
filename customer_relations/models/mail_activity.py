from odoo import Command, models
from odoo.tools import plaintext2html

# In the context of a review recorded with its activity: the activity is not
# a new review, nor the review's scheduling done twice.
REVIEW_RECORDED = "customer_account_review_recorded"
REVIEW_ACTIVITY_TYPE = "customer_relations.mail_activity_type_account_plan_review"


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """An "Account Plan Review" activity marked done is a review held
        today: it is recorded on its plan (the feedback as its notes, the
        objectives' progress with it) and the next review is scheduled."""
        if self.env.context.get(REVIEW_RECORDED):
            return super()._action_done(
                feedback=feedback, attachment_ids=attachment_ids
            )
        review_type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            REVIEW_ACTIVITY_TYPE, raise_if_not_found=False
        )
        plan_ids = {
            activity.res_id
            for activity in self
            if activity.res_model == "customer.account.plan"
            and activity.activity_type_id.id == review_type_id
        }
        # marking an activity done is checked on the activity (its user, or
        # who may write its document); the review is the plan's own
        plans = self.env["customer.account.plan"].sudo().browse(plan_ids).exists()
        if plans:
            self.env["customer.account.review"].sudo().with_context(
                **{REVIEW_RECORDED: True}
            ).create(
                [
                    {
                        "plan_id": plan.id,
                        "notes": plaintext2html(feedback) if feedback else False,
                        "attendee_user_ids": [Command.link(self.env.user.id)],
                    }
                    for plan in plans
                ]
            )
        res = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        plans._sync_review_activities()
        return res
