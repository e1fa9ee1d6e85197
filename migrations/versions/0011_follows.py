"""One follow model: forum topic and category follows and document folder follows become
rows of `follows` (target type + id), as features now register what can be followed.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 18:20:00

"""
from alembic import op
import sqlalchemy as sa

from workspace.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follows')),
    sa.UniqueConstraint('user_id', 'target_type', 'target_id', name=op.f('uq_follows_user_id'))
    )
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.create_index('ix_follows_target', ['target_type', 'target_id'], unique=False)

    # forum follows had no unique constraint: one row per (user, object), the earliest date
    op.execute(
        "INSERT INTO follows (user_id, target_type, target_id, created_at) "
        "SELECT user_id, 'topic', topic_id, MIN(created_at) FROM forum_subscriptions "
        "WHERE topic_id IS NOT NULL GROUP BY user_id, topic_id")
    op.execute(
        "INSERT INTO follows (user_id, target_type, target_id, created_at) "
        "SELECT user_id, 'category', category_id, MIN(created_at) FROM forum_subscriptions "
        "WHERE topic_id IS NULL AND category_id IS NOT NULL GROUP BY user_id, category_id")
    op.execute(
        "INSERT INTO follows (user_id, target_type, target_id, created_at) "
        "SELECT user_id, 'folder', folder_id, created_at FROM folder_subscriptions")

    with op.batch_alter_table('folder_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_folder_subscriptions_folder_id'))
    op.drop_table('folder_subscriptions')
    with op.batch_alter_table('forum_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_subscriptions_user_id'))
        batch_op.drop_index(batch_op.f('ix_forum_subscriptions_topic_id'))
        batch_op.drop_index(batch_op.f('ix_forum_subscriptions_category_id'))
    op.drop_table('forum_subscriptions')


def downgrade():
    op.create_table('forum_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['forum_categories.id'], name=op.f('fk_forum_subscriptions_category_id_forum_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['forum_topics.id'], name=op.f('fk_forum_subscriptions_topic_id_forum_topics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_forum_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_subscriptions'))
    )
    with op.batch_alter_table('forum_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_subscriptions_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_subscriptions_topic_id'), ['topic_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_subscriptions_user_id'), ['user_id'], unique=False)
    op.create_table('folder_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('folder_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['folder_id'], ['folders.id'], name=op.f('fk_folder_subscriptions_folder_id_folders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_folder_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_folder_subscriptions')),
    sa.UniqueConstraint('user_id', 'folder_id', name=op.f('uq_folder_subscriptions_user_id'))
    )
    with op.batch_alter_table('folder_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_folder_subscriptions_folder_id'), ['folder_id'], unique=False)
    # rows whose object is gone are left behind (the old tables had foreign keys)
    op.execute(
        "INSERT INTO forum_subscriptions (user_id, topic_id, category_id, created_at) "
        "SELECT user_id, target_id, NULL, created_at FROM follows WHERE target_type = 'topic' "
        "AND target_id IN (SELECT id FROM forum_topics)")
    op.execute(
        "INSERT INTO forum_subscriptions (user_id, topic_id, category_id, created_at) "
        "SELECT user_id, NULL, target_id, created_at FROM follows "
        "WHERE target_type = 'category' AND target_id IN (SELECT id FROM forum_categories)")
    op.execute(
        "INSERT INTO folder_subscriptions (user_id, folder_id, created_at) "
        "SELECT user_id, target_id, created_at FROM follows WHERE target_type = 'folder' "
        "AND target_id IN (SELECT id FROM folders)")
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_index('ix_follows_target')
    op.drop_table('follows')
