"""Forum writes at the same instant, as the load test sent them: replies to one topic (from
the site and by e-mail), replies and new topics in one category, and moderation (hiding,
deleting, moving the topic) in the middle of replies. Each writer runs in its own thread
with its own app context and database session, and commits on its own as a request (or
the e-mail poll) would. Nothing may fail, every post is stored with its own number (1..N,
no gap, no repeat), and the counters kept on topics and categories equal real counts.

The one row a page view writes, the reader's position in a topic, is written by several
tabs at once too: it only moves forward and is stored once.

On SQLite (a file) and on PostgreSQL (skipped when the server is not reachable, except in
CI where it must be). The last tests go through the test client (on the suite's database):
two replies at once both get their redirect; tabs opening the forum and a topic for the
first time at once all get their page.
"""
from __future__ import annotations

import contextlib
import itertools
import os
import threading
from collections.abc import Callable

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from config import TestingConfig
from tests.conftest import require
from tests.databases import postgres_available, temporary_postgres_database
from tests.mailin.conftest import ADDRESS
from tests.mailin.messages import plain_reply, reply_to
from workspace import create_app
from workspace.auth.models import User
from workspace.extensions import db
from workspace.forums import reading
from workspace.forums import service as forums
from workspace.forums.models import Category, Post, Topic
from workspace.mailin import imap
from workspace.mailin.models import POSTED
from workspace.networks.models import ROLE_COORDINATOR, ROLE_MEMBER, Membership, Network

PG_SERVER = os.environ.get("WORKSPACE_TEST_DATABASE_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
_names = itertools.count(1)


# --- databases and app -------------------------------------------------------------------

@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                                 marks=pytest.mark.postgres)])
def database(request, tmp_path_factory):
    """A database of this module's own, migrated once: a SQLite file, or PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('forum-race') / 'forum.sqlite'}"
        yield _migrated(url, tmp_path_factory)
        return
    require(postgres_available(PG_SERVER), "PostgreSQL is not reachable on 127.0.0.1:5432")
    with temporary_postgres_database(PG_SERVER, prefix="tilt_forum_race") as url:
        yield _migrated(url, tmp_path_factory)


def _migrated(url: str, tmp_path_factory) -> str:
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url,
                     DATA_DIR=str(tmp_path_factory.mktemp("migrate")))
    with app.app_context():
        upgrade()
        db.engine.dispose()  # the migrations leave SQLite's foreign keys off on their connection
    return url


@pytest.fixture
def shared_app(database, tmp_path):
    """An app on that database, as each gunicorn worker has one; the e-mail replies on."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database,
                     DATA_DIR=str(tmp_path / "data"), MAILIN_ADDRESS=ADDRESS,
                     SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 20, "max_overflow": 10})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


# --- people and places (each test makes its own: the database is shared by the module) ----

class Forum:
    def __init__(self, members: int):
        n = next(_names)
        self.network = Network(name=f"Réseau {n}", slug=f"reseau-{n}", is_private=True)
        self.coordinator = self._user(n, "coordination")
        self.members = [self._user(n, f"technicien{k}") for k in range(members)]
        db.session.add(self.network)
        db.session.add(Membership(network=self.network, user=self.coordinator,
                                  role=ROLE_COORDINATOR))
        db.session.add_all(Membership(network=self.network, user=user, role=ROLE_MEMBER)
                           for user in self.members)
        db.session.flush()
        self.categories = [forums.save_category(self.coordinator, self.network, None,
                                                name=name) for name in ("Chauffage", "Voirie")]
        db.session.commit()

    @staticmethod
    def _user(n: int, name: str) -> User:
        user = User(email=f"{name}.{n}@example.org", first_name="Prénom", last_name=name,
                    locale="fr")
        db.session.add(user)
        return user

    def topics(self, count: int, replies: int = 0) -> list[int]:
        """`count` topics of the first category opened by the coordinator, each with
        `replies` replies of the members; their ids."""
        ids = []
        for t in range(count):
            topic = forums.create_topic(self.coordinator, self.categories[0], f"Sujet {t}",
                                        "Qui a changé de chaudière cet hiver ?").topic
            for r in range(replies):
                forums.reply(self.members[r % len(self.members)], topic, f"Réponse {r}.")
            ids.append(topic.id)
        db.session.commit()
        return ids


# --- running writers at the same instant ---------------------------------------------------

