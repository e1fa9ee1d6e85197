"""The search page (sign-in, hostile queries) and `flask search rebuild / check`."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import text_of
from tests.search.conftest import index_now, need, post
from workspace.extensions import db
from workspace.forums.models import Post
from workspace.search.indexer import index_dir
from workspace.search.parsing import QueryRefused, check_query


def test_the_page_requires_sign_in(client):
    assert client.get("/search?q=toit").status_code == 302


def test_the_header_offers_a_search_box(client, login, world):
    login(client, world.member)
    page = text_of(client.get("/search"))
    assert 'role="search"' in page and 'for="site-search-q"' in page


@pytest.mark.parametrize(("query", "message"), [
    ("*toit", "L'astérisque ne se place qu'en fin de mot"),
    ("to*", "L'astérisque ne se place qu'en fin de mot"),
    ("t?it", "L'astérisque ne se place qu'en fin de mot"),
    ("toit " * 60, "trop longue"),
    (" ".join(["mot"] * 21), "trop de mots"),
    ("(" * 50 + "toit" + ")" * 50, "parenthèses"),
])
def test_hostile_queries_get_a_message(app, client, login, world, query, message):
    """Refused before anything runs: the parser's check raises (its cost is measured in
    bench/search.py, not timed here), and the page says why."""
    with app.test_request_context():
        with pytest.raises(QueryRefused):
            check_query(query)
    login(client, world.member)
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert message in text_of(response)


@pytest.mark.parametrize("query", ['"', "(", ")", "AND", "NOT OR", '"toit', "toit)",
                                   "network_id:", ":", "^2", "\x00", "[a TO z]"])
def test_odd_queries_never_fail(client, login, world, query):
    login(client, world.member)
    assert client.get("/search", query_string={"q": query}).status_code == 200


def test_rebuild_restores_a_lost_index(runner, world, searcher_of):
    post(world, "Isolation des combles.", title="Combles")
    need(world, "Combles perdus")
    index_now()
    shutil.rmtree(index_dir())
    result = runner.invoke(args=["search", "rebuild", "--processes", "1"])
    assert result.exit_code == 0, result.output
    assert "Indexation" in result.output
    assert "2 entries indexed with 1 process(es)." in result.output
    assert "2 résultats" in searcher_of(world.member, "combles")


def test_rebuild_with_several_processes(runner, world, searcher_of):
    for number in range(30):
        post(world, f"Isolation des combles, bâtiment {number}.", title=f"Combles {number}")
    index_now()
    shutil.rmtree(index_dir())
    result = runner.invoke(args=["search", "rebuild", "--processes", "2"])
    assert result.exit_code == 0, result.output
    assert "30 entries indexed with 2 process(es)." in result.output
    assert "30 résultats" in searcher_of(world.member, "batiment")
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_rebuild_refused_while_the_index_is_locked(runner, world):
    from workspace.search.indexer import open_index

    post(world, "Isolation des combles.", title="Combles")
    index_now()
    writer = open_index().writer()
    try:
        result = runner.invoke(args=["search", "rebuild", "--processes", "1", "--wait", "0.5"])
    finally:
        writer.cancel()
    assert result.exit_code == 1
    assert "being written by another process" in result.output


def test_check_reports_missing_and_stale_entries(runner, world):
    kept = post(world, "Toiture en zinc.", title="Zinc")
    index_now()
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    # A change that bypassed the ORM (no job): the index is now wrong both ways.
    db.session.execute(db.update(Post).where(Post.id == kept.id).values(is_deleted=True))
    later = post(world, "Gouttières.", title="Gouttières")
    db.session.execute(db.delete(db.metadata.tables["jobs"]))
    db.session.commit()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"MISSING  post:{later.id}" in result.output
    assert f"STALE    post:{kept.id}" in result.output
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["search", "check"]).exit_code == 0
