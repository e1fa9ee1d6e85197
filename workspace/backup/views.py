"""The full export of a network for its coordinators (and administrators): a page, a ZIP."""
from __future__ import annotations

import tempfile

from flask import g, render_template
from flask_login import current_user

from workspace.backup.access import can_export_network
from workspace.backup.network_collect import export_counts
from workspace.core.downloads import send_file
from workspace.networks.access import network_scoped_blueprint, require

bp = network_scoped_blueprint("backup", __name__, url_prefix="/export")


@bp.get("/")
def network_export():
    require(can_export_network(current_user, g.network))
    return render_template("backup/network_export.html", network=g.network,
                           counts=export_counts(g.network))


@bp.get("/archive.zip")
def network_export_download():
    """Built on the fly into a temporary file (spilled to disk past 16 MB)."""
    from workspace.backup.network_export import write_network_export

    require(can_export_network(current_user, g.network))
    # closed by send_file once the response is sent
    buffer = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    write_network_export(g.network, buffer)
    buffer.seek(0)
    return send_file(buffer, mimetype="application/zip", as_attachment=True,
                     download_name=f"{g.network.slug}-export.zip", max_age=0)
