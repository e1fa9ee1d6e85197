"""The demo's everyday life: meetings, workshops, needs, documents, more forum topics and a
current plan, loaded after the base demo (communes, networks, people). Each part looks its
objects up by natural key first, so loading twice changes nothing."""
from __future__ import annotations

from sqlalchemy import delete

from workspace.core.jobs import Job
from workspace.extensions import db

# Jobs the demo's own actions queue that would announce them to the demo's people: the demo
# is not news (the forum demo does the same, demo/forums.py).
ANNOUNCEMENTS = ("forums.new_post", "forums.mentions", "notifications.send", "mail.send")


def load_demo_everyday() -> bool:
    from workspace.demo.current_plan import load_demo_current_plan
    from workspace.demo.documents import load_demo_documents
    from workspace.demo.gatherings import load_demo_gatherings
    from workspace.demo.topics import load_demo_topics

    created = load_demo_gatherings()
    created |= load_demo_topics()
    created |= load_demo_documents()
    created |= load_demo_current_plan()
    db.session.execute(delete(Job).where(Job.kind.in_(ANNOUNCEMENTS)))
    return created
