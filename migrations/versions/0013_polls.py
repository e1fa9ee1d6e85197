"""Date polls (issue 16): polls, their candidate slots, the people and communes chosen,
each person's response (comment) and answer per slot; unique (poll, user) and (slot, user)
so that a double submission leaves one answer.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 20:30:00

"""
from alembic import op
import sqlalchemy as sa

from workspace.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('polls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('video_url', sa.String(length=500), nullable=False),
    sa.Column('target', sa.String(length=10), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('answers_shown_to', sa.String(length=12), nullable=False),
    sa.Column('closes_at', UTCDateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('organizer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('ended_at', UTCDateTime(), nullable=True),
    sa.Column('reminder_sent_at', UTCDateTime(), nullable=True),
    sa.Column('chosen_slot_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('workshop_id', sa.Integer(), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_polls_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_polls_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organizer_id'], ['users.id'], name=op.f('fk_polls_organizer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_polls_workshop_id_workshops'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_polls'))
    )
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.create_index('ix_polls_network_status', ['network_id', 'status'], unique=False)

    op.create_table('poll_communes',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_poll_communes_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_communes_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'organisation_id', name=op.f('pk_poll_communes'))
    )
    op.create_table('poll_invitees',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_invitees_poll_id_polls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_poll_invitees_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'user_id', name=op.f('pk_poll_invitees'))
    )
    op.create_table('poll_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('answered_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_responses_poll_id_polls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_poll_responses_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_responses')),
    sa.UniqueConstraint('poll_id', 'user_id', name=op.f('uq_poll_responses_poll_id'))
    )
    with op.batch_alter_table('poll_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_responses_user_id'), ['user_id'], unique=False)

    op.create_table('poll_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', UTCDateTime(), nullable=False),
    sa.Column('ends_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_slots_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_slots'))
    )
    with op.batch_alter_table('poll_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_slots_poll_id'), ['poll_id'], unique=False)

    op.create_table('poll_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_answers_poll_id_polls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['poll_slots.id'], name=op.f('fk_poll_answers_slot_id_poll_slots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_poll_answers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_answers')),
    sa.UniqueConstraint('slot_id', 'user_id', name=op.f('uq_poll_answers_slot_id'))
    )
    with op.batch_alter_table('poll_answers', schema=None) as batch_op:
        batch_op.create_index('ix_poll_answers_poll_user', ['poll_id', 'user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('poll_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_poll_answers_poll_user')

    op.drop_table('poll_answers')
    with op.batch_alter_table('poll_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_slots_poll_id'))

    op.drop_table('poll_slots')
    with op.batch_alter_table('poll_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_responses_user_id'))

    op.drop_table('poll_responses')
    op.drop_table('poll_invitees')
    op.drop_table('poll_communes')
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.drop_index('ix_polls_network_status')

    op.drop_table('polls')
