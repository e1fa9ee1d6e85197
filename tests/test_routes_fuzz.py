"""Every route of the URL map with generated edge values (Hypothesis), for every kind of user.

Path parameters, query strings and form fields get huge and negative numbers, empty and very
long strings, control and bidirectional characters, impossible dates, next to the ids of real
objects. Whatever comes: never a 5xx; a GET changes nothing stored; a member of another
network always gets 404 on the private network's pages.

The routes, roles and objects are those of the access matrix (tests/test_access_matrix.py):
a route added there is fuzzed here. `make test` runs a small budget of examples per role;
FUZZ_EXAMPLES=2000 runs a long one.
"""
from __future__ import annotations

import os
import re
from urllib.parse import quote

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, cast, func, literal, select, union_all
from wtforms.fields.core import UnboundField

from tests.test_access_matrix import EXPECTED, _routes, world  # noqa: F401 - fixture
from workspace.auth import service as auth
from workspace.extensions import db
from workspace.networks.models import ROLE_COORDINATOR, ROLE_MEMBER, Membership, Network

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))  # per role
ROLES = ("anonymous", "outsider", "member", "coordinator", "admin")

# What a GET may write, and why; anything else written by a GET is a defect.
GET_MAY_WRITE = {
    "forum_visits": "the forum's index remembers the reader's previous visit ('new since')",
    "dashboard_visits": "the home page remembers the reader's previous visit ('new since')",
    "forum_topic_reads": "reading a topic moves the reader's 'read up to' mark",
}

EDGE_TEXT = [
    "", " ", "0", "-1", "1", "2", "2147483647", "2147483648", "-2147483649",
    "99999999999999999999", "9" * 40, "1e9", "1.5", "NaN", "-0", "+1", "0x10", "٣", "²",
    "9999-12-31", "0000-00-00", "2017-02-30", "1999-12-31", "2030-01-31", "10000-01-01",
    "9999-12-31T23:59", "0001-01-01T00:00", "2030-02-30T10:00", "2030-01-10T09:00",
    "2017-03-26T02:30", "9999-12-31T23:59:59+14:00", "\x00", "\x1b[2J", "a\u202eb", "\u200f",
    "\ufeff", "\ud7ff", "a" * 5000, "../../etc/passwd", "%00", "<script>x</script>",
    "null", "true", "on", "user:2147483648", "org:-1", "up", "down", "yes", "preview",
    "javascript:alert(1)", "//evil.example", "é" * 300, "meeting:²", "topic:99999999999999999999",
    "Point | x | ²", "Point | x | 99999999999999999999", "1.2.²",
]
# names read by views and forms besides the forms' fields (request.args / request.form)
QUERY_NAMES = ["page", "folder", "q", "sort", "order", "tag", "commune", "months", "year",
               "need", "quote", "parent", "before", "kind", "user", "since", "until",
               "unread", "organisation", "status", "network", "function", "next", "lang",
               "slot", "rows"]
FORM_NAMES = ["action", "direction", "decision", "answer", "status", "target", "parent_id",
              "document_id", "present", "shown_at", "hidden", "follow", "lang", "next",
              "active", "body", "issue", "role", "category", "slot", "people", "communes",
              "comment"]


def _form_field_names() -> list[str]:
    """Every field name of every form of the application (create_app imports them all)."""
    names, pending = set(), list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        names.update(name for name in dir(form)
                     if isinstance(getattr(form, name, None), UnboundField))
    return sorted(names)


def edge_values(real: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(EDGE_TEXT + real),
        st.integers(min_value=-(10**25), max_value=10**25).map(str),
        st.text(max_size=30),
        st.text(alphabet=st.characters(categories=("Cc", "Cf", "Zs", "Nd", "Lo")),
                max_size=12),
    )


_ARGUMENT = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")


