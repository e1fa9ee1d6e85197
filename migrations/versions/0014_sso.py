"""Single sign-on: links to a directory entry or an identity provider's subject, the
administrators' mapping of organisation claims, password sign-in per account, and the
provider of each sign-in session.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 21:00:00

"""
import sqlalchemy as sa
from alembic import op

import workspace.core.models


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'external_identities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=60), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('created_at', workspace.core.models.UTCDateTime(), nullable=False),
        sa.Column('last_used_at', workspace.core.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('provider', 'subject'),
        sa.UniqueConstraint('user_id', 'provider'),
    )
    with op.batch_alter_table('external_identities', schema=None) as batch_op:
        batch_op.create_index('ix_external_identities_user_id', ['user_id'], unique=False)
    op.create_table(
        'organisation_claims',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=60), nullable=False),
        sa.Column('value', sa.String(length=120), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('provider', 'value'),
    )
    with op.batch_alter_table('organisation_claims', schema=None) as batch_op:
        batch_op.create_index('ix_organisation_claims_organisation_id', ['organisation_id'],
                              unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_sign_in', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider', sa.String(length=60), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('checked_at', workspace.core.models.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('id_token', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_column('id_token')
        batch_op.drop_column('checked_at')
        batch_op.drop_column('provider')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('password_sign_in')
    with op.batch_alter_table('organisation_claims', schema=None) as batch_op:
        batch_op.drop_index('ix_organisation_claims_organisation_id')
    op.drop_table('organisation_claims')
    with op.batch_alter_table('external_identities', schema=None) as batch_op:
        batch_op.drop_index('ix_external_identities_user_id')
    op.drop_table('external_identities')
