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
