"""Posts are Markdown rendered then sanitised: whatever a member types, the topic page, the
preview endpoint and the no-JS preview carry no script, handler, frame or unsafe link."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import text_of
from tests.forums.helpers import elements, forum_url, post_count, start_topic
from workspace.extensions import db
from workspace.forums.models import Topic

HOSTILE = "\n\n".join([
    "Bonjour, [cliquez ici](javascript:alert(1)) pour le correctif.",
    "[majuscules](JaVaScRiPt:alert(2)) et [entités](&#106;avascript:alert(3))",
    "[données](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==)",
    "[vb](vbscript:msgbox(5)) <javascript:alert(6)>",
    "<script>alert(7)</script>",
    '<img src="x" onerror="alert(8)">',
    '<iframe src="https://malveillant.example/"></iframe>',
    '<a href="javascript:alert(9)" onclick="alert(10)">brut</a>',
    '![image](javascript:alert(11)) ![piège](https://tilt.test/a.png "t\\" onerror=\\"alert(12)")',
    "<svg onload=alert(13)></svg> <object data=x></object> <style>body{}</style>",
    "[site](https://www.lemansmetropole.fr/) [écrire](mailto:dsi@lemansmetropole.fr) **gras**",
])

FORBIDDEN_TAGS = {"script", "iframe", "frame", "object", "embed", "svg", "style", "form",
                  "input", "button", "meta", "link", "base"}


def assert_harmless(found: list[tuple[str, dict]]) -> None:
    """No executable element, no event handler, links only http, https or mailto."""
    assert found, "nothing rendered"
    for tag, attributes in found:
        assert tag not in FORBIDDEN_TAGS, (tag, attributes)
        handlers = [name for name in attributes if name.lower().startswith("on")]
        assert not handlers, (tag, attributes)
        assert "style" not in attributes, (tag, attributes)
        for name in ("href", "src"):
            value = (attributes.get(name) or "").strip().lower()
            if value:
                assert value.split(":", 1)[0] in ("http", "https", "mailto"), (tag, attributes)


def _safe_links(found) -> set[str]:
    return {attributes["href"] for tag, attributes in found if tag == "a"}


def test_topic_page_shows_hostile_markdown_harmlessly(client, login, forum):
    network, category, alice, *_ = forum
    login(client, alice)
    response = client.post(forum_url(network, f"/c/{category.id}/new"),
                           data={"title": "Piège", "body": HOSTILE})
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic))
    page = client.get(forum_url(network, f"/t/{topic.id}")).get_data(as_text=True)
    found = elements(page, "post-body")
    assert_harmless(found)
    assert _safe_links(found) == {"https://www.lemansmetropole.fr/",
                                  "mailto:dsi@lemansmetropole.fr"}
    assert ("strong", {}) in found  # ordinary Markdown still works
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(7)" in page  # shown as text, not run


def test_links_get_rel_nofollow(client, login, forum):
    network, category, alice, *_ = forum
    post = start_topic(alice, category, body="[site](https://www.lemansmetropole.fr/)")
    login(client, alice)
    page = client.get(forum_url(network, f"/t/{post.topic_id}")).get_data(as_text=True)
    [link] = [a for tag, a in elements(page, "post-body") if tag == "a"]
    assert "nofollow" in link.get("rel", "") and "noopener" in link.get("rel", "")


def test_preview_endpoint_sanitises_the_same_way(client, login, forum):
    network, _, alice, *_ = forum
    login(client, alice)
    response = client.post(forum_url(network, "/preview"), data={"body": HOSTILE})
    assert response.status_code == 200
    found = elements(response.get_data(as_text=True))
    assert_harmless(found)
    assert _safe_links(found) == {"https://www.lemansmetropole.fr/",
                                  "mailto:dsi@lemansmetropole.fr"}


def test_preview_endpoint_matches_the_posted_rendering(client, login, forum):
    network, category, alice, *_ = forum
    body = "Titre\n=====\n\n- un\n- *deux*\n\n`code` [lien](https://exemple.fr)"
    post = start_topic(alice, category, body=body)
    login(client, alice)
    preview = client.post(forum_url(network, "/preview"), data={"body": body})
    assert preview.get_data(as_text=True) == post.body_html


@pytest.mark.parametrize("path", ["/c/{category}/new", "/t/{topic}/reply"])
def test_no_js_preview_shows_the_rendering_without_posting(client, login, forum, path):
    network, category, alice, *_ = forum
    post = start_topic(alice, category)
    before = post_count()
    login(client, alice)
    url = forum_url(network, path.format(category=category.id, topic=post.topic_id))
    response = client.post(url, data={"title": "Aperçu", "action": "preview",
                                      "body": "Texte en **gras**\n\n" + HOSTILE})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    found = elements(page, "editor-preview")
    assert ("strong", {}) in found
    assert_harmless(found)
    assert "Texte en **gras**" in text_of(response)  # the draft stays in the form
    assert post_count() == before
    assert db.session.scalar(select(Topic.id).where(Topic.title == "Aperçu")) is None
