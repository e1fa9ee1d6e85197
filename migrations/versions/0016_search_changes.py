"""Search change log: every host's index follows it from a cursor of its own (instead of
`search.index` jobs, which only one host's worker could take).

The `search.index` jobs still waiting become change rows; the index on jobs' kind and
finish time, which only the search page's lag look-up used, goes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 00:30:00

"""
import json

import sqlalchemy as sa
from alembic import op

import workspace.core.models

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    changes = op.create_table(
        'search_changes',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  autoincrement=True, nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('object_id', sa.BigInteger(), nullable=False),
        sa.Column('created_at', workspace.core.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_changes')),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('search_changes') as batch_op:
        batch_op.create_index('ix_search_changes_created_at', ['created_at'], unique=False)

    connection = op.get_bind()
    jobs = sa.table('jobs', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                    sa.column('payload', sa.Text), sa.column('status', sa.String))
    waiting = connection.execute(sa.select(jobs.c.id, sa.cast(jobs.c.payload, sa.Text)).where(
        jobs.c.kind == 'search.index', jobs.c.status.in_(('pending', 'running', 'failed'))))
    keys = set()
    for _id, payload in waiting:
        try:
            values = json.loads(payload)
            keys.add((str(values['kind']), int(values['id'])))
        except (TypeError, ValueError, KeyError):
            continue
    now = workspace.core.models.utcnow()
    if keys:
        op.bulk_insert(changes, [{'kind': kind, 'object_id': object_id, 'created_at': now}
                                 for kind, object_id in sorted(keys)])
    connection.execute(sa.delete(jobs).where(jobs.c.kind == 'search.index'))
    with op.batch_alter_table('jobs') as batch_op:
        batch_op.drop_index('ix_jobs_kind_finished_at')


def downgrade():
    with op.batch_alter_table('jobs') as batch_op:
        batch_op.create_index('ix_jobs_kind_finished_at', ['kind', 'finished_at'], unique=False)
    op.drop_table('search_changes')
