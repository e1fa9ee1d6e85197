"""Operations on networks and their membership. Services flush; the caller commits."""
from __future__ import annotations

from collections import defaultdict

from blinker import Namespace
from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import func, select

from workspace.auth.models import User
from workspace.communes.models import KIND_COMMUNE, Organisation
from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.models import utcnow
from workspace.core.security_events import announce
from workspace.extensions import db
from workspace.networks import access
from workspace.networks.models import (
    REQUEST_APPROVED,
    REQUEST_PENDING,
    REQUEST_REFUSED,
    REQUEST_WITHDRAWN,
    ROLE_COORDINATOR,
    ROLE_MEMBER,
    JoinRequest,
    Membership,
    Network,
)

# Hooks for other packages (notifications listens): sent in the transaction of the change,
# after the flush, with the JoinRequest as sender.
_signals = Namespace()
join_requested = _signals.signal("join-requested")
join_answered = _signals.signal("join-answered")  # keyword: actor


def list_networks(user: User) -> list[Network]:
    """Every network the user can see listed: open, private (name and summary only), archived
    ones for administrators."""
    query = select(Network).order_by(Network.name)
    if not user.is_admin:
        query = query.where(Network.is_archived.is_(False))
    return list(db.session.scalars(query))


def my_networks(user: User) -> list[tuple[Network, str]]:
    rows = db.session.execute(select(Network, Membership.role).join(
        Membership, Membership.network_id == Network.id).where(
        Membership.user_id == user.id, Network.is_archived.is_(False)).order_by(Network.name))
    return [(network, role) for network, role in rows]


def save_network(network: Network | None, *, name: str, summary: str, description: str,
                 is_private: bool) -> Network:
    name = " ".join(name.split())
    slug = slugify(name, max_length=80)
    if not slug:
        raise DomainError(_("Le nom doit contenir au moins une lettre ou un chiffre."))
    clash = db.session.scalar(select(Network).where((Network.slug == slug)
                                                    | (Network.name == name)))
    if clash is not None and clash is not network:
        raise DomainError(_("Un réseau porte déjà ce nom."))
    if network is None:
        network = Network(slug=slug)
        db.session.add(network)
    network.name, network.summary, network.description = name, summary.strip(), description
    network.is_private = is_private
    db.session.flush()
    return network


def get_membership(network: Network, user: User) -> Membership | None:
    return db.session.scalar(select(Membership).where(Membership.network_id == network.id,
                                                      Membership.user_id == user.id))


def pending_request(network: Network, user: User) -> JoinRequest | None:
    return db.session.scalar(select(JoinRequest).where(
        JoinRequest.network_id == network.id, JoinRequest.user_id == user.id,
        JoinRequest.status == REQUEST_PENDING))


def coordinators(network: Network) -> list[User]:
    return list(db.session.scalars(select(User).join(Membership).where(
        Membership.network_id == network.id, Membership.role == ROLE_COORDINATOR,
        User.is_active.is_(True)).order_by(User.last_name, User.first_name)))


def members_by_commune(network: Network) -> list[tuple[str, list[Membership]]]:
    """Members grouped by organisation: communes in alphabetical order, then the others."""
    memberships = db.session.scalars(
        select(Membership).join(User).where(Membership.network_id == network.id,
                                            User.is_active.is_(True))
        .order_by(User.last_name, User.first_name)).all()
    groups: dict[tuple, list[Membership]] = defaultdict(list)
    for membership in memberships:
        organisation: Organisation | None = membership.user.organisation
        if organisation is None:
            key = (2, "", _("Sans organisation"))
        else:
            key = (0 if organisation.kind == KIND_COMMUNE else 1, slugify(organisation.name),
                   organisation.name)
        groups[key].append(membership)
    return [(key[2], groups[key]) for key in sorted(groups)]


def _add_membership(network: Network, user: User, role: str = ROLE_MEMBER) -> Membership:
    membership = Membership(network=network, user=user, role=role)
    db.session.add(membership)
    db.session.flush()
    access.forget_cached_roles()
    return membership


def request_to_join(user: User, network: Network, message: str) -> JoinRequest | Membership:
    """Open network: join at once. Private network: a request the coordinators decide on."""
    if network.is_archived:
        raise DomainError(_("Ce réseau est archivé."))
    if get_membership(network, user) is not None:
        raise DomainError(_("Vous êtes déjà membre de ce réseau."))
    if not network.is_private:
        announce("member_joined", subject=user, actor=user, network=network.slug)
        return _add_membership(network, user)
    if pending_request(network, user) is not None:
        raise DomainError(_("Votre demande est déjà en attente d'une réponse."))
    join_request = JoinRequest(network=network, user=user, message=message.strip()[:2000])
    db.session.add(join_request)
    db.session.flush()
    join_requested.send(join_request)
    return join_request


