"""RejectNulBytesMiddleware (P12): a NUL byte in the URL, query, form or JSON body is a 400 and writes nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from unionhall.audit.models import AuditEntry
from unionhall.audit.recorder import record

# The default language of the product is Vietnamese.
REFUSAL = "Yêu cầu có chứa ký tự không được phép."


@csrf_exempt
def write_view(request):
    """Stands for any view that writes: one audit entry per request that reaches it."""
    record(actor=None, action="test.write", after={"method": request.method})
    return HttpResponse("written")


urlpatterns = [path("write/", write_view), path("write/<str:name>/", write_view)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def assert_refused(response, written_before):
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == REFUSAL
    assert AuditEntry.objects.count() == written_before


def test_clean_requests_reach_the_view(client):
    assert client.get("/write/?q=Nguy%E1%BB%85n").status_code == 200
    assert client.post("/write/", {"name": "Nguyễn"}).status_code == 200
    assert (
        client.post("/write/", "name=Nguy%E1%BB%85n", content_type="application/x-www-form-urlencoded").status_code
        == 200
    )
    assert client.post("/write/", json.dumps({"name": "Nguyễn"}), content_type="application/json").status_code == 200
    assert client.patch("/write/", json.dumps({"name": "x"}), content_type="application/json").status_code == 200
    assert AuditEntry.objects.filter(action="test.write").count() == 5


@pytest.mark.parametrize("url", ["/write/?q=%00", "/write/?q=a%00b&r=1", "/write/?%00=1", "/write/a%00b/"])
def test_nul_in_url_or_query_is_refused(client, url):
    count = AuditEntry.objects.count()
    assert_refused(client.get(url), count)
    assert_refused(client.post(url, {"name": "ok"}), count)


def test_nul_in_urlencoded_form_is_refused(client):
    count = AuditEntry.objects.count()
    response = client.post("/write/", "name=a%00b", content_type="application/x-www-form-urlencoded")
    assert_refused(response, count)
    raw = client.post("/write/", b"name=a\x00b", content_type="application/x-www-form-urlencoded")
    assert_refused(raw, count)


def test_nul_in_multipart_form_field_is_refused(client):
    # The test client (and every browser form with a file input) posts multipart/form-data.
    count = AuditEntry.objects.count()
    assert_refused(client.post("/write/", {"name": "Nguy\x00ễn"}), count)
    assert_refused(client.post("/write/", {"na\x00me": "Nguyễn"}), count)
    assert_refused(client.post("/write/", {"name": ["ok", "b\x00d"]}), count)


def test_nul_bytes_inside_an_uploaded_file_are_not_refused(client):
    upload = SimpleUploadedFile("roster.xlsx", b"PK\x03\x04\x00\x00binary", content_type="application/octet-stream")
    count = AuditEntry.objects.count()
    response = client.post("/write/", {"name": "Danh sách", "file": upload})
    assert response.status_code == 200
    assert AuditEntry.objects.count() == count + 1


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_nul_in_json_body_is_refused(client, method):
    count = AuditEntry.objects.count()
    escaped = json.dumps({"name": "Nguy\x00ễn"})
    assert "\\u0000" in escaped
    send = getattr(client, method)
    assert_refused(send("/write/", escaped, content_type="application/json"), count)
    assert_refused(send("/write/", b'{"name": "a\x00b"}', content_type="application/json"), count)