def _at_once(app, jobs: list[Callable[[], object]]) -> list[object]:
    """Run each job as a request would: a thread, an app context and a session of its own,
    one commit. All start together; any exception fails the test with its traceback."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)
    errors: list[str] = []
    lock = threading.Lock()

    def run(index: int, job) -> None:
        with app.app_context():
            try:
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait(timeout=60)
                results[index] = job()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                with lock:
                    errors.append(f"job {index}: {error!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "a writer is still waiting"
    assert errors == []
    return results


def _reply(user_id: int, topic_id: int, text: str) -> Callable[[], int]:
    def job() -> int:
        user, topic = db.session.get(User, user_id), db.session.get(Topic, topic_id)
        return forums.reply(user, topic, text).number
    return job


def _reply_by_email(user_id: int, topic_id: int, text: str) -> Callable[[], int]:
    """What the e-mail poll does with one message of INBOX, between its IMAP commands
    (mailin/imap.py: it commits)."""
    def job() -> int:
        user, topic = db.session.get(User, user_id), db.session.get(Topic, topic_id)
        raw = bytes(plain_reply(user.email, reply_to(user, topic), text))
        header = raw[:raw.index(b"\n\n") + 2]
        row, before = imap.record(header, len(raw), lambda: raw)
        assert (row.status, before) == (POSTED, False), row.reason
        return db.session.get(Post, row.post_id).number
    return job


def _new_topic(user_id: int, category_id: int, title: str) -> Callable[[], int]:
    def job() -> int:
        user, category = db.session.get(User, user_id), db.session.get(Category, category_id)
        return forums.create_topic(user, category, title, "Premier message.").number
    return job


# --- what must hold afterwards -------------------------------------------------------------

def _assert_counters_are_true(network: Network) -> None:
    """Every topic numbered 1..N without gap or repeat; the counters of its topics and
    categories equal what the posts say."""
    db.session.expire_all()
    topics = db.session.scalars(select(Topic).where(Topic.network_id == network.id)).all()
    for topic in topics:
        numbers = sorted(db.session.scalars(select(Post.number)
                                            .where(Post.topic_id == topic.id)))
        assert numbers == list(range(1, len(numbers) + 1)), topic.title
        visible = db.session.scalar(select(func.count(Post.id)).where(
            Post.topic_id == topic.id, Post.is_deleted.is_(False), Post.is_hidden.is_(False)))
        assert (topic.last_number, topic.post_count) == (len(numbers), visible), topic.title
    categories = db.session.scalars(select(Category).where(
        Category.network_id == network.id)).all()
    for category in categories:
        mine = [topic for topic in topics if topic.category_id == category.id]
        assert (category.topic_count, category.post_count) == (
            len(mine), sum(topic.post_count for topic in mine)), category.name


# --- the tests -------------------------------------------------------------------------

def test_replies_to_one_topic_at_once_are_numbered_one_after_the_other(shared_app):
    forum = Forum(members=12)
    [topic_id] = forum.topics(1)
    jobs = [(_reply_by_email if n % 4 == 3 else _reply)(user.id, topic_id, f"Réponse {n}.")
            for n, user in enumerate(forum.members)]
    numbers = _at_once(shared_app, jobs)
    assert sorted(numbers) == list(range(2, 14))
    _assert_counters_are_true(forum.network)
    topic = db.session.get(Topic, topic_id)
    assert (topic.post_count, topic.last_number) == (13, 13)
    assert db.session.get(Category, topic.category_id).post_count == 13
    by_email = db.session.scalars(select(Post.number).where(
        Post.topic_id == topic_id, Post.via_email.is_(True))).all()
    assert len(by_email) == 3


def test_replies_and_new_topics_in_one_category_are_all_counted(shared_app):
    forum = Forum(members=12)
    topic_ids = forum.topics(10)
    category_id = forum.categories[0].id
    jobs = [_reply(forum.members[n].id, topic_id, "Même chose ici.")
            for n, topic_id in enumerate(topic_ids)]
    jobs += [_new_topic(forum.members[10].id, category_id, "Déneigement"),
             _new_topic(forum.members[11].id, category_id, "Éclairage public")]
    numbers = _at_once(shared_app, jobs)
    assert numbers == [2] * 10 + [1, 1]
    _assert_counters_are_true(forum.network)
    category = db.session.get(Category, category_id)
    assert (category.topic_count, category.post_count) == (12, 22)


def test_moderation_in_the_middle_of_replies_keeps_the_counters_true(shared_app):
    forum = Forum(members=8)
    [topic_id, _other] = forum.topics(2, replies=5)  # posts 1..6 in each
    [target_id] = [category.id for category in forum.categories[1:]]
    posts = dict(db.session.execute(select(Post.number, Post.id)
                                    .where(Post.topic_id == topic_id)).tuples().all())
    coordinator = forum.coordinator.id

    def moderate(action: str, number: int, *args) -> Callable[[], None]:
        def job() -> None:
            actor, post = db.session.get(User, coordinator), db.session.get(Post, posts[number])
            getattr(forums, action)(actor, post, *args)
        return job

    def move() -> None:
        topic = db.session.get(Topic, topic_id)
        forums.move_topic(db.session.get(User, coordinator), topic,
                          db.session.get(Category, target_id))

    jobs = [_reply(user.id, topic_id, "Une de plus.") for user in forum.members[:6]]
    jobs += [moderate("set_post_hidden", 2, True), moderate("set_post_hidden", 3, True),
             moderate("set_post_hidden", 3, True),  # two coordinators, the same post
             moderate("delete_post", 4), moderate("delete_post", 5), move]
    _at_once(shared_app, jobs)
    _assert_counters_are_true(forum.network)
    topic = db.session.get(Topic, topic_id)
    assert (topic.category_id, topic.last_number, topic.post_count) == (target_id, 12, 8)
    source, target = (db.session.get(Category, category.id) for category in forum.categories)
    assert (source.topic_count, source.post_count) == (1, 6)
    assert (target.topic_count, target.post_count) == (1, 8)


def _together(requests: list[Callable[[], object]]) -> list:
    """Send the test-client requests at the same instant; their responses."""
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def send(index: int) -> None:
        barrier.wait(timeout=30)
        responses[index] = requests[index]()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def test_two_replies_at_once_through_the_site_both_succeed(app, login, make_user,
                                                           make_network):
    """What members see: both replies are published (302 to the post), numbered 2 and 3
    in either order; five rounds, so that the two really meet."""
    alice, bob, coordinator = make_user(), make_user(), make_user()
    network = make_network("Réseau informatique", members=[alice, bob],
                           coordinators=[coordinator])
    category = forums.save_category(coordinator, network, None, name="Messagerie")
    topic = forums.create_topic(coordinator, category, "Quota des boîtes", "Quel quota ?").topic
    db.session.commit()
    clients = []
    for user in (alice, bob):
        client = app.test_client()
        login(client, user)
        clients.append(client)
    path = f"/n/{network.slug}/forum/t/{topic.id}/reply"
    for round_ in range(5):
        responses = _together([
            lambda client=client, text=text: client.post(path, data={"body": text})
            for client, text in zip(clients, [f"Alice, tour {round_}.", f"Bob, tour {round_}."],
                                    strict=True)])
        assert [response.status_code for response in responses] == [302, 302]
        assert sorted(int(response.location.rsplit("#post-", 1)[1])
                      for response in responses) == [2 + 2 * round_, 3 + 2 * round_]
    db.session.expire_all()
    numbers = db.session.scalars(select(Post.number).where(Post.topic_id == topic.id)
                                 .order_by(Post.number)).all()
    assert numbers == list(range(1, 12))
    assert db.session.get(Topic, topic.id).post_count == 11
    assert db.session.get(Category, category.id).post_count == 11



def test_a_readers_tabs_moving_the_position_at_once_only_move_it_forward(shared_app):
    """Eight tabs of one reader, each on another page of a topic never opened before (three
    topics): no error, and the position is the furthest one, whatever order the writes
    came in."""
    forum = Forum(members=1)
    topic_ids = forum.topics(3, replies=9)
    reader_id = forum.members[0].id

    def view(topic_id: int, number: int) -> Callable[[], bool]:
        def job() -> bool:
            reader, topic = db.session.get(User, reader_id), db.session.get(Topic, topic_id)
            return reading.mark_read(reader, topic, number, reading.last_read(reader, topic))
        return job

    for topic_id in topic_ids:
        _at_once(shared_app, [view(topic_id, number) for number in range(3, 11)])
    db.session.expire_all()
    reader = db.session.get(User, reader_id)
    assert [reading.last_read(reader, db.session.get(Topic, topic_id))
            for topic_id in topic_ids] == [10, 10, 10]


def test_tabs_opening_the_forum_and_a_topic_for_the_first_time(app, login, make_user,
                                                              make_network):
    """Three tabs of one member open a network's forum, then a topic, for the first time at
    the same instant (in four networks): every page is shown; the visit and the reading
    position are stored once."""
    alice, coordinator = make_user(), make_user()
    tabs = []
    for _tab in range(3):
        client = app.test_client()
        login(client, alice)
        tabs.append(client)
    for n in range(4):
        network = make_network(f"Réseau {n}", members=[alice], coordinators=[coordinator])
        category = forums.save_category(coordinator, network, None, name="Messagerie")
        topic = forums.create_topic(coordinator, category, "Quota", "Quel quota ?").topic
        db.session.commit()
        for path in (f"/n/{network.slug}/forum/", f"/n/{network.slug}/forum/t/{topic.id}"):
            responses = _together([lambda tab=tab, path=path: tab.get(path) for tab in tabs])
            assert [response.status_code for response in responses] == [200] * 3, path
        assert reading.last_read(alice, topic) == 1
