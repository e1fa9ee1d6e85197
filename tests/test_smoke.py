

def test_login_page_in_french(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Connexion" in response.get_data(as_text=True)


def test_sign_in_and_home(client, make_user, login):
    user = make_user(first_name="Thomas")
    login(client, user)
    page = client.get("/").get_data(as_text=True)
    assert "Bonjour Thomas" in page
