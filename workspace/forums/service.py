"""Forum operations: categories, topics, posts, edits, moderation. Services flush; the caller
commits. Counters on topics and categories are kept here, so that lists read no posts."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import func, select, update

from workspace.auth.models import User
from workspace.core.errors import Conflict, DomainError, PermissionDenied
from workspace.core.markdown import render_markdown
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.forums import access, counters, notify
from workspace.forums.models import Category, Mention, Post, PostEdit, Report, Topic
from workspace.networks.models import Membership, Network

MAX_BODY = 50_000
MENTION = re.compile(r"(?<![\w@.])@([a-z0-9][a-z0-9.\-]{1,58}[a-z0-9])", re.IGNORECASE)


# --- categories ------------------------------------------------------------------------

def categories(network: Network, include_archived: bool = False) -> list[Category]:
    query = select(Category).where(Category.network_id == network.id)
    if not include_archived:
        query = query.where(Category.is_archived.is_(False))
    return list(db.session.scalars(query.order_by(Category.position, Category.id)))


def save_category(actor: User, network: Network, category: Category | None, *, name: str,
                  description: str = "", is_archived: bool = False) -> Category:
    if not access.can_moderate(actor, network):
        raise PermissionDenied(_("Seuls les coordinateurs gèrent les catégories."))
    name = " ".join((name or "").split())[:120]
    slug = slugify(name, max_length=120)
    if not slug:
        raise DomainError(_("Le nom doit contenir au moins une lettre ou un chiffre."))
    clash = db.session.scalar(select(Category).where(Category.network_id == network.id,
                                                     Category.slug == slug))
    if clash is not None and clash is not category:
        raise DomainError(_("Une catégorie porte déjà ce nom."))
    if category is None:
        position = db.session.scalar(select(func.coalesce(func.max(Category.position), 0))
                                     .where(Category.network_id == network.id)) + 1
        category = Category(network_id=network.id, position=position, topic_count=0,
                            post_count=0)
        db.session.add(category)
    category.name, category.slug = name, slug
    category.description, category.is_archived = (description or "").strip()[:500], is_archived
    db.session.flush()
    return category


def move_category(actor: User, network: Network, category: Category, offset: int) -> None:
    """Move a category up (-1) or down (+1) in the network's order."""
    if not access.can_moderate(actor, network):
        raise PermissionDenied(_("Seuls les coordinateurs gèrent les catégories."))
    ordered = categories(network, include_archived=True)
    index = ordered.index(category)
    target = min(max(index + offset, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered, start=1):
        item.position = position


# --- writing ---------------------------------------------------------------------------

def _check_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise DomainError(_("Le message est vide."))
    if len(body) > MAX_BODY:
        raise DomainError(_("Le message est trop long (%(n)d caractères au plus).", n=MAX_BODY))
    return body


def mentioned_users(body: str, network: Network) -> list[User]:
    """Members of the network named as @handle in the text (code blocks included: a mention
    in a quote still names the person)."""
    handles = {match.lower() for match in MENTION.findall(body)}
    if not handles:
        return []
    return list(db.session.scalars(select(User).join(
        Membership, Membership.user_id == User.id).where(
        Membership.network_id == network.id, User.handle.in_(handles),
        User.is_active.is_(True))))


def _record_mentions(post: Post, network: Network, author: User) -> None:
    """Notify each newly mentioned member once (edits do not notify them again)."""
    already = set(db.session.scalars(select(Mention.user_id).where(Mention.post_id == post.id)))
    new = [user for user in mentioned_users(post.body, network)
           if user.id not in already and user.id != author.id]
    for user in new:
        db.session.add(Mention(post_id=post.id, user_id=user.id))
    if new:
        notify.queue_mentions(post, [user.id for user in new])


def _add_post(topic: Topic, author: User, body: str, via_email: bool = False) -> Post:
    """The one way a post is written: its number is taken under the topic's lock
    (counters.py), so replies arriving together get the next numbers, one each."""
    body_html = str(render_markdown(body))  # before the lock: it is held until the commit
    now = utcnow()
    number = counters.take_number(topic, author, now)
    post = Post(topic=topic, number=number, author=author, body=body, body_html=body_html,
                created_at=now, via_email=via_email)
    db.session.add(post)
    db.session.flush()
    return post


def create_topic(author: User, category: Category, title: str, body: str, *,
                 important: bool = False) -> Post:
    network = db.session.get(Network, category.network_id)
    if not access.can_write(author, network):
        raise PermissionDenied(_("Seuls les membres du réseau peuvent écrire dans le forum."))
    if category.is_archived:
        raise DomainError(_("Cette catégorie est archivée."))
    title = " ".join((title or "").split())[:200]
    if not title:
        raise DomainError(_("Le sujet a besoin d'un titre."))
    body = _check_body(body)
    topic = Topic(network_id=network.id, category=category, title=title, author=author,
                  post_count=0, last_number=0, is_pinned=False, is_locked=False,
                  is_hidden=False)
    db.session.add(topic)
    db.session.flush()  # stored before its counters move (counters.take_number)
    post = _add_post(topic, author, body)
    counters.add_to_category(category, topics=1)
    notify.follow_topic(author, topic)
    if important:  # before the mentions: the announcement goes at once to everyone
        notify.queue_announcement(post, author, network)
    _record_mentions(post, network, author)
    notify.queue_new_post(post)
    return post


def reply(author: User, topic: Topic, body: str, *, via_email: bool = False) -> Post:
    """Add a post to the topic; `via_email`: it came as an e-mail (workspace.mailin)."""
    if not access.can_reply(author, topic):
        if topic.is_locked:
            raise PermissionDenied(_("Ce sujet est verrouillé : il n'accepte plus de réponse."))
        raise PermissionDenied(_("Seuls les membres du réseau peuvent répondre."))
    body = _check_body(body)
    post = _add_post(topic, author, body, via_email)
    notify.follow_topic(author, topic)
    _record_mentions(post, db.session.get(Network, topic.network_id), author)
    notify.queue_new_post(post)
    return post


def edit_post(editor: User, post: Post, body: str, expected_revision: int) -> None:
    """Save an edit unless someone saved another one since the editor opened the post."""
    if not access.can_edit_post(editor, post):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce message."))
    body = _check_body(body)
    if body == post.body:
        return  # nothing changed: no revision recorded
    previous = post.body
    result = db.session.execute(
        update(Post).where(Post.id == post.id, Post.revision == expected_revision)
        .values(body=body, body_html=str(render_markdown(body)), edited_at=utcnow(),
                edited_by_id=editor.id, revision=Post.revision + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.refresh(post)
        raise Conflict(_("Ce message a été modifié par quelqu'un d'autre pendant que vous "
                         "l'éditiez. Voici la version enregistrée ; votre texte est conservé "
                         "ci-dessous pour que vous puissiez le reprendre."))
    db.session.add(PostEdit(post_id=post.id, editor_id=editor.id, previous_body=previous))
    db.session.flush()
    db.session.refresh(post)
    _record_mentions(post, db.session.get(Network, post.topic.network_id), editor)


# --- moderation and deletion -----------------------------------------------------------

def _lock_for_change(post: Post) -> int:
    """Take the post's topic lock and read the post again; return how many visible posts
    the topic has before the change (counters.recount)."""
    topic = counters.lock_topic(post.topic)
    db.session.refresh(post)
    return topic.post_count


def delete_post(actor: User, post: Post) -> None:
    network = db.session.get(Network, post.topic.network_id)
    if post.author_id != actor.id and not access.can_moderate(actor, network):
        raise PermissionDenied(_("Vous ne pouvez pas supprimer ce message."))
    before = _lock_for_change(post)
    if post.number == 1 and not access.can_moderate(actor, network) and before > 1:
        raise DomainError(_("Le premier message d'un sujet qui a des réponses ne peut être "
                            "supprimé que par un coordinateur."))
    post.is_deleted, post.deleted_by_id = True, actor.id
    db.session.flush()
    counters.recount(post.topic, before)


def restore_post(actor: User, post: Post) -> None:
    _require_moderator(actor, post.topic.network_id)
    before = _lock_for_change(post)
    post.is_deleted, post.deleted_by_id = False, None
    db.session.flush()
    counters.recount(post.topic, before)


def set_post_hidden(actor: User, post: Post, hidden: bool) -> None:
    _require_moderator(actor, post.topic.network_id)
    before = _lock_for_change(post)
    post.is_hidden = hidden
    db.session.flush()
    counters.recount(post.topic, before)


def _require_moderator(actor: User, network_id: int) -> Network:
    network = db.session.get(Network, network_id)
    if not access.can_moderate(actor, network):
        raise PermissionDenied(_("Seuls les coordinateurs peuvent modérer."))
    return network


def set_topic_flag(actor: User, topic: Topic, flag: str, value: bool) -> None:
    """Pin, lock or hide a topic."""
    _require_moderator(actor, topic.network_id)
    if flag not in ("is_pinned", "is_locked", "is_hidden"):
        raise DomainError(_("Action inconnue."))
    setattr(topic, flag, value)


def move_topic(actor: User, topic: Topic, target: Category) -> None:
    _require_moderator(actor, topic.network_id)
    if target.network_id != topic.network_id:
        raise DomainError(_("Un sujet ne peut être déplacé que dans son réseau."))
    counters.lock_topic(topic)
    if target.id != topic.category_id:
        counters.move_to_category(topic, target)


def report_post(reporter: User, post: Post, reason: str) -> Report:
    reason = (reason or "").strip()[:2000]
    if not reason:
        raise DomainError(_("Indiquez la raison du signalement."))
    report = Report(post=post, reporter=reporter, reason=reason)
    db.session.add(report)
    db.session.flush()
    notify.queue_report(report)
    return report


def open_reports(network: Network) -> list[Report]:
    return list(db.session.scalars(select(Report).join(Post).join(Topic).where(
        Topic.network_id == network.id, Report.resolved_at.is_(None))
        .order_by(Report.created_at)))


def resolve_report(actor: User, report: Report) -> None:
    _require_moderator(actor, report.post.topic.network_id)
    report.resolved_at, report.resolved_by_id = utcnow(), actor.id


def quote_text(post: Post) -> str:
    """The Markdown that quotes a post in a reply."""
    author = post.author.handle if post.author else _("ancien membre")
    lines = "\n".join(f"> {line}" if line else ">" for line in post.body.split("\n"))
    return f"@{author} :\n{lines}\n\n"
