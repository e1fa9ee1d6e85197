"""Shared inventory: contracts, equipment and software.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 23:20:00

"""
from alembic import op
import sqlalchemy as sa

from workspace.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('inventory_contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('supplier', sa.String(length=120), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('notice_months', sa.Integer(), nullable=False),
    sa.Column('yearly_amount_cents', sa.BigInteger(), nullable=True),
    sa.Column('licence_count', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_inventory_contracts_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_inventory_contracts_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_inventory_contracts_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_contracts'))
    )
    with op.batch_alter_table('inventory_contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_contracts_ends_on'), ['ends_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_contracts_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_contracts_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('inventory_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('product', sa.String(length=120), nullable=False),
    sa.Column('product_key', sa.String(length=120), nullable=False),
    sa.Column('version', sa.String(length=60), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_inventory_items_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_inventory_items_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_inventory_items_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_items'))
    )
    with op.batch_alter_table('inventory_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_items_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_items_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_items_product_key'), ['product_key'], unique=False)

    op.create_table('inventory_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('threshold_days', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('sent_at', UTCDateTime(), nullable=False),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['inventory_contracts.id'], name=op.f('fk_inventory_reminders_contract_id_inventory_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_reminders')),
    sa.UniqueConstraint('contract_id', 'threshold_days', 'deadline', name=op.f('uq_inventory_reminders_contract_id'))
    )
    with op.batch_alter_table('inventory_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_reminders_contract_id'), ['contract_id'], unique=False)



def downgrade():
    with op.batch_alter_table('inventory_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_reminders_contract_id'))

    op.drop_table('inventory_reminders')
    with op.batch_alter_table('inventory_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_items_product_key'))
        batch_op.drop_index(batch_op.f('ix_inventory_items_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_items_network_id'))

    op.drop_table('inventory_items')
    with op.batch_alter_table('inventory_contracts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_contracts_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_contracts_network_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_contracts_ends_on'))

    op.drop_table('inventory_contracts')