def _path(rule, values: dict, chosen: dict) -> str:
    """The rule's URL with the chosen text for each argument (quoted, as a browser would)."""
    def replace(match):
        name, converter = match["name"], match["converter"]
        if name == "filename":
            return "css/bootstrap.min.css" if rule.endpoint == "bootstrap.static" else \
                "css/app.css"
        text = chosen.get(name, str(values.get(name, "")))
        if converter == "path":
            return quote(text, safe="/")
        return quote(text, safe="") or "x"
    return _ARGUMENT.sub(replace, rule.rule)


def _fingerprint() -> list:
    """Rows per table and the latest change time of tables that keep one (one statement)."""
    parts = []
    for table in db.metadata.sorted_tables:
        if table.name in GET_MAY_WRITE:
            continue
        changed = [table.c[name] for name in ("updated_at", "edited_at", "deleted_at")
                   if name in table.c]
        latest = func.max(func.coalesce(*changed, None)) if len(changed) > 1 else (
            func.max(changed[0]) if changed else literal(None))
        parts.append(select(literal(table.name), func.count(), cast(latest, String))
                     .select_from(table))
    rows = db.session.execute(union_all(*parts)).all()
    db.session.rollback()
    return sorted(tuple(row) for row in rows)


def _repair(users: dict, network_id: int) -> None:
    """Undo what earlier examples did to the people the test signs in as (a coordinator may
    have removed the member, the member may have left): the next example starts alike."""
    network = db.session.get(Network, network_id)
    network.is_private = True
    for role, wanted in (("member", ROLE_MEMBER), ("coordinator", ROLE_COORDINATOR)):
        user = db.session.merge(users[role])
        membership = db.session.scalar(select(Membership).where(
            Membership.network_id == network_id, Membership.user_id == user.id))
        if membership is None:
            db.session.add(Membership(network_id=network_id, user_id=user.id, role=wanted))
        else:
            membership.role = wanted
    for user in users.values():
        db.session.merge(user).is_active = True
    db.session.commit()


def _sign_in(client, user) -> None:
    """A session as the sign-in form makes it, without the form's throttling."""
    token = auth.start_session(db.session.merge(user), remember=False)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = token, True


@pytest.mark.parametrize("role", ROLES)
def test_every_route_survives_edge_values(app, world, make_user, role):  # noqa: F811
    users, values, _trashed = world
    private = db.session.scalar(select(Network).where(Network.slug == values["network_slug"]))
    victim = make_user()  # what user_id points at: anonymised, deactivated, removed at will
    db.session.add(Membership(network_id=private.id, user_id=victim.id, role=ROLE_MEMBER))
    db.session.commit()
    values = {**values, "user_id": victim.id}
    routes = sorted(((rule.endpoint, method, rule) for rule, method in _routes(app)
                     if (rule.endpoint, method) in EXPECTED), key=lambda r: r[:2])
    real = sorted({str(v) for v in values.values()})
    names = _form_field_names()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def run(data):
        endpoint, method, rule = data.draw(st.sampled_from(routes), label="route")
        chosen = data.draw(st.dictionaries(st.sampled_from(sorted(rule.arguments)),
                                           edge_values(real), max_size=3)
                           if rule.arguments else st.just({}), label="path")
        query = data.draw(st.dictionaries(st.sampled_from(QUERY_NAMES + names),
                                          edge_values(real), max_size=4), label="query")
        form = data.draw(st.dictionaries(st.sampled_from(FORM_NAMES + names),
                                         edge_values(real), max_size=8), label="form")
        _repair(users, private.id)
        client = app.test_client()
        if role != "anonymous":
            _sign_in(client, users[role])
        before = _fingerprint() if method == "GET" else None
        url = _path(rule, values, chosen)
        response = client.open(url, method=method, query_string=query,
                               data=form if method == "POST" else None)
        status = response.status_code
        assert status < 500, f"{role} {method} {url} {query} {form}: {status}"
        if before is not None:
            assert _fingerprint() == before, f"{role} GET {url} {query} changed the database"
        if (role == "outsider" and EXPECTED[(endpoint, method)]["outsider"] == 404
                and "network_slug" not in chosen):  # another slug: another (or no) network
            assert status == 404, f"outsider {method} {url} {query}: {status}"

    run()