def decide_join_request(actor: User, join_request: JoinRequest, approve: bool,
                        answer: str = "") -> None:
    network = join_request.network
    if not access.can_manage_network(actor, network):
        raise PermissionDenied(_("Seuls les coordinateurs du réseau peuvent répondre."))
    if join_request.status != REQUEST_PENDING:
        raise DomainError(_("Cette demande a déjà reçu une réponse."))
    join_request.status = REQUEST_APPROVED if approve else REQUEST_REFUSED
    join_request.decided_at, join_request.decided_by = utcnow(), actor
    join_request.answer = answer.strip()[:2000]
    if approve and get_membership(network, join_request.user) is None:
        _add_membership(network, join_request.user)
    announce("join_approved" if approve else "join_refused", subject=join_request.user,
             actor=actor, network=network.slug)
    db.session.flush()
    join_answered.send(join_request, actor=actor)


def withdraw_request(user: User, network: Network) -> None:
    join_request = pending_request(network, user)
    if join_request is not None:
        join_request.status = REQUEST_WITHDRAWN


def pending_requests(network: Network) -> list[JoinRequest]:
    return list(db.session.scalars(select(JoinRequest).where(
        JoinRequest.network_id == network.id, JoinRequest.status == REQUEST_PENDING)
        .order_by(JoinRequest.created_at)))


def count_pending_requests_for(user: User) -> int:
    """Requests waiting for a decision in the networks the user coordinates."""
    query = select(func.count(JoinRequest.id)).where(JoinRequest.status == REQUEST_PENDING)
    if not user.is_admin:
        coordinated = select(Membership.network_id).where(Membership.user_id == user.id,
                                                          Membership.role == ROLE_COORDINATOR)
        query = query.where(JoinRequest.network_id.in_(coordinated))
    return db.session.scalar(query) or 0


def _coordinator_count(network: Network) -> int:
    return db.session.scalar(select(func.count(Membership.id)).where(
        Membership.network_id == network.id, Membership.role == ROLE_COORDINATOR)) or 0


def _check_not_last_coordinator(membership: Membership) -> None:
    if membership.is_coordinator and _coordinator_count(membership.network) <= 1:
        raise DomainError(_("Le réseau doit garder au moins un coordinateur : nommez-en un "
                            "autre d'abord."))


def add_member(actor: User, network: Network, user: User, role: str = ROLE_MEMBER) -> Membership:
    if not access.can_manage_network(actor, network):
        raise PermissionDenied(_("Seuls les coordinateurs du réseau peuvent ajouter des membres."))
    if not user.is_active:
        raise DomainError(_("Ce compte est désactivé."))
    if get_membership(network, user) is not None:
        raise DomainError(_("%(name)s est déjà membre du réseau.", name=user.full_name))
    join_request = pending_request(network, user)
    if join_request is not None:
        join_request.status, join_request.decided_at = REQUEST_APPROVED, utcnow()
        join_request.decided_by = actor
    announce("member_added", subject=user, actor=actor, network=network.slug, role=role)
    return _add_membership(network, user, role)


def set_role(actor: User, membership: Membership, role: str) -> None:
    if not access.can_manage_network(actor, membership.network):
        raise PermissionDenied(_("Seuls les coordinateurs du réseau peuvent changer les rôles."))
    if role not in (ROLE_MEMBER, ROLE_COORDINATOR):
        raise DomainError(_("Rôle inconnu."))
    if role == ROLE_MEMBER:
        _check_not_last_coordinator(membership)
    if membership.role != role:
        announce("role_changed", subject=membership.user_id, actor=actor,
                 network=membership.network.slug, before=membership.role, after=role)
    membership.role = role
    access.forget_cached_roles()


def remove_member(actor: User, membership: Membership) -> None:
    """A coordinator removes someone, or a member leaves (actor is the member)."""
    if actor.id != membership.user_id and not access.can_manage_network(actor,
                                                                        membership.network):
        raise PermissionDenied(_("Seuls les coordinateurs du réseau peuvent retirer un membre."))
    _check_not_last_coordinator(membership)
    announce("member_left" if actor.id == membership.user_id else "member_removed",
             subject=membership.user_id, actor=actor, network=membership.network.slug)
    db.session.delete(membership)
    db.session.flush()
    access.forget_cached_roles()


def apply_directory_groups(user: User, wanted: set[str], managed: set[str]) -> None:
    """Membership of the networks a directory's groups decide (`managed`, by slug), applied
    at each sign-in through the directory: joined when one of the user's groups maps to the
    network (`wanted`), left when none does. Coordinators are appointed by hand and are
    never removed here; networks no group maps to are left alone."""
    networks = {network.slug: network for network in db.session.scalars(
        select(Network).where(Network.slug.in_(managed)))}
    for slug, network in sorted(networks.items()):
        membership = get_membership(network, user)
        if slug in wanted and membership is None:
            pending = pending_request(network, user)
            if pending is not None:
                pending.status, pending.decided_at = REQUEST_APPROVED, utcnow()
            announce("member_added", subject=user, network=slug, role=ROLE_MEMBER,
                     source="directory")
            _add_membership(network, user)
        elif slug not in wanted and membership is not None and membership.role == ROLE_MEMBER:
            announce("member_removed", subject=user, network=slug, source="directory")
            db.session.delete(membership)
            db.session.flush()
            access.forget_cached_roles()
