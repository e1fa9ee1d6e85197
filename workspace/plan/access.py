"""Who may see and change the plan.

An action is seen through its networks: by whoever may see at least one of them, by every
signed-in user when it has none. Coordinators of one of its networks write its reminders and
objectives; administrators manage plans and actions (and edit everything)."""
from __future__ import annotations

from workspace.networks.access import can_manage_network, visible_network_ids
from workspace.plan.models import PlanAction


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_manage_plan(user) -> bool:
    """Create and change plans and their actions (titles, numbers, networks)."""
    return _signed_in(user) and user.is_admin


def can_view_action(user, action: PlanAction, visible: set[int] | None = None) -> bool:
    if not _signed_in(user):
        return False
    if user.is_admin or not action.networks:
        return True
    visible = visible_network_ids(user) if visible is None else visible
    return bool(action.network_ids & visible)


def can_edit_action(user, action: PlanAction) -> bool:
    """Reminders and objectives: coordinators of one of the action's networks, and admins."""
    if not _signed_in(user):
        return False
    return user.is_admin or any(can_manage_network(user, network) and not network.is_archived
                                for network in action.networks)
