"""The processes of the search concurrency test (tests/concurrency/test_search_writes.py).

Each runs in its own interpreter (multiprocessing "spawn"), builds its own app on the
shared database and DATA_DIR (so the same Whoosh index), and reports back through a queue:
`("writer", number, outcome)` or `("worker", number, outcome)`, where outcome holds the
traceback if the process raised, the error records it logged, and what it wrote.
"""
from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass, field

from config import TestingConfig
from workspace import create_app

WRITES = 200


def word(process: int, n: int, mark: str = "q") -> str:
    """A word found in one object only; the French analyser keeps it as one token."""
    return f"zx{process}{mark}{n}"


@dataclass
class Outcome:
    error: str | None = None
    logged_errors: list[str] = field(default_factory=list)
    # word -> (kind, id, findable): what the database holds once the writes are done
    words: dict[str, tuple[str, int, bool]] = field(default_factory=dict)


class _Recorder(logging.Handler):
    """Errors logged anywhere in the process: a job failed for good, a worker loop error."""

    def __init__(self, outcome: Outcome):
        super().__init__(logging.ERROR)
        self.outcome = outcome

    def emit(self, record: logging.LogRecord) -> None:
        self.outcome.logged_errors.append(self.format(record)[-2000:])


def _app(settings: dict):
    return create_app(TestingConfig, MAIL_TRANSPORT="file", JOBS_POLL_SECONDS=0.05,
                      **settings)


def _start_together(barrier) -> None:
    barrier.wait(timeout=120)


def write(process: int, settings: dict, ids: dict, barrier, results) -> None:
    """200 writes by one member, each committed on its own as a request would, and a search
    every ten writes, while this process's worker thread runs jobs (`flask serve` / a
    gunicorn worker with its thread)."""
    from workspace.core.jobs import start_worker_thread

    outcome = Outcome()
    logging.getLogger().addHandler(_Recorder(outcome))
    thread = None
    try:
        app = _app(settings)
        thread = start_worker_thread(app)
        _start_together(barrier)
        writer = _Writer(app, process, ids)
        for n in range(WRITES):
            writer.step(n)
            if n % 10 == 9:
                writer.search_meanwhile(n)
        outcome.words = writer.final_words()
    except Exception:  # noqa: BLE001 - reported to the test, which fails on it
        outcome.error = traceback.format_exc()
    finally:
        if thread is not None:
            thread.stop_event.set()
            thread.join(timeout=300)  # it finishes its batch: no job is left running
    results.put(("writer", process, outcome))


def work_jobs(number: int, settings: dict, barrier, stop, results) -> None:
    """A `flask worker` process: the real worker loop until the test says stop."""
    from workspace.core.jobs import work

    outcome = Outcome()
    logging.getLogger().addHandler(_Recorder(outcome))
    try:
        app = _app(settings)
        _start_together(barrier)
        work(app, stop, worker_id=f"test-worker-{number}")
    except Exception:  # noqa: BLE001 - reported to the test, which fails on it
        outcome.error = traceback.format_exc()
    results.put(("worker", number, outcome))


class _Writer:
    """One member's writes. Out of every 10: a topic, four replies, an edit (the word of an
    earlier reply replaced by a new one), a soft deletion of a reply, two needs and the
    deletion of one of them (no service deletes a need yet: the ORM does, as an
    administrator's script would)."""

    def __init__(self, app, process: int, ids: dict):
        self.app, self.process, self.ids = app, process, ids
        self.posts: dict[int, int] = {}  # n -> post id
        self.needs: dict[int, int] = {}  # n -> need id
        self.topic_id: int | None = None
        self.edited: dict[int, int] = {}  # n of the reply -> n of the edit
        self.deleted_posts: set[int] = set()
        self.deleted_needs: dict[int, int] = {}  # n -> id, gone from the database

    def step(self, n: int) -> None:
        with self.app.app_context():
            from workspace.extensions import db

            getattr(self, f"_step_{n % 10}")(n)
            db.session.commit()

    # --- the ten kinds of write -----------------------------------------------------------

    def _step_0(self, n):
        from workspace.extensions import db
        from workspace.forums import service as forums
        from workspace.forums.models import Category

        category = db.session.get(Category, self.ids["category"])
        post = forums.create_topic(self._author(), category, f"Sujet {self.process}-{n}",
                                   f"Premier message {word(self.process, n)}.")
        self.posts[n], self.topic_id = post.id, post.topic_id

    def _reply(self, n):
        from workspace.extensions import db
        from workspace.forums import service as forums
        from workspace.forums.models import Topic

        topic = db.session.get(Topic, self.topic_id)
        self.posts[n] = forums.reply(self._author(), topic,
                                     f"Réponse {word(self.process, n)} sur le chauffage.").id

    _step_1 = _step_2 = _step_3 = _step_9 = _reply

    def _step_4(self, n):
        from workspace.extensions import db
        from workspace.forums import service as forums
        from workspace.forums.models import Post

        # the 4th post of the previous ten writes: its first indexing has most likely run
        target = n - 11 if n >= 10 else n - 2
        post = db.session.get(Post, self.posts[target])
        forums.edit_post(self._author(), post, f"Réponse corrigée {word(self.process, n, 'e')}.",
                         post.revision)
        self.edited[target] = n

    def _step_5(self, n):
        from workspace.extensions import db
        from workspace.forums import service as forums
        from workspace.forums.models import Post

        forums.delete_post(self._author(), db.session.get(Post, self.posts[n - 4]))
        self.deleted_posts.add(n - 4)

    def _need(self, n):
        from workspace.extensions import db
        from workspace.needs import service as needs
        from workspace.networks.models import Network

        network = db.session.get(Network, self.ids["network"])
        self.needs[n] = needs.create_need(self._author(), network,
                                          f"Besoin {word(self.process, n)}",
                                          "Un diagnostic des chaudières.").id

    _step_6 = _step_7 = _need

    def _step_8(self, n):
        from workspace.extensions import db
        from workspace.needs.models import Need

        db.session.delete(db.session.get(Need, self.needs[n - 1]))
        self.deleted_needs[n - 1] = self.needs.pop(n - 1)

    def search_meanwhile(self, n: int) -> None:
        """A member searches while the index is being written (and merged): never an
        error, whatever the writers are doing."""
        from workspace.search.query import search

        with self.app.app_context():
            search(self._author(), f"chauffage OR {word(self.process, n - 9)}")

    def _author(self):
        from workspace.auth.models import User
        from workspace.extensions import db

        return db.session.get(User, self.ids["writers"][self.process])

    # --- what must be found ---------------------------------------------------------------

    def final_words(self) -> dict[str, tuple[str, int, bool]]:
        words: dict[str, tuple[str, int, bool]] = {}
        p = self.process
        for n, post_id in self.posts.items():
            findable = n not in self.deleted_posts and n not in self.edited
            words[word(p, n)] = ("post", post_id, findable)
            if n in self.edited:
                words[word(p, self.edited[n], "e")] = ("post", post_id, True)
        for n, need_id in self.needs.items():
            words[word(p, n)] = ("need", need_id, True)
        for n, need_id in self.deleted_needs.items():
            words[word(p, n)] = ("need", need_id, False)
        return words
