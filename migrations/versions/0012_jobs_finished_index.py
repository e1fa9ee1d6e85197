"""An index on jobs (kind, finished_at): the search page asks which index jobs were applied
a moment ago (search/lag.py) without reading the finished jobs kept for two weeks.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 18:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_kind_finished_at', ['kind', 'finished_at'], unique=False)


def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_kind_finished_at')
