"""Pages of the pooling plan outside networks: plans, calendar, actions and their objectives,
the progress report of the whole plan (only what the reader may see)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from workspace.core.errors import DomainError, PermissionDenied
from workspace.extensions import db
from workspace.networks.access import visible_network_ids
from workspace.networks.models import Network
from workspace.plan import links, service
from workspace.plan.access import can_edit_action, can_manage_plan, can_view_action
from workspace.plan.forms import ActionForm, ObjectiveForm, PlanForm, ReminderForm
from workspace.plan.models import Objective, ObjectiveLink, Plan, PlanAction
from workspace.plan.pages import labels, render_report, send_report, year_choice

bp = Blueprint("plans", __name__, url_prefix="/plan")
bp.context_processor(labels)


@bp.before_request
@login_required
def signed_in_only():
    """Every page of the plan is for signed-in users."""


def _plan_or_404(plan_id: int) -> Plan:
    return db.get_or_404(Plan, plan_id) if 0 < plan_id < 2**31 else abort(404)


def _action_or_404(action_id: int) -> PlanAction:
    action = db.session.get(PlanAction, action_id) if 0 < action_id < 2**31 else None
    if action is None or not can_view_action(current_user, action):
        abort(404)
    return action


def _objective_or_404(objective_id: int) -> Objective:
    objective = db.session.get(Objective, objective_id) if 0 < objective_id < 2**31 else None
    if objective is None or not can_view_action(current_user, objective.action):
        abort(404)
    return objective


def _network_choices() -> list[SelectChoice]:
    return [SelectChoice(n.id, n.name) for n in db.session.scalars(
        select(Network).where(~Network.is_archived).order_by(Network.name))]


@bp.get("/")
def plan_list():
    return _render_plans(PlanForm(formdata=None))


def _render_plans(form: PlanForm):
    return render_template("plan/plan_list.html", plans=service.plans(), form=form,
                           can_manage=can_manage_plan(current_user))


@bp.post("/")
def plan_create():
    if not can_manage_plan(current_user):
        abort(403)
    form = PlanForm()
    if form.validate_on_submit():
        try:
            plan = service.create_plan(current_user, form.title.data, form.first_year.data,
                                       form.last_year.data, form.description.data or "")
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Le plan est créé. Ajoutez-lui ses actions prioritaires."), "success")
            return redirect(url_for("plans.plan_detail", plan_id=plan.id))
    return _render_plans(form)


@bp.get("/<int:plan_id>")
def plan_detail(plan_id: int, form: ActionForm | None = None):
    plan = _plan_or_404(plan_id)
    actions = service.visible_actions(current_user, plan)
    year, message = year_choice(plan.first_year, plan.last_year)
    if form is None:
        form = ActionForm(formdata=None)
    form.networks.choices = _network_choices()
    return render_template(
        "plan/plan_detail.html", plan=plan, actions=actions, year=year, year_message=message,
        years=plan.years, objectives=service.objectives_for(actions, year), form=form,
        can_manage=can_manage_plan(current_user))


@bp.post("/<int:plan_id>/actions")
def action_create(plan_id: int):
    plan = _plan_or_404(plan_id)
    if not can_manage_plan(current_user):
        abort(403)
    form = ActionForm()
    form.networks.choices = _network_choices()
    if form.validate_on_submit():
        try:
            action = service.save_action(current_user, plan, None, form.number.data,
                                         form.title.data, form.axis.data or "",
                                         _networks(form.networks.data))
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("L'action est ajoutée au plan."), "success")
            return redirect(url_for("plans.action_detail", plan_action_id=action.id))
    return plan_detail(plan_id, form)


def _networks(ids: list[int]) -> list[Network]:
    return list(db.session.scalars(select(Network).where(Network.id.in_(ids or [0]))))


@bp.get("/<int:plan_id>/report")
def plan_report(plan_id: int):
    plan = _plan_or_404(plan_id)
    actions = service.visible_actions(current_user, plan)
    return render_report(plan.title, actions, plan.first_year, plan.last_year,
                         visible_network_ids(current_user),
                         export_endpoint="plans.plan_report_export",
                         export_values={"plan_id": plan.id}, plan=plan)


@bp.get("/<int:plan_id>/report.<any(odt, pdf, ods):fmt>")
def plan_report_export(plan_id: int, fmt: str):
    plan = _plan_or_404(plan_id)
    actions = service.visible_actions(current_user, plan)
    return send_report(plan.title, actions, plan.first_year, plan.last_year,
                       visible_network_ids(current_user), fmt)


# --- one action ------------------------------------------------------------------------------

@bp.get("/actions/<int:plan_action_id>")
def action_detail(plan_action_id: int, forms: dict | None = None):
    action = _action_or_404(plan_action_id)
    year, message = year_choice(action.plan.first_year, action.plan.last_year)
    forms = forms or {}
    if "year" in forms:
        year = forms["year"]
    objectives = service.objectives_for([action], year).get(action.id, [])
    editor = can_edit_action(current_user, action)
    action_form = forms.get("action") or ActionForm(formdata=None, prefix="action", data={
        "number": action.number, "title": action.title, "axis": action.axis,
        "networks": [n.id for n in action.networks]})
    action_form.networks.choices = _network_choices()
    picker = [(links.TYPE_LABELS[kind], group) for kind, group in links.candidates(action)
              if group] if editor else []
    reminder = service.reminders_for([action], year).get(action.id)
    return render_template(
        "plan/action_detail.html", action=action, plan=action.plan, year=year,
        year_message=message, years=action.plan.years, objectives=objectives,
        reminder=reminder, links=links.links_for(current_user, [o.id for o in objectives]),
        can_edit=editor, can_manage=can_manage_plan(current_user), action_form=action_form,
        reminder_form=forms.get("reminder") or ReminderForm(
            formdata=None, data={"text": reminder.text if reminder else ""}),
        new_form=forms.get("new") or ObjectiveForm(formdata=None, data={
            "year": year, "semester": "year", "kind": "other", "status": "planned"}),
        edit_forms={o.id: forms.get(o.id) or ObjectiveForm(formdata=None, obj=o,
                                                             prefix=f"o{o.id}")
                    for o in objectives} if editor else {},
        failed=forms.get("failed"), picker=picker)


def _to_action(action: PlanAction, year: int | None = None):
    return redirect(url_for("plans.action_detail", plan_action_id=action.id, year=year))


@bp.post("/actions/<int:plan_action_id>")
def action_edit(plan_action_id: int):
    action = _action_or_404(plan_action_id)
    if not can_manage_plan(current_user):
        abort(403)
    form = ActionForm(prefix="action")
    form.networks.choices = _network_choices()
    if form.validate_on_submit():
        try:
            service.save_action(current_user, action.plan, action, form.number.data,
                                form.title.data, form.axis.data or "",
                                _networks(form.networks.data))
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("L'action est enregistrée."), "success")
            return _to_action(action)
    return action_detail(plan_action_id, {"action": form})


@bp.post("/actions/<int:plan_action_id>/reminder/<int:year>")
def reminder_save(plan_action_id: int, year: int):
    action = _action_or_404(plan_action_id)
    if not can_edit_action(current_user, action):
        abort(403)
    form = ReminderForm()
    if not form.validate_on_submit():
        return action_detail(plan_action_id, {"reminder": form})
    try:
        service.save_reminder(current_user, action, year, form.text.data or "")
    except DomainError as error:
        flash(error.message, "warning")
        return _to_action(action)
    db.session.commit()
    flash(_("Le rappel des actions %(year)d est enregistré.", year=year), "success")
    return _to_action(action, year + 1)


@bp.post("/actions/<int:plan_action_id>/objectives")
def objective_create(plan_action_id: int):
    action = _action_or_404(plan_action_id)
    if not can_edit_action(current_user, action):
        abort(403)
    form = ObjectiveForm()
    return _save_objective(action, None, form, "new")


def _save_objective(action: PlanAction, objective: Objective | None, form: ObjectiveForm,
                    key):
    if form.validate_on_submit():
        data = service.ObjectiveData(
            title=form.title.data, year=form.year.data, semester=form.semester.data,
            kind=form.kind.data, status=form.status.data,
            progress_note=form.progress_note.data or "", number=form.number.data)
        try:
            saved = service.save_objective(current_user, action, objective, data)
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("L'objectif n° %(number)d est enregistré.", number=saved.number), "success")
            return _to_action(action, saved.year)
    year = objective.year if objective else service.default_year(action.plan.first_year,
                                                                 action.plan.last_year)
    return action_detail(action.id, {key: form, "failed": key, "year": year})


@bp.post("/objectives/<int:objective_id>")
def objective_edit(objective_id: int):
    objective = _objective_or_404(objective_id)
    if not can_edit_action(current_user, objective.action):
        abort(403)
    form = ObjectiveForm(prefix=f"o{objective.id}")
    return _save_objective(objective.action, objective, form, objective.id)


@bp.post("/objectives/<int:objective_id>/delete")
def objective_delete(objective_id: int):
    objective = _objective_or_404(objective_id)
    action, year = objective.action, objective.year
    try:
        service.delete_objective(current_user, objective)
    except PermissionDenied:
        abort(403)
    db.session.commit()
    flash(_("L'objectif est supprimé."), "success")
    return _to_action(action, year)


@bp.post("/objectives/<int:objective_id>/links")
def link_add(objective_id: int):
    objective = _objective_or_404(objective_id)
    if not can_edit_action(current_user, objective.action):
        abort(403)
    try:
        links.add_link(current_user, objective, request.form.get("target", ""))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("Le lien est ajouté à l'objectif n° %(number)d.", number=objective.number),
              "success")
    return _to_action(objective.action, objective.year)


@bp.post("/objectives/<int:objective_id>/links/<int:link_id>/delete")
def link_remove(objective_id: int, link_id: int):
    objective = _objective_or_404(objective_id)
    link = db.session.get(ObjectiveLink, link_id) if 0 < link_id < 2**31 else None
    if link is None or link.objective_id != objective.id:
        abort(404)
    try:
        links.remove_link(current_user, link)
    except PermissionDenied:
        abort(403)
    db.session.commit()
    flash(_("Le lien est retiré."), "success")
    return _to_action(objective.action, objective.year)
