"""Import and export of the inventory (CSV and ODS), and the template files to fill in."""
from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from slugify import slugify

from workspace.communes.models import Organisation
from workspace.core.downloads import set_download_name
from workspace.core.inputs import ID_MAX, parse_int
from workspace.extensions import db
from workspace.inventory import access, importing
from workspace.inventory.forms import ImportForm
from workspace.inventory.tabular import MAX_FILE_BYTES, write_csv, write_ods
from workspace.inventory.views import _communes_for_form, _today, bp
from workspace.networks.access import can_manage_network, require

FORMATS = {"csv": "text/csv; charset=utf-8",
           "ods": "application/vnd.oasis.opendocument.spreadsheet"}
SHEET_NAMES = {importing.CONTRACTS: "Contrats", importing.ITEMS: "Équipements"}


def _file(table: str, fmt: str, header: list[str], rows: list[list], filename: str):
    if table not in importing.TABLES or fmt not in FORMATS:
        abort(404)
    body = (write_csv(header, rows) if fmt == "csv"
            else write_ods(SHEET_NAMES[table], header, rows))
    response = Response(body, mimetype=FORMATS[fmt], headers={"X-Content-Type-Options": "nosniff"})
    return set_download_name(response, f"{filename}.{fmt}")


@bp.get("/export/<table>.<ext>")
def inventory_export(table: str, ext: str):
    """Every commune's lines (readable by whoever sees the network), or ?commune=<id>."""
    if table not in importing.TABLES or ext not in FORMATS:
        abort(404)
    organisation_id = parse_int(request.args.get("commune"), 1, ID_MAX)
    header, rows = importing.export_rows(g.network, table, organisation_id)
    name = f"inventaire-{table}-{g.network.slug}-{_today().isoformat()}"
    if organisation_id:
        organisation = db.session.get(Organisation, organisation_id)
        name += f"-{slugify(organisation.name)}" if organisation else ""
    return _file(table, ext, header, rows, name)


@bp.get("/import/modele-<table>.<ext>")
def import_template(table: str, ext: str):
    if table not in importing.TABLES:
        abort(404)
    header, rows = importing.template_rows(table)
    return _file(table, ext, header, rows, f"modele-inventaire-{table}")


@bp.route("/import", methods=["GET", "POST"])
def inventory_import():
    require(access.can_add_lines(current_user, g.network))
    manager = can_manage_network(current_user, g.network)
    form = ImportForm(communes=_communes_for_form())
    if not manager:  # a member's lines are always their commune's
        form.organisation_id.data = current_user.organisation_id
    result = None
    if form.validate_on_submit():
        data = form.file.data.stream.read(MAX_FILE_BYTES + 1)
        default_id = form.organisation_id.data or None
        result = importing.read_import(data, form.table.data, current_user, g.network,
                                       default_id if manager else current_user.organisation_id)
        if result.ok:
            count = importing.store_import(current_user, g.network, form.table.data,
                                           result.rows, replace=form.mode.data == "replace")
            db.session.commit()
            flash(ngettext("%(num)d ligne importée.", "%(num)d lignes importées.", count),
                  "success")
            return redirect(url_for("inventory.inventory_index", commune=0))
        flash(_("Rien n'a été importé : corrigez le fichier puis recommencez."), "danger")
    return render_template("inventory/inventory_import.html", network=g.network, form=form,
                           result=result, manager=manager, tables=importing.TABLES,
                           columns=importing.COLUMNS, required=importing.REQUIRED)
