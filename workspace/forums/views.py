"""Forum pages of a network."""
from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from workspace.core.errors import Conflict, DomainError, PermissionDenied
from workspace.core.inputs import query_id, query_page
from workspace.core.markdown import render_markdown
from workspace.extensions import db
from workspace.forums import access, attachments, fragments, live, notify, reading, service
from workspace.forums.forms import (
    EditForm,
    MoveTopicForm,
    PostForm,
    ReportForm,
    TopicForm,
)
from workspace.forums.loading import (
    bp,
    category_or_404,
    moderator,
    topic_or_404,
    visible_topic_or_404,
)
from workspace.forums.models import Post, PostEdit


def _post_or_404(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or post.topic.network_id != g.network.id or \
            not access.can_see_post(current_user, post, post.topic):
        abort(404)
    return post


def _to_post(post: Post):
    return redirect(url_for("forums.topic_detail", topic_id=post.topic_id,
                            page=reading.page_of(post.number)) + f"#post-{post.number}")


# --- reading ---------------------------------------------------------------------------

@bp.get("/")
def forum_index():
    try:
        previous = reading.record_visit(current_user, g.network)
        db.session.commit()
    except IntegrityError:  # another tab recorded the first visit at the same moment
        db.session.rollback()
        previous = None
    return render_template("forums/forum_index.html", network=g.network,
                           categories=service.categories(g.network, include_archived=True),
                           new_rows=reading.new_topics_since(current_user, g.network, previous,
                                                             moderator(), limit=10),
                           previous_visit=previous, can_moderate=moderator(),
                           open_reports=len(service.open_reports(g.network)) if moderator()
                           else 0)


@bp.get("/new")
def new_since():
    visit = db.session.get(reading.ForumVisit, (current_user.id, g.network.id))
    since = visit.previous_visit_at if visit else None
    return render_template("forums/new_since.html", network=g.network, since=since,
                           rows=reading.new_topics_since(current_user, g.network, since,
                                                         moderator(), limit=100))


@bp.get("/c/<int:category_id>")
def category_detail(category_id: int):
    category = category_or_404(category_id)
    pagination, rows = reading.category_page(current_user, category,
                                             query_page(error_out=False), moderator())
    return render_template("forums/category_detail.html", network=g.network, category=category,
                           pagination=pagination, rows=rows,
                           following=notify.is_following(current_user, category=category),
                           can_write=access.can_write(current_user, g.network))


@bp.get("/t/<int:topic_id>")
def topic_detail(topic_id: int):
    reader = current_user._get_current_object()  # used a dozen times: not via the proxy
    topic, known, following = reading.topic_for_reader(reader, topic_id)
    topic = visible_topic_or_404(topic, reader)
    moderator = access.can_moderate(reader, g.network)
    page = reading.topic_page(topic, query_page(error_out=False), moderator)
    if page.posts:
        # the last page covers the newest number, even when that post is hidden
        seen = topic.last_number if page.page == page.pages else page.posts[-1].number
        if reading.mark_read(reader, topic, seen, known):
            db.session.commit()
    can_reply = access.can_reply(reader, topic)
    posts_html = fragments.posts_html(page, g.network.slug, topic.id, reader.id, moderator,
                                      can_reply)
    return render_template(
        "forums/topic_detail.html", network=g.network, topic=topic, page=page,
        topic_head=fragments.topic_head(
            g.network, topic, topic.category, following,
            show_unread=known is not None and known < topic.last_number),
        reply_box=fragments.reply_box(g.network, topic) if can_reply else None,
        can_moderate=moderator, can_reply=can_reply,
        move_form=MoveTopicForm() if moderator else None,
        categories=service.categories(g.network) if moderator else [],
        posts_html=posts_html, poll_seconds=current_app.config["PAGE_POLL_SECONDS"],
        page_url=_url_with_id("forums.topic_detail", "page", network_slug=g.network.slug,
                              topic_id=topic.id) if page.pages > 1 else None)


_PLACEHOLDER_ID = 2_147_483_647


def _url_with_id(endpoint: str, id_name: str, **values):
    """id -> url_for(endpoint, **values, id_name=id), with url_for run once: the pagination
    links differ only by a number, and url_for is slow next to a string join."""
    head, tail = url_for(endpoint, **values, **{id_name: _PLACEHOLDER_ID}).rsplit(
        str(_PLACEHOLDER_ID), 1)
    return lambda value: f"{head}{value:d}{tail}"


@bp.get("/t/<int:topic_id>/unread")
def topic_unread(topic_id: int):
    topic = topic_or_404(topic_id)
    number = reading.first_unread_number(current_user, topic)
    return redirect(url_for("forums.topic_detail", topic_id=topic.id,
                            page=reading.page_of(number)) + f"#post-{number}")


@bp.get("/p/<int:post_id>")
def post_link(post_id: int):
    return _to_post(_post_or_404(post_id))


@bp.get("/p/<int:post_id>/history")
def post_history(post_id: int):
    post = _post_or_404(post_id)
    edits = db.session.scalars(db.select(PostEdit).where(PostEdit.post_id == post.id)
                               .order_by(PostEdit.edited_at.desc())).all()
    return render_template("forums/post_history.html", network=g.network, post=post,
                           topic=post.topic, edits=edits)


@bp.post("/preview")
def preview():
    """The rendered HTML of a draft, for the preview pane (the same sanitiser as posts)."""
    return str(render_markdown(request.form.get("body", "")[:50_000]))


# --- writing ---------------------------------------------------------------------------

def _attach(post: Post, form) -> None:
    live.link_inline_documents(current_user, g.network, post)
    refused = attachments.attach_files(current_user, g.network, post, form.files.data or [])
    for _filename, reason in refused:
        flash(reason, "warning")


@bp.route("/c/<int:category_id>/new", methods=["GET", "POST"])
def topic_create(category_id: int):
    category = category_or_404(category_id)
    if not access.can_write(current_user, g.network):
        abort(403)
    form = TopicForm()
    preview_html = None
    if request.form.get("action") == "preview":
        preview_html = render_markdown(form.body.data or "")
    elif form.validate_on_submit():
        try:
            post = service.create_topic(current_user, category, form.title.data, form.body.data,
                                        important=bool(form.important.data))
            _attach(post, form)
        except DomainError as error:
            form.body.errors.append(error.message)
        else:
            db.session.commit()
            return _to_post(post)
    return render_template("forums/topic_form.html", network=g.network, category=category,
                           form=form, preview_html=preview_html)


@bp.route("/t/<int:topic_id>/reply", methods=["GET", "POST"])
def topic_reply(topic_id: int):
    topic = topic_or_404(topic_id)
    if not access.can_reply(current_user, topic):
        if topic.is_locked:
            flash(_("Ce sujet est verrouillé : il n'accepte plus de réponse."), "warning")
            return redirect(url_for("forums.topic_detail", topic_id=topic.id))
        abort(403)
    form = PostForm()
    preview_html = None
    quote_id = query_id("quote") if request.method == "GET" else None
    if quote_id:
        quoted = _post_or_404(quote_id)
        if quoted.topic_id != topic.id or not quoted.is_visible:
            abort(404)
        form.body.data = service.quote_text(quoted)
    if request.form.get("action") == "preview":
        preview_html = render_markdown(form.body.data or "")
    elif form.validate_on_submit():
        try:
            post = service.reply(current_user, topic, form.body.data)
            _attach(post, form)
        except DomainError as error:
            form.body.errors.append(error.message)
        else:
            db.session.commit()
            return _to_post(post)
    return render_template("forums/reply_form.html", network=g.network, topic=topic, form=form,
                           preview_html=preview_html)


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
def post_edit(post_id: int):
    post = _post_or_404(post_id)
    if not access.can_edit_post(current_user, post):
        abort(403)
    form = EditForm(obj=post)
    conflict = None
    if request.method == "GET":
        form.revision.data = post.revision
    elif form.validate_on_submit():
        try:
            service.edit_post(current_user, post, form.body.data,
                              _revision(form.revision.data))
            live.link_inline_documents(current_user, g.network, post)
        except Conflict as error:
            conflict = error.message
            form.revision.data = post.revision
        except DomainError as error:
            form.body.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Message modifié."), "success")
            return _to_post(post)
    return render_template("forums/post_edit.html", network=g.network, post=post,
                           topic=post.topic, form=form, conflict=conflict)


def _revision(raw: str | None) -> int:
    """The revision the editor started from; anything odd counts as out of date."""
    try:
        value = int(raw or 0)
    except ValueError:
        return -1
    return value if 0 <= value < 2**31 else -1


def _post_action(post_id: int, action, message: str):
    post = _post_or_404(post_id)
    try:
        action(post)
    except PermissionDenied:
        abort(403)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("forums.topic_detail", topic_id=post.topic_id,
                            page=reading.page_of(post.number)))


