"""Activity feed tokens and the dashboard's visit marks.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 23:20:00

"""
from alembic import op
import sqlalchemy as sa

from workspace.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity_feed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('revoked_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_activity_feed_tokens_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_activity_feed_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_feed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_activity_feed_tokens_token_hash'))
    )
    with op.batch_alter_table('activity_feed_tokens', schema=None) as batch_op:
        batch_op.create_index('ix_activity_feed_tokens_user_network', ['user_id', 'network_id'], unique=False)

    op.create_table('dashboard_visits',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', UTCDateTime(), nullable=False),
    sa.Column('previous_seen_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_dashboard_visits_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_dashboard_visits'))
    )


def downgrade():
    op.drop_table('dashboard_visits')
    with op.batch_alter_table('activity_feed_tokens', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_feed_tokens_user_network')

    op.drop_table('activity_feed_tokens')
