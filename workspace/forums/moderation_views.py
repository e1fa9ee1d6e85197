"""Coordinators' forum pages: categories, topic moderation, reports; and the Atom feed."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workspace.core.errors import DomainError
from workspace.extensions import db
from workspace.forums import reading, service
from workspace.forums.forms import CategoryForm, MoveTopicForm
from workspace.forums.loading import bp, category_or_404, moderator, topic_or_404
from workspace.forums.models import Report


def _require_moderator() -> None:
    if not moderator():
        abort(403)


@bp.route("/categories/new", methods=["GET", "POST"])
def category_create():
    _require_moderator()
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            service.save_category(current_user, g.network, None, name=form.name.data,
                                  description=form.description.data or "")
        except DomainError as error:
            form.name.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Catégorie créée."), "success")
            return redirect(url_for("forums.forum_index"))
    return render_template("forums/category_form.html", network=g.network, form=form,
                           category=None)


@bp.route("/c/<int:category_id>/edit", methods=["GET", "POST"])
def category_edit(category_id: int):
    _require_moderator()
    category = category_or_404(category_id)
    form = CategoryForm(obj=category)
    if form.validate_on_submit():
        try:
            service.save_category(current_user, g.network, category, name=form.name.data,
                                  description=form.description.data or "",
                                  is_archived=form.is_archived.data)
        except DomainError as error:
            form.name.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Catégorie enregistrée."), "success")
            return redirect(url_for("forums.forum_index"))
    return render_template("forums/category_form.html", network=g.network, form=form,
                           category=category)


@bp.post("/c/<int:category_id>/move")
def category_move(category_id: int):
    _require_moderator()
    category = category_or_404(category_id)
    service.move_category(current_user, g.network, category,
                          -1 if request.form.get("direction") == "up" else 1)
    db.session.commit()
    return redirect(url_for("forums.forum_index"))


TOPIC_ACTIONS = {
    "pin": ("is_pinned", True), "unpin": ("is_pinned", False),
    "lock": ("is_locked", True), "unlock": ("is_locked", False),
    "hide": ("is_hidden", True), "unhide": ("is_hidden", False),
}


@bp.post("/t/<int:topic_id>/moderate")
def topic_moderate(topic_id: int):
    _require_moderator()
    topic = topic_or_404(topic_id)
    action = TOPIC_ACTIONS.get(request.form.get("action", ""))
    if action is None:
        abort(400)
    service.set_topic_flag(current_user, topic, *action)
    db.session.commit()
    flash(_("Sujet mis à jour."), "success")
    return redirect(url_for("forums.topic_detail", topic_id=topic.id))


@bp.post("/t/<int:topic_id>/move")
def topic_move(topic_id: int):
    _require_moderator()
    topic = topic_or_404(topic_id)
    form = MoveTopicForm()
    form.category.choices = [(c.id, c.name) for c in service.categories(g.network)]
    if not form.validate_on_submit():
        flash(_("Choisissez une catégorie de ce réseau."), "warning")
        return redirect(url_for("forums.topic_detail", topic_id=topic.id))
    try:
        service.move_topic(current_user, topic, category_or_404(form.category.data))
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("Sujet déplacé."), "success")
    return redirect(url_for("forums.topic_detail", topic_id=topic.id))


@bp.get("/reports")
def report_list():
    _require_moderator()
    return render_template("forums/report_list.html", network=g.network,
                           reports=service.open_reports(g.network))


@bp.post("/reports/<int:report_id>/resolve")
def report_resolve(report_id: int):
    _require_moderator()
    report = db.session.get(Report, report_id)
    if report is None or report.post.topic.network_id != g.network.id:
        abort(404)
    service.resolve_report(current_user, report)
    db.session.commit()
    flash(_("Signalement traité."), "success")
    return redirect(url_for("forums.report_list"))


@bp.get("/feed.atom")
def feed():
    """The latest topics of the network's forum as an Atom feed (for signed-in readers)."""
    rows = reading.new_topics_since(current_user, g.network, None, moderator(), limit=30)
    topics = [row.topic for row in rows] or list(db.session.scalars(
        db.select(reading.Topic).where(reading.Topic.network_id == g.network.id,
                                       reading.Topic.is_hidden.is_(False))
        .order_by(reading.Topic.last_post_at.desc()).limit(30)))
    response = render_template("forums/feed.atom", network=g.network, topics=topics)
    return response, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}
