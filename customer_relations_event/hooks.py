MODULE = "customer_relations_event"
ACTIVITY_TYPES = ("mail_activity_type_event_thank", "mail_activity_type_event_call")


def uninstall_hook(env):
    """The follow-up activities are work people still have to do: they stay,
    as to-dos (their type, which the bridge shipped, is removed with it; an
    activity's type cannot be removed under it). The cursor of the scheduled
    action goes."""
    types = (
        env["mail.activity.type"]
        .browse(
            [
                env["ir.model.data"]._xmlid_to_res_id(f"{MODULE}.{name}")
                for name in ACTIVITY_TYPES
            ]
        )
        .exists()
    )
    todo = env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
    if types and todo:
        env["mail.activity"].sudo().with_context(active_test=False).search(
            [("activity_type_id", "in", types.ids)]
        ).write({"activity_type_id": todo.id})
    env["ir.config_parameter"].sudo().search([("key", "=like", f"{MODULE}.%")]).unlink()
