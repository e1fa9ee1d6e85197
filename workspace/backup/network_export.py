"""A network's full export: a ZIP that opens offline in a browser.

```
index.html                       the network, links to every section
forum/index.html, category-<id>.html, topic-<id>.html
meetings/index.html, meeting-<id>.html     agenda, minutes, decisions, actions
workshops/index.html, workshop-<id>.html   description, notes
needs/index.html
polls/index.html                 date polls: slots, counts, communes covered, answers
                                 (each person's only when the poll shows them to members)
documents/index.html             listing linking to documents/files/<id>/<file name>
documents/files/<id>/<name>      current version of every document outside the trash
data/network.json                the same data, for other programs
style.css
```
Every link between pages is relative. User text goes through Jinja's escaping or
core/markdown.py (sanitised); links that users wrote to the site itself (`/n/...`) become
absolute links to PUBLIC_URL, since they cannot work offline.
"""
from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from datetime import UTC, datetime
from typing import IO
from urllib.parse import quote

from flask import current_app
from markupsafe import Markup

from workspace.backup.network_collect import NetworkContents, author_name, collect_network
from workspace.core.markdown import render_markdown
from workspace.networks.models import Network

SITE_LINK = re.compile(r'(href|src)="/(?!/)')
UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def safe_file_name(name: str) -> str:
    """A file name that is one harmless path segment inside the ZIP."""
    name = unicodedata.normalize("NFC", name or "")
    name = UNSAFE_NAME.sub("_", name).strip().lstrip(".")
    return name[:150] or "fichier"


def markdown_offline(text: str | None) -> Markup:
    """Sanitised HTML of user Markdown; links to the site point at its public address."""
    html = str(render_markdown(text or ""))
    public = current_app.config["PUBLIC_URL"]
    return Markup(SITE_LINK.sub(lambda m: f'{m.group(1)}="{public}/', html))


def href(path: str) -> str:
    return "/".join(quote(part) for part in path.split("/"))


def _page(template: str, root: str, contents: NetworkContents, **context) -> bytes:
    page = current_app.jinja_env.get_template(f"backup/export/{template}")
    return page.render(root=root, network=contents.network, contents=contents,
                       author_name=author_name, markdown=markdown_offline, href=href,
                       exported_at=datetime.now(UTC), **context).encode()


