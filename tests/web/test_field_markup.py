"""Form fields carry ARIA attributes only when they mean something: never the string "None"."""


def test_untouched_fields_have_no_dangling_aria_references(client):
    page = client.get("/login").text
    assert 'aria-describedby="None"' not in page and 'aria-invalid="None"' not in page
    assert 'aria-invalid="false"' not in page


def test_a_refused_field_points_at_its_error(client):
    from tests.helpers import csrf_from

    token = csrf_from(client.get("/login").text)
    page = client.post("/login", data={"csrf_token": token, "email": "", "password": ""}).text
    assert 'aria-invalid="true"' in page and 'aria-describedby="email-error"' in page
