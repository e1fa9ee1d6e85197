"""Reply by e-mail: the messages taken from the reply mailbox, and the posts that came by
e-mail.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 22:00:00

"""
import sqlalchemy as sa
from alembic import op

import workspace.core.models


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('forum_posts') as batch_op:
        batch_op.add_column(sa.Column('via_email', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        'mailin_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.String(length=255), nullable=False),
        sa.Column('received_at', workspace.core.models.UTCDateTime(), nullable=False),
        sa.Column('sender', sa.String(length=320), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('topic_id', sa.Integer(), nullable=True),
        sa.Column('post_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.String(length=1000), nullable=False),
        sa.Column('notice_sent_at', workspace.core.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['post_id'], ['forum_posts.id'],
                                name=op.f('fk_mailin_messages_post_id_forum_posts'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['topic_id'], ['forum_topics.id'],
                                name=op.f('fk_mailin_messages_topic_id_forum_topics'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_mailin_messages_user_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mailin_messages')),
        sa.UniqueConstraint('message_id', name=op.f('uq_mailin_messages_message_id')),
    )
    op.create_index('ix_mailin_messages_user_received', 'mailin_messages',
                    ['user_id', 'received_at'], unique=False)
    op.create_index('ix_mailin_messages_sender_notice', 'mailin_messages',
                    ['sender', 'notice_sent_at'], unique=False)


def downgrade():
    op.drop_index('ix_mailin_messages_sender_notice', table_name='mailin_messages')
    op.drop_index('ix_mailin_messages_user_received', table_name='mailin_messages')
    op.drop_table('mailin_messages')
    with op.batch_alter_table('forum_posts') as batch_op:
        batch_op.drop_column('via_email')
