"""Forums: categories, topics, posts, edits, read positions, visits, follows, reports, mentions; user handles for @mentions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 20:31:10.862084

"""
from alembic import op
import sqlalchemy as sa

from workspace.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _fill_handles():
    """Existing users get "prenom.nom", numbered when taken."""
    from slugify import slugify

    connection = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('first_name', sa.String),
                     sa.column('last_name', sa.String), sa.column('handle', sa.String))
    taken = set()
    rows = connection.execute(sa.select(users.c.id, users.c.first_name, users.c.last_name)
                              .order_by(users.c.id)).all()
    for user_id, first, last in rows:
        base = slugify(f"{first} {last}", separator=".", max_length=50) or "membre"
        handle, n = base, 1
        while handle in taken:
            n += 1
            handle = f"{base}.{n}"
        taken.add(handle)
        connection.execute(users.update().where(users.c.id == user_id).values(handle=handle))


def upgrade():
    op.create_table('forum_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('topic_count', sa.Integer(), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.Column('last_post_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_forum_categories_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_categories')),
    sa.UniqueConstraint('network_id', 'slug', name=op.f('uq_forum_categories_network_id'))
    )
    op.create_table('forum_topics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.Column('last_post_at', UTCDateTime(), nullable=False),
    sa.Column('last_post_author_id', sa.Integer(), nullable=True),
    sa.Column('is_pinned', sa.Boolean(), nullable=False),
    sa.Column('is_locked', sa.Boolean(), nullable=False),
    sa.Column('is_hidden', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_forum_topics_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['category_id'], ['forum_categories.id'], name=op.f('fk_forum_topics_category_id_forum_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['last_post_author_id'], ['users.id'], name=op.f('fk_forum_topics_last_post_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_forum_topics_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_topics'))
    )
    with op.batch_alter_table('forum_topics', schema=None) as batch_op:
        batch_op.create_index('ix_forum_topics_listing', ['category_id', 'is_pinned', 'last_post_at'], unique=False)
        batch_op.create_index('ix_forum_topics_network_activity', ['network_id', 'last_post_at'], unique=False)

    op.create_table('forum_visits',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('visited_at', UTCDateTime(), nullable=False),
    sa.Column('previous_visit_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_forum_visits_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_forum_visits_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'network_id', name=op.f('pk_forum_visits'))
    )
    op.create_table('forum_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('edited_at', UTCDateTime(), nullable=True),
    sa.Column('edited_by_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('is_deleted', sa.Boolean(), nullable=False),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.Column('is_hidden', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_forum_posts_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_forum_posts_deleted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edited_by_id'], ['users.id'], name=op.f('fk_forum_posts_edited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['topic_id'], ['forum_topics.id'], name=op.f('fk_forum_posts_topic_id_forum_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_posts')),
    sa.UniqueConstraint('topic_id', 'number', name=op.f('uq_forum_posts_topic_id'))
    )
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

    op.create_table('forum_topic_reads',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('last_read_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['topic_id'], ['forum_topics.id'], name=op.f('fk_forum_topic_reads_topic_id_forum_topics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_forum_topic_reads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'topic_id', name=op.f('pk_forum_topic_reads'))
    )
    op.create_table('forum_mentions',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['forum_posts.id'], name=op.f('fk_forum_mentions_post_id_forum_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_forum_mentions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'user_id', name=op.f('pk_forum_mentions'))
    )
    op.create_table('forum_post_edits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('edited_at', UTCDateTime(), nullable=False),
    sa.Column('previous_body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_forum_post_edits_editor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['forum_posts.id'], name=op.f('fk_forum_post_edits_post_id_forum_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_post_edits'))
    )
    with op.batch_alter_table('forum_post_edits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_post_edits_post_id'), ['post_id'], unique=False)

    op.create_table('forum_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('resolved_at', UTCDateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['forum_posts.id'], name=op.f('fk_forum_reports_post_id_forum_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_forum_reports_reporter_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_forum_reports_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_reports'))
    )
    with op.batch_alter_table('forum_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_reports_post_id'), ['post_id'], unique=False)

    # plain ALTER TABLE and CREATE INDEX: no table rebuild on SQLite
    op.add_column('users', sa.Column('handle', sa.String(length=60), nullable=True))
    _fill_handles()
    op.create_index(op.f('ix_users_handle'), 'users', ['handle'], unique=True)




def downgrade():
    op.drop_index(op.f('ix_users_handle'), table_name='users')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('handle')

    with op.batch_alter_table('forum_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_reports_post_id'))

    op.drop_table('forum_reports')
    with op.batch_alter_table('forum_post_edits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_post_edits_post_id'))

    op.drop_table('forum_post_edits')
    op.drop_table('forum_mentions')
    op.drop_table('forum_topic_reads')
    with op.batch_alter_table('forum_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_subscriptions_user_id'))
        batch_op.drop_index(batch_op.f('ix_forum_subscriptions_topic_id'))
        batch_op.drop_index(batch_op.f('ix_forum_subscriptions_category_id'))

    op.drop_table('forum_subscriptions')
    op.drop_table('forum_posts')
    op.drop_table('forum_visits')
    with op.batch_alter_table('forum_topics', schema=None) as batch_op:
        batch_op.drop_index('ix_forum_topics_network_activity')
        batch_op.drop_index('ix_forum_topics_listing')

    op.drop_table('forum_topics')
    op.drop_table('forum_categories')

