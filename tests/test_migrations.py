"""The migrations build, on an empty database, exactly the schema the models describe,
on SQLite and on PostgreSQL; and they go down again cleanly."""
import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from config import TestingConfig
from tests.conftest import require
from tests.databases import postgres_available, temporary_postgres_database
from workspace import create_app
from workspace.extensions import db

PG_SERVER = os.environ.get("WORKSPACE_TEST_DATABASE_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _check_upgrade_matches_models(url: str, tmp_path) -> None:
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, DATA_DIR=str(tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={
                "compare_type": True, "render_as_batch": True}), db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "networks", "memberships", "jobs"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_migrations_match_models_on_sqlite(tmp_path):
    _check_upgrade_matches_models(f"sqlite:///{tmp_path / 'fresh.sqlite'}", tmp_path)


@pytest.mark.postgres
def test_migrations_match_models_on_postgresql(tmp_path):
    require(postgres_available(PG_SERVER), "PostgreSQL is not reachable on 127.0.0.1:5432")
    with temporary_postgres_database(PG_SERVER, prefix="tilt_migrate") as url:
        _check_upgrade_matches_models(url, tmp_path)


def test_upgrading_a_database_with_data_keeps_it(tmp_path):
    """From the first revision, with people and memberships in it, to the newest: nothing is
    lost (a SQLite table rebuild with foreign keys on would cascade-delete children)."""
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, DATA_DIR=str(tmp_path))
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO users (id, email, first_name, last_name, job_title, "
                "network_function, phone, locale, is_admin, is_active, created_at) VALUES "
                "(1, 'a@example.org', 'Éric', 'Fournier', '', 'other', '', 'fr', 0, 1, "
                "'2017-01-01 00:00:00'), (2, 'b@example.org', 'Éric', 'Fournier', '', "
                "'other', '', 'fr', 0, 1, '2017-01-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO networks (id, slug, name, summary, description, is_private, "
                "is_archived, created_at) VALUES (1, 'n', 'N', '', '', 1, 0, "
                "'2017-01-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO memberships (network_id, user_id, role, joined_at) VALUES "
                "(1, 1, 'member', '2017-01-01 00:00:00'), (1, 2, 'coordinator', "
                "'2017-01-01 00:00:00')"))
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM memberships")).scalar() == 2
            handles = connection.execute(text("SELECT handle FROM users ORDER BY id")).scalars()
            assert list(handles) == ["eric.fournier", "eric.fournier.2"]
        db.engine.dispose()
