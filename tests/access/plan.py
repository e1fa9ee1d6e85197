"""Access expectations of the plan routes."""
from __future__ import annotations

from tests.access.common import admin_only, in_network, signed_in

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    # the plans (not network pages): lists filtered by what the reader may see
    ("plans.plan_list", "GET"): signed_in(200),
    ("plans.plan_create", "POST"): admin_only(),  # empty form: shown again with its errors
    ("plans.plan_detail", "GET"): signed_in(200),
    ("plans.action_create", "POST"): admin_only(),
    ("plans.plan_report", "GET"): signed_in(200),
    ("plans.plan_report_export", "GET"): signed_in(200),
    # an action of the private network
    ("plans.action_detail", "GET"): in_network(200, 200),
    ("plans.action_edit", "POST"): in_network(403, 403, admin=200),
    ("plans.reminder_save", "POST"): in_network(403, 302),
    ("plans.objective_create", "POST"): in_network(403, 200),
    ("plans.objective_edit", "POST"): in_network(403, 200),
    ("plans.objective_delete", "POST"): in_network(403, 302),
    ("plans.link_add", "POST"): in_network(403, 302),  # empty choice: flashed message
    ("plans.link_remove", "POST"): in_network(403, 302),
    # the network's plan pages
    ("plan.network_plan", "GET"): in_network(200, 200),
    ("plan.network_report", "GET"): in_network(200, 200),
    ("plan.network_report_export", "GET"): in_network(200, 200),
}


def build(users: dict, private, values: dict) -> dict:
    """Create this feature's objects in the private network; return the URL values."""
    from workspace.plan import links, service

    plan = service.create_plan(users["admin"], "Schéma de mutualisation", 2014, 2020)
    action = service.save_action(users["admin"], plan, None, 1, "Informatique", "", [private])
    objective = service.save_objective(users["coordinator"], action, None, service.ObjectiveData(
        title="Messagerie", year=2017, semester="s1", kind="information", status="planned"))
    link = links.add_link(users["coordinator"], objective, f"meeting:{values['meeting_id']}")
    return {"plan_id": plan.id, "plan_action_id": action.id, "objective_id": objective.id,
            "link_id": link.id, "year": 2016}
