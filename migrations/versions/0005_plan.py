"""Pooling plan: actions, objectives and their links.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 23:20:00

"""
from alembic import op
import sqlalchemy as sa

from workspace.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('last_year', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    op.create_table('plan_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('axis', sa.String(length=300), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_actions_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_actions')),
    sa.UniqueConstraint('plan_id', 'number', name=op.f('uq_plan_actions_plan_id'))
    )
    op.create_table('plan_action_networks',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['plan_actions.id'], name=op.f('fk_plan_action_networks_action_id_plan_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_plan_action_networks_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'network_id', name=op.f('pk_plan_action_networks'))
    )
    with op.batch_alter_table('plan_action_networks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_action_networks_network_id'), ['network_id'], unique=False)

    op.create_table('plan_action_reminders',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_html', sa.Text(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['plan_actions.id'], name=op.f('fk_plan_action_reminders_action_id_plan_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_plan_action_reminders_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('action_id', 'year', name=op.f('pk_plan_action_reminders'))
    )
    op.create_table('plan_objectives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('semester', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('progress_note', sa.String(length=1000), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['plan_actions.id'], name=op.f('fk_plan_objectives_action_id_plan_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_plan_objectives_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_objectives'))
    )
    with op.batch_alter_table('plan_objectives', schema=None) as batch_op:
        batch_op.create_index('ix_plan_objectives_action_year', ['action_id', 'year', 'number'], unique=False)

    op.create_table('plan_objective_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('target_network_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plan_objective_links_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['objective_id'], ['plan_objectives.id'], name=op.f('fk_plan_objective_links_objective_id_plan_objectives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_network_id'], ['networks.id'], name=op.f('fk_plan_objective_links_target_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_objective_links')),
    sa.UniqueConstraint('objective_id', 'target_type', 'target_id', name=op.f('uq_plan_objective_links_objective_id'))
    )
    with op.batch_alter_table('plan_objective_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_objective_links_target_network_id'), ['target_network_id'], unique=False)



def downgrade():
    with op.batch_alter_table('plan_objective_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_objective_links_target_network_id'))

    op.drop_table('plan_objective_links')
    with op.batch_alter_table('plan_objectives', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_objectives_action_year')

    op.drop_table('plan_objectives')
    op.drop_table('plan_action_reminders')
    with op.batch_alter_table('plan_action_networks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_action_networks_network_id'))

    op.drop_table('plan_action_networks')
    op.drop_table('plan_actions')
    op.drop_table('plans')
