"""Directory pages: search people, a person's profile."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from workspace.auth.models import User
from workspace.communes.service import list_organisations
from workspace.directory import service
from workspace.directory.access import can_see_person
from workspace.directory.forms import DirectoryForm
from workspace.extensions import db

bp = Blueprint("directory", __name__)


@bp.get("/directory")
@login_required
def person_list():
    form = DirectoryForm(request.args, organisations=list_organisations(),
                         networks=service.visible_networks(current_user))
    people, searched = [], bool(request.args)
    if form.validate():
        people = service.search_people(current_user, service.DirectoryQuery(
            text=form.q.data or "", organisation_id=form.commune.data or None,
            network_id=form.network.data or None, function=form.function.data or None))
    else:
        searched = True
    return render_template("directory/person_list.html", form=form, people=people,
                           searched=searched)


@bp.get("/people/<int:user_id>")
@login_required
def person_detail(user_id: int):
    person = db.session.get(User, user_id)
    if person is None or not can_see_person(current_user, person):
        abort(404)
    return render_template("directory/person_detail.html", person=person,
                           networks=service.visible_networks_of(current_user, person))