def write_network_export(network: Network, out: IO[bytes]) -> dict[str, int]:
    """Write the network's export as a ZIP into `out`; return what it holds, counted."""
    from workspace.documents.storage import blob_path

    contents = collect_network(network)
    for item in contents.documents:
        item.archive_path = (f"documents/files/{item.document.id}/"
                             f"{safe_file_name(item.version.filename)}")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        def put(path: str, data: bytes) -> None:
            archive.writestr(path, data)

        put("style.css", current_app.jinja_env.get_template(
            "backup/export/style.css").render().encode())
        put("index.html", _page("index.html", "", contents))
        put("forum/index.html", _page("forum.html", "../", contents))
        for category in contents.categories:
            put(f"forum/category-{category.id}.html",
                _page("category.html", "../", contents, category=category))
            for topic in contents.topics.get(category.id, []):
                put(f"forum/topic-{topic.id}.html",
                    _page("topic.html", "../", contents, category=category, topic=topic))
        put("meetings/index.html", _page("meetings.html", "../", contents))
        for meeting in contents.meetings:
            put(f"meetings/meeting-{meeting.id}.html",
                _page("meeting.html", "../", contents, meeting=meeting))
        put("workshops/index.html", _page("workshops.html", "../", contents))
        for workshop in contents.workshops:
            put(f"workshops/workshop-{workshop.id}.html",
                _page("workshop.html", "../", contents, workshop=workshop))
        put("needs/index.html", _page("needs.html", "../", contents))
        put("polls/index.html", _page("polls.html", "../", contents))
        missing = 0
        for item in contents.documents:
            path = blob_path(item.version.blob_sha256)
            if path.is_file():
                archive.write(path, item.archive_path)
            else:  # listed as unavailable rather than failing the whole export
                item.archive_path, missing = "", missing + 1
        put("documents/index.html", _page("documents.html", "../", contents))
        put("data/network.json", json.dumps(network_data(contents), ensure_ascii=False,
                                            indent=1).encode())
    return {"topics": sum(len(t) for t in contents.topics.values()),
            "posts": sum(len(p) for p in contents.posts.values()),
            "meetings": len(contents.meetings), "workshops": len(contents.workshops),
            "needs": len(contents.needs), "polls": len(contents.polls),
            "documents": len(contents.documents) - missing}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def network_data(contents: NetworkContents) -> dict:
    """The export's JSON: the same content as its pages, Markdown and rendered HTML."""
    network = contents.network
    return {
        "network": {"slug": network.slug, "name": network.name, "summary": network.summary,
                    "description": network.description},
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "forum": [{
            "id": category.id, "name": category.name, "description": category.description,
            "is_archived": category.is_archived,
            "topics": [{
                "id": topic.id, "title": topic.title, "author": author_name(topic.author),
                "created_at": _iso(topic.created_at), "is_locked": topic.is_locked,
                "page": f"forum/topic-{topic.id}.html",
                "posts": [{"number": post.number, "author": author_name(post.author),
                           "created_at": _iso(post.created_at),
                           "edited_at": _iso(post.edited_at), "body": post.body,
                           "body_html": str(markdown_offline(post.body))}
                          for post in contents.posts.get(topic.id, [])],
            } for topic in contents.topics.get(category.id, [])],
        } for category in contents.categories],
        "meetings": [{
            "id": meeting.id, "title": meeting.title, "description": meeting.description,
            "starts_at": _iso(meeting.starts_at), "ends_at": _iso(meeting.ends_at),
            "location": meeting.location, "is_cancelled": meeting.is_cancelled,
            "agenda": [{"title": item.title, "presenter": item.presenter,
                        "duration_minutes": item.duration_minutes} for item in meeting.agenda],
            "minutes": meeting.minutes,
            "decisions": [d.text for d in contents.decisions.get(meeting.id, [])],
            "actions": [{"title": a.title, "status": a.status,
                         "due_on": a.due_on.isoformat() if a.due_on else None}
                        for a in contents.actions.get(meeting.id, [])],
            "page": f"meetings/meeting-{meeting.id}.html",
        } for meeting in contents.meetings],
        "workshops": [{
            "id": workshop.id, "theme": workshop.theme, "title": workshop.title,
            "description": workshop.description, "starts_at": _iso(workshop.starts_at),
            "ends_at": _iso(workshop.ends_at), "location": workshop.location,
            "is_cancelled": workshop.is_cancelled, "notes": workshop.notes,
            "page": f"workshops/workshop-{workshop.id}.html",
        } for workshop in contents.workshops],
        "needs": [{
            "id": need.id, "title": need.title, "description": need.description,
            "status": need.status, "created_at": _iso(need.created_at),
            "communes": contents.supports.get(need.id, []),
        } for need in contents.needs],
        "polls": [_poll_data(poll, contents.poll_tables[poll.id])
                  for poll in contents.polls],
        "documents": [{
            "id": item.document.id, "title": item.document.title,
            "description": item.document.description, "folder": item.folder_path,
            "filename": item.version.filename, "version": item.version.number,
            "mime": item.version.mime, "size": item.version.size,
            "sha256": item.version.blob_sha256, "file": item.archive_path or None,
        } for item in contents.documents],
    }


def _poll_data(poll, table) -> dict:
    """A poll with its slots' counts; each person's answers only when the poll shows them
    to the members (the export holds only what members may see)."""
    from workspace.polls.models import SHOW_MEMBERS

    shown = poll.answers_shown_to == SHOW_MEMBERS
    return {
        "id": poll.id, "title": poll.title, "description": poll.description,
        "for": poll.target, "status": poll.status, "closes_at": _iso(poll.closes_at),
        "location": poll.location, "video_url": poll.video_url,
        "meeting_id": poll.meeting_id, "workshop_id": poll.workshop_id,
        "chosen_slot_id": poll.chosen_slot_id,
        "slots": [{"id": tally.slot.id, "starts_at": _iso(tally.slot.starts_at),
                   "ends_at": _iso(tally.slot.ends_at), "yes": tally.yes,
                   "if_need_be": tally.maybe, "no": tally.no,
                   **({"communes_covered": tally.covered, "communes_missing": tally.missing}
                      if shown else {})} for tally in table.slots],
        "answers": [{"person": author_name(person.user), "commune": person.commune,
                     "comment": person.comment, "choices": {
                         str(slot_id): choice for slot_id, choice in person.choices.items()}}
                    for person in table.people if person.answered] if shown else None,
    }
