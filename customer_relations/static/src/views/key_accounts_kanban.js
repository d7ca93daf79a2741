import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";

/**
 * Key Accounts kanban: dropping a customer into another tier's column does not
 * write the tier at once. It opens "Set Tier", which asks for the reason and
 * locks the tier (administrators only), then reloads the columns.
 */
export class KeyAccountsKanbanRenderer extends KanbanRenderer {
    setup() {
        super.setup();
        this.action = useService("action");
        this.notification = useService("notification");
    }

    async sortRecordDrop(dataRecordId, dataGroupId, params) {
        const list = this.props.list;
        const targetGroupId = params.parent?.dataset.id;
        if (
            !list.isGrouped ||
            list.groupByField.name !== "customer_tier_id" ||
            !targetGroupId ||
            targetGroupId === dataGroupId
        ) {
            return super.sortRecordDrop(...arguments);
        }
        params.parent.classList.remove("o_kanban_hover");
        const isAdministrator = await user.hasGroup(
            "customer_relations.group_customer_relations_manager"
        );
        if (!isAdministrator) {
            this.notification.add(
                _t("Only Customer Relations administrators may choose a tier by hand."),
                { type: "warning" }
            );
            await list.model.load();
            return;
        }
        const sourceGroup = list.groups.find((group) => group.id === dataGroupId);
        const targetGroup = list.groups.find((group) => group.id === targetGroupId);
        const record = sourceGroup.list.records.find((rec) => rec.id === dataRecordId);
        await this.action.doAction("customer_relations.customer_tier_assign_action", {
            additionalContext: {
                default_partner_id: record.resId,
                default_tier_id: targetGroup.value || false,
            },
            onClose: () => list.model.load(),
        });
    }
}

export const keyAccountsKanbanView = {
    ...kanbanView,
    Renderer: KeyAccountsKanbanRenderer,
};

registry.category("views").add("customer_relations_key_accounts_kanban", keyAccountsKanbanView);
