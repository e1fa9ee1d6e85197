"""The month and week calendar pages: reading ?month= and ?week=, the days of a month in
Paris, what falls on each day (meetings, workshops, action items and plan objectives due),
and the pages of a network and of "me", with their access rules."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.calendar.helpers import make_meeting, make_workshop, paris
from tests.conftest import text_of
from workspace.calendar import pages
from workspace.core.timezones import PARIS
from workspace.extensions import db
from workspace.meetings import service as meetings
from workspace.plan.models import Objective, Plan, PlanAction

# --- the query string ----------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("2027-03", date(2027, 3, 1)), (" 2027-12 ", date(2027, 12, 1)),
    ("2027-13", None), ("2027-00", None), ("1999-12", None), ("2101-01", None),
    ("2027-3", None), ("2027/03", None), ("２０２７-03", None), ("", None), (None, None),
    ("9" * 5000, None), ("2027-03-01", None),
])
def test_parse_month(raw, expected):
    assert pages.parse_month(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("2027-W10", date(2027, 3, 8)), ("2027-w01", date(2027, 1, 4)),
    ("2026-W53", date(2026, 12, 28)), ("2027-W53", None), ("2027-W00", None),
    ("2027-W1", None), ("1999-W10", None), ("2027-10", None), ("", None),
])
def test_parse_week(raw, expected):
    assert pages.parse_week(raw) == expected


@given(st.text(max_size=20), st.text(max_size=20))
def test_any_query_string_gives_a_period_of_the_product(month, week):
    period = pages.choose_period(month, week, date(2027, 3, 15))
    assert 2000 <= period.first.year <= 2100 and period.first <= period.last


def test_choose_period():
    today = date(2027, 3, 17)  # a Wednesday
    assert pages.choose_period(None, None, today) == pages.Period("month", date(2027, 3, 1))
    assert pages.choose_period("", "", today) == pages.Period("month", date(2027, 3, 1))
    assert pages.choose_period("pirate", None, today) == pages.Period(
        "month", date(2027, 3, 1), invalid=True)
    assert pages.choose_period(None, "2027-W99", today) == pages.Period(
        "week", date(2027, 3, 15), invalid=True)
    period = pages.choose_period("2027-01", "2027-W10", today)
    assert (period.mode, period.first, period.last) == ("week", date(2027, 3, 8),
                                                        date(2027, 3, 14))
    assert period.moved(1).param == {"week": "2027-W11"}


def test_months_and_their_edges():
    december = pages.Period("month", date(2027, 12, 1))
    assert december.last == date(2027, 12, 31)
    assert december.moved(1).param == {"month": "2028-01"}
    assert pages.Period("month", date(2000, 1, 1)).moved(-1) is None
    assert pages.Period("month", date(2100, 12, 1)).moved(1) is None
    assert pages.Period("month", date(2100, 12, 1)).last == date(2100, 12, 31)
    weeks = pages.month_weeks(date(2027, 3, 1))  # 1 March 2027 is a Monday
    assert weeks[0][0] == date(2027, 3, 1) and weeks[-1][-1] == date(2027, 4, 4)
    assert all(len(week) == 7 and week[0].weekday() == 0 for week in weeks)


# --- what falls on each day ----------------------------------------------------------------

def _objective(network, *, year: int, semester: str, title: str, status: str = "planned"):
    plan = Plan(title="Plan de mutualisation", first_year=2026, last_year=2028)
    action = PlanAction(plan=plan, number=1, title="Sauvegardes", networks=[network])
    objective = Objective(action=action, year=year, number=1, title=title, semester=semester,
                          status=status)
    db.session.add_all([plan, action, objective])
    db.session.commit()
    return objective


def test_events_fall_on_their_paris_day(people):
    late = make_meeting(people.coordinator, people.network, title="Réunion tardive",
                        starts_at=paris(2027, 3, 31, 23, 30))  # 21:30 UTC
    make_workshop(people.coordinator, people.network, title="Atelier PRA",
                  starts_at=paris(2027, 3, 1, 0, 15))  # 28 February in UTC
    make_meeting(people.outsider, people.other, title="Ailleurs",
                 starts_at=paris(2027, 3, 10, 10))
    meetings.add_action(people.coordinator, people.network, late, "Inventorier les NAS",
                        owner_user=people.alice, due_on=date(2027, 3, 12))
    _objective(people.network, year=2027, semester="s1", title="Plan de reprise écrit")
    _objective(people.network, year=2027, semester="s2", title="Hors période")
    _objective(people.network, year=2027, semester="s1", title="Déjà fait", status="done")
    db.session.commit()
    days = pages.events_between({people.network.id}, date(2027, 3, 1), date(2027, 6, 30))
    titles = {day: [event.title for event in events] for day, events in days.items()}
    assert titles == {date(2027, 3, 1): ["Atelier PRA"],
                      date(2027, 3, 12): ["Inventorier les NAS"],
                      date(2027, 3, 31): ["Réunion tardive"],
                      date(2027, 6, 30): ["Plan de reprise écrit"]}
    assert days[date(2027, 3, 31)][0].starts_at == datetime(2027, 3, 31, 23, 30, tzinfo=PARIS)
    assert pages.events_between(set(), date(2027, 3, 1), date(2027, 3, 31)) == {}


def test_my_networks_are_those_i_belong_to(people, make_network):
    make_network("Réseau ouvert", is_private=False)
    assert pages.member_network_ids(people.alice) == {people.network.id}
    assert pages.member_network_ids(None) == set()


# --- the pages ------------------------------------------------------------------------------

def _url(network, query: str = "") -> str:
    return f"/n/{network.slug}/calendar/{query}"


def test_network_month_and_week(people, signed_in):
    make_meeting(people.coordinator, people.network, title="Réunion de mars",
                 starts_at=paris(2027, 3, 9, 14))
    client = signed_in(people.alice)
    page = text_of(client.get(_url(people.network, "?month=2027-03")))
    assert "<caption" in page and "mars 2027" in page
    assert page.count('scope="col"') == 7
    assert "14:00" in page and "Réunion de mars" in page
    assert "?month=2027-02" in page and "?month=2027-04" in page
    week = text_of(client.get(_url(people.network, "?week=2027-W10")))
    assert "Réunion de mars" in week and "Mardi 9 mars" in week and "<table" not in week
    assert "?week=2027-W09" in week and "?week=2027-W11" in week
    assert "Réunion de mars" not in text_of(client.get(_url(people.network, "?week=2027-W11")))


@pytest.mark.parametrize("query", ["?month=2027-13", "?month=%01", "?month=" + "9" * 3000,
                                   "?week=2027-W60", "?week=lundi", "?month=1999-12"])
def test_bad_periods_say_so_and_show_the_current_one(people, signed_in, query):
    response = signed_in(people.alice).get(_url(people.network, query))
    assert response.status_code == 200
    assert "n'existe pas" in text_of(response)


def test_outsiders_get_404_and_visitors_sign_in(people, signed_in, client):
    assert signed_in(people.outsider).get(_url(people.network)).status_code == 404
    assert client.get(_url(people.network)).status_code in (302, 404)
    assert client.get("/calendar/").status_code == 302


def test_my_calendar_gathers_my_networks(people, signed_in, make_network):
    make_meeting(people.coordinator, people.network, title="Réunion informatique",
                 starts_at=paris(2027, 3, 9, 14))
    make_meeting(people.outsider, people.other, title="Réunion patrimoine",
                 starts_at=paris(2027, 3, 10, 14))
    page = text_of(signed_in(people.alice).get("/calendar/?month=2027-03"))
    assert "Réunion informatique" in page and "Réseau informatique" in page
    assert "Réunion patrimoine" not in page
    page = text_of(signed_in(people.outsider).get("/calendar/?month=2027-03"))
    assert "Réunion patrimoine" in page and "Réunion informatique" not in page


def test_links_to_the_calendars(people, signed_in):
    client = signed_in(people.alice)
    assert f"/n/{people.network.slug}/calendar/" in text_of(
        client.get(f"/n/{people.network.slug}/meetings/"))
    assert 'href="/calendar/"' in text_of(client.get("/"))


def test_a_plan_objective_links_to_its_action(people, signed_in):
    """The page shows an objective due at the end of its semester, linked to its action's
    page for that year (the plan's pages are not under the network's address)."""
    objective = _objective(people.network, year=2027, semester="s1",
                           title="Plan de reprise écrit")
    page = text_of(signed_in(people.alice).get(_url(people.network, "?month=2027-06")))
    assert "Plan de reprise écrit" in page
    assert f"/plan/actions/{objective.action_id}?" in page and "year=2027" in page
