"""Uploads beyond IMPORT_MAX_BYTES are refused at the edge, with a Japanese message, and never written."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload
from django.test import RequestFactory

from madoguchi.core.errors import BusinessRuleError
from madoguchi.core.uploads import SizeLimitUploadHandler, refused_limit
from madoguchi.residents.models import ImportJob
from madoguchi.residents.uploads import store_upload
from tests.residents.conftest import Register, csv_bytes
from tests.residents.test_import_job import line, stored_files, upload


def test_an_upload_beyond_the_limit_is_refused_before_any_handler_writes_it(register: Register, login_client,
                                                                            settings) -> None:
    # given a limit of 4 KB and a file of about 20 KB
    settings.IMPORT_MAX_BYTES = 4 * 1024
    data = csv_bytes(*(line(n) for n in range(1, 200)))
    assert len(data) > 5 * settings.IMPORT_MAX_BYTES
    client = login_client(register.users["staff"])
    # when staff upload it
    with mock.patch.object(MemoryFileUploadHandler, "receive_data_chunk", autospec=True,
                           side_effect=MemoryFileUploadHandler.receive_data_chunk) as written:
        response = upload(client, data + b"x" * 64 * 1024)
    # then the page says so in Japanese (413); no handler received a byte; no job, no stored file
    assert response.status_code == 413
    page = response.content.decode()
    assert "ファイルが大きすぎます" in page and "上限" in page and "受け取っていません" in page
    assert written.call_count == 0
    assert not ImportJob.objects.exists() and stored_files() == []


def test_an_upload_within_the_limit_is_taken(register: Register, login_client, settings) -> None:
    settings.IMPORT_MAX_BYTES = 64 * 1024
    client = login_client(register.users["staff"])
    response = upload(client, csv_bytes(line(1)))
    assert response.status_code == 302 and ImportJob.objects.count() == 1


def test_a_file_that_grows_past_the_limit_while_streaming_is_cut_off(settings) -> None:
    # given a request that announced a small body (the client lied, or sent no length)
    settings.IMPORT_MAX_BYTES = 1000
    request = RequestFactory().post("/")
    handler = SizeLimitUploadHandler(request)
    handler.handle_raw_input(None, {}, 500, "b")  # type: ignore[arg-type]
    handler.new_file("file", "x.csv", "text/csv", None)
    # when more than the limit arrives
    assert handler.receive_data_chunk(b"a" * 600, 0) == b"a" * 600
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"a" * 600, 600)
    # then the request is marked with the limit it exceeded
    assert refused_limit(request) == 1000


def test_the_service_refuses_a_stream_beyond_the_limit_and_keeps_nothing(register: Register, settings) -> None:
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(BusinessRuleError, match="ファイルが大きすぎます"):
        store_upload([b"a" * 600, b"a" * 600])
    assert stored_files() == []
    name, size = store_upload([b"a" * 600, b"a" * 400])
    assert size == 1000 and stored_files() == [name]