@bp.post("/p/<int:post_id>/delete")
def post_delete(post_id: int):
    return _post_action(post_id, lambda post: service.delete_post(current_user, post),
                        _("Message supprimé."))


@bp.post("/p/<int:post_id>/restore")
def post_restore(post_id: int):
    return _post_action(post_id, lambda post: service.restore_post(current_user, post),
                        _("Message restauré."))


@bp.post("/p/<int:post_id>/hide")
def post_hide(post_id: int):
    hidden = request.form.get("hidden") == "1"
    return _post_action(post_id, lambda post: service.set_post_hidden(current_user, post, hidden),
                        _("Message masqué.") if hidden else _("Message de nouveau visible."))


@bp.route("/p/<int:post_id>/report", methods=["GET", "POST"])
def post_report(post_id: int):
    post = _post_or_404(post_id)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            service.report_post(current_user, post, form.reason.data)
        except DomainError as error:
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Merci : les coordinateurs du réseau sont prévenus."), "success")
            return _to_post(post)
    return render_template("forums/post_report.html", network=g.network, post=post,
                           topic=post.topic, form=form)


# --- following -------------------------------------------------------------------------

@bp.post("/t/<int:topic_id>/follow")
def topic_follow(topic_id: int):
    topic = topic_or_404(topic_id)
    if request.form.get("follow") == "1":
        notify.follow_topic(current_user, topic)
        flash(_("Vous suivez ce sujet : les nouveaux messages vous seront envoyés par e-mail."),
              "success")
    else:
        notify.unfollow(current_user, topic=topic)
        flash(_("Vous ne suivez plus ce sujet."), "info")
    db.session.commit()
    return redirect(url_for("forums.topic_detail", topic_id=topic.id))


@bp.post("/c/<int:category_id>/follow")
def category_follow(category_id: int):
    category = category_or_404(category_id)
    if request.form.get("follow") == "1":
        notify.follow_category(current_user, category)
        flash(_("Vous suivez cette catégorie."), "success")
    else:
        notify.unfollow(current_user, category=category)
        flash(_("Vous ne suivez plus cette catégorie."), "info")
    db.session.commit()
    return redirect(url_for("forums.category_detail", category_id=category.id))
