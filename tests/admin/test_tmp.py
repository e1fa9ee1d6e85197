import time
from tests.admin.test_import import upload, HEADER
from tests.admin.helpers import text
def test_x(admin_client, make_organisation, mailbox):
    org = make_organisation("Coulaines")
    rows = "".join(f"p{i}@example.org;P{i};N{i};Coulaines;;;\n" for i in range(2000))
    t = time.time()
    r = upload(admin_client, (HEADER + rows).encode(), follow_redirects=True)
    print("import", time.time() - t, r.status_code, "2000 personnes invitées" in text(r))
    assert len(mailbox.to("p1999@example.org")) == 1
