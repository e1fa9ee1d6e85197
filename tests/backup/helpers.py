"""A small site to back up: its own app, database and DATA_DIR, filled through the services,
and a writer that keeps posting and uploading while a backup runs."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

from config import TestingConfig
from workspace import create_app
from workspace.auth.models import User
from workspace.documents import uploads
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.forums.models import Post, Topic
from workspace.networks.models import ROLE_COORDINATOR, ROLE_MEMBER, Membership, Network

PG_SERVER = os.environ.get("WORKSPACE_TEST_DATABASE_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def site(url: str, data_dir: Path, migrate: bool = True):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, DATA_DIR=str(data_dir))
    if migrate:
        with app.app_context():
            upgrade()
    return app


def fill(app, posts: int = 40, files: int = 12) -> dict:
    """A network with a forum topic of `posts` posts and `files` documents; ids returned."""
    with app.app_context():
        coordinator = User(email="coord@example.org", first_name="Anne", last_name="Coord")
        member = User(email="membre@example.org", first_name="Marc", last_name="Membre")
        network = Network(slug="reseau-informatique", name="Réseau informatique")
        db.session.add_all([coordinator, member, network])
        db.session.add_all([Membership(network=network, user=coordinator, role=ROLE_COORDINATOR),
                            Membership(network=network, user=member, role=ROLE_MEMBER)])
        db.session.flush()
        category = forums.save_category(coordinator, network, None, name="Sauvegardes")
        post = forums.create_topic(member, category, "Stratégie de sauvegarde",
                                   "Le zéphyrin tourne chaque nuit.")
        for number in range(posts):
            forums.reply(member, post.topic, f"Réponse initiale {number}")
        db.session.flush()
        uploads.upload_documents(member, network, None, [
            (f"rapport-{n}.txt", uploads.incoming_bytes(f"rapport {n} ".encode() * 5000))
            for n in range(files)])
        db.session.commit()
        return {"member": member.id, "topic": post.topic_id, "network": network.id}


@dataclass
class Writer:
    """Posts and uploads in a thread, each in its own transaction, until stopped."""

    app: object
    ids: dict
    done: int = 0
    errors: list = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with self.app.app_context():
            try:
                member = db.session.get(User, self.ids["member"])
                topic = db.session.get(Topic, self.ids["topic"])
                network = db.session.get(Network, self.ids["network"])
                while not self.stop.is_set():
                    forums.reply(member, topic, f"Message concurrent {self.done}")
                    if self.done % 3 == 0:
                        uploads.upload_documents(member, network, None, [(
                            f"pendant-{self.done}.txt",
                            uploads.incoming_bytes(f"pendant {self.done} ".encode() * 3000))])
                    db.session.commit()
                    self.done += 1
            except Exception as error:  # noqa: BLE001 - reported by the test
                self.errors.append(error)
            finally:
                db.session.remove()

    def __enter__(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(30)


def wait_for(writer: Writer, count: int) -> None:
    start = writer.done
    while writer.done < start + count and not writer.errors and writer.thread.is_alive():
        writer.stop.wait(0.01)


def topics_consistent() -> bool:
    """Every topic's counters agree with its posts (a torn snapshot would break this)."""
    for topic in db.session.scalars(select(Topic)):
        count = db.session.scalar(select(func.count()).where(Post.topic_id == topic.id))
        highest = db.session.scalar(select(func.max(Post.number)).where(Post.topic_id == topic.id))
        if count != topic.post_count or highest != topic.last_number:
            return False
    return True
