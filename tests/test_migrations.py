"""The migrations build, on an empty database, exactly the schema the models describe,
on SQLite and on PostgreSQL; and they go down again cleanly."""
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from config import TestingConfig
from tests.conftest import require
from workspace import create_app
from workspace.extensions import db

PG_SERVER = os.environ.get("WORKSPACE_TEST_DATABASE_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _postgres_available() -> bool:
    try:
        engine = create_engine(PG_SERVER, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


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
    require(_postgres_available(), "PostgreSQL is not reachable on 127.0.0.1:5432")
    server = make_url(PG_SERVER)
    name = f"tilt_migrate_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _check_upgrade_matches_models(server.set(database=name).render_as_string(
            hide_password=False), tmp_path)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

