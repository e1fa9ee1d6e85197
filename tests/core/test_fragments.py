"""Kept fragments (core/fragments.py) can only show what their key holds: each kept template,
with what it includes or imports, reads no name but the values it is given, and renders in
an environment without the request, the session or the reader's CSRF token."""
from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment, meta, nodes
from jinja2.exceptions import UndefinedError

from workspace.core import fragments
from workspace.core.fragments import DECLARED, KeptTemplate

# Every template kept today; a new one is declared with KeptTemplate and checked below.
KEPT = {"_frame/head.html", "_frame/header.html", "_frame/footer.html",
        "networks/_header_tabs.html", "forums/_post.html", "forums/_topic_head.html",
        "forums/_reply_box.html"}
PER_READER = {"request", "session", "g", "config", "current_user", "csrf_token",
              "get_flashed_messages"}


def free_names(environment: Environment, name: str, seen: tuple[str, ...] = ()) -> set[str]:
    """Names `name` reads from its context, following what it includes, imports or extends:
    an included template's names count unless the including one assigns them."""
    source = environment.loader.get_source(environment, name)[0]
    tree = environment.parse(source)
    assigned = {node.name for node in tree.find_all(nodes.Name)
                if node.ctx in ("store", "param")}
    # Jinja counts a name set inside an {% if %} as read from the context too (it falls
    # back to it when the branch is not taken): a name the template sets is its own.
    free = set(meta.find_undeclared_variables(tree)) - assigned
    for referenced in meta.find_referenced_templates(tree):
        if referenced is None:
            raise AssertionError(f"{name} includes a template by a computed name")
        if referenced not in seen + (name,):
            free |= free_names(environment, referenced, seen + (name,)) - assigned
    return free


def unkeyed_names(environment: Environment, kept: KeptTemplate) -> set[str]:
    """What `kept` reads that is neither one of its values nor a global of the kept
    environment (functions of the app, script root and language, all in the key)."""
    given = set(kept.names) | set(kept.slots) | {"csrf_value"} | set(environment.globals)
    return free_names(environment, kept.template) - given


def test_every_kept_template_reads_only_its_key(app):
    environment = fragments.kept_environment(app, lambda *args, **kwargs: "")
    assert set(DECLARED) >= KEPT
    for kept in DECLARED.values():
        assert unkeyed_names(environment, kept) == set(), kept.template
        assert free_names(environment, kept.template) & PER_READER == set(), kept.template


def test_the_check_finds_a_name_outside_the_key(app):
    """A template that reads the request, directly or through what it includes, fails."""
    environment = fragments.kept_environment(app, lambda *args, **kwargs: "")
    environment.loader = DictLoader({
        "outer.html": "{% set shown = 1 %}{{ title }}{% include 'inner.html' %}",
        "inner.html": "{{ shown }}{{ request.path }}{% include 'deeper.html' %}",
        "deeper.html": "{% from 'macros.html' import row %}{{ row() }}",
        "macros.html": "{% macro row() %}{{ session.user }}{{ _('Oui') }}{% endmacro %}"})
    kept = KeptTemplate.__new__(KeptTemplate)
    kept.template, kept.names, kept.slots = "outer.html", ("title",), ()
    assert unkeyed_names(environment, kept) == {"request", "session"}
    kept.names = ("title", "request", "session")
    assert unkeyed_names(environment, kept) == set()


def test_kept_environment_has_nothing_of_the_reader(app):
    environment = fragments.kept_environment(app, lambda *args, **kwargs: "")
    assert PER_READER & set(environment.globals) == set()
    assert environment.autoescape is app.jinja_env.autoescape
    with app.test_request_context("/"):
        for source in ("{{ request.path }}", "{{ csrf_token() }}", "{{ session }}",
                       "{{ title }}", "{{ g.user }}"):
            with pytest.raises(UndefinedError):
                environment.from_string(source).render()
        assert environment.from_string("{{ '<b>' }}").render() == "&lt;b&gt;"


@pytest.fixture
def echo(app):
    """A kept template that shows its one value, declared for one test."""
    from jinja2 import ChoiceLoader

    app.jinja_env.loader = ChoiceLoader([DictLoader({"tests/echo.html": "[{{ value }}]"}),
                                         app.jinja_env.loader])
    kept = KeptTemplate("tests/echo.html", ("value",))
    yield kept
    del DECLARED["tests/echo.html"]


def test_a_real_csrf_token_is_never_kept(app, echo):
    from flask_wtf.csrf import generate_csrf

    with app.test_request_context("/"):
        token = generate_csrf()
        assert echo.render(value=token) == f"[{token}]"
        assert fragments._fragments().caches["tests/echo.html"].get(
            (("", "fr"), token)) is None
        assert echo.render(value="public") == "[public]"
        assert fragments._fragments().caches["tests/echo.html"].get(
            (("", "fr"), "public")) == "[public]"


def test_values_must_be_immutable_and_complete(app, echo):
    with app.test_request_context("/"):
        with pytest.raises(TypeError):
            echo.render(value=["changes", "behind", "its", "key"])
        with pytest.raises(TypeError):
            echo.render(value=(1, {"a": 1}))
        with pytest.raises(TypeError):
            echo.render(value=1, other=2)
        with pytest.raises(KeyError):
            echo.render(other=2)
