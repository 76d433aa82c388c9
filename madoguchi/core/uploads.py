"""Refusing uploads beyond ``IMPORT_MAX_BYTES`` at the edge, before the file is written anywhere.

:class:`SizeLimitUploadHandler` comes first in ``FILE_UPLOAD_HANDLERS``.  A request whose body is larger
than the limit (plus a little for the form's other fields) is refused before its first file chunk reaches
the handlers that write to memory or to a temporary file; a file that turns out larger while it streams
(no or a wrong Content-Length) is cut off at the limit.  Either way the request is marked
(:func:`refused_limit`) and ``madoguchi.web.middleware.UploadTooLargeMiddleware`` answers with a Japanese
page (413) before any view runs.
"""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

#: room for the form's other fields and the multipart boundaries (bytes)
FORM_OVERHEAD = 64 * 1024
_MARK = "_madoguchi_upload_refused"


def refused_limit(request: HttpRequest) -> int | None:
    """The limit in bytes that a refused upload of this request exceeded; None when nothing was refused."""
    value = getattr(request, _MARK, None)
    return value if isinstance(value, int) else None


def too_large_message(limit: int) -> str:
    """The sentence staff see (limit in bytes, shown in MB)."""
    return f"ファイルが大きすぎます（上限 {limit / 1024 / 1024:,.0f} MB）。ファイルを分けるか、システム管理者に相談してください。"


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops an upload beyond ``settings.IMPORT_MAX_BYTES`` (bytes) before it is written."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = int(settings.IMPORT_MAX_BYTES)
        self.request_too_large = False
        self.received = 0

    def handle_raw_input(self, input_data: IO[bytes], META: dict[str, str], content_length: int, boundary: str,
                         encoding: str | None = None) -> None:
        self.request_too_large = content_length > self.limit + FORM_OVERHEAD

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.request_too_large:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self) -> None:
        if self.request is not None:
            setattr(self.request, _MARK, self.limit)
        raise StopUpload(connection_reset=False)
