"""Tutorials.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 23:20:00

"""
from alembic import op
import sqlalchemy as sa

from workspace.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tutorials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('deleted_at', UTCDateTime(), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_tutorials_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_tutorials_deleted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_tutorials_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['tutorials.id'], name=op.f('fk_tutorials_parent_id_tutorials'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_tutorials_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tutorials'))
    )
    with op.batch_alter_table('tutorials', schema=None) as batch_op:
        batch_op.create_index('ix_tutorials_network_position', ['network_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_tutorials_parent_id'), ['parent_id'], unique=False)



def downgrade():
    with op.batch_alter_table('tutorials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tutorials_parent_id'))
        batch_op.drop_index('ix_tutorials_network_position')

    op.drop_table('tutorials')
