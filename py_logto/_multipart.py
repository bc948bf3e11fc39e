"""``multipart/form-data`` bodies for file parameters (the avatar upload).

A file is given as its bytes, a path, a binary file object, or a ``(filename, bytes)`` or
``(filename, bytes, content_type)`` tuple. Without a content type, it is taken from the
file name or, for bare bytes, from the first bytes of the image; its size is checked
against what Logto accepts before anything is sent.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Optional, Tuple

from py_logto.exceptions import ApiTypeError, ApiValueError

if TYPE_CHECKING:
    from py_logto._operation import Param

__all__ = ["encode_file_part", "read_file"]

#: Magic numbers of the image formats Logto accepts as avatars.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
    (b"BM", "image/bmp", "bmp"),
)


def _sniff(data: bytes) -> Tuple[str, str]:
    """``(content type, file extension)`` from the first bytes."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    for magic, content_type, extension in _SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    return "application/octet-stream", "bin"


def _guess_type(filename: str, data: bytes) -> str:
    import mimetypes  # only needed for uploads

    guessed = mimetypes.guess_type(filename)[0]
    return guessed or _sniff(data)[0]


def _read(param: Param, value: Any) -> Tuple[str, bytes, Optional[str]]:
    """``(filename, data, content type or None)`` from what the caller gave."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        _check_size(param, len(data))
        content_type, extension = _sniff(data)
        return f"{param.wire}.{extension}", data, content_type
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        try:
            _check_size(param, os.stat(path).st_size)
            with open(path, "rb") as file:
                data = file.read()
        except OSError as err:
            raise ApiValueError(f"`{param.name}`: cannot read {path!r}: {err.strerror or err}") from err
        return os.path.basename(path) or param.wire, data, None
    if isinstance(value, tuple) and len(value) in (2, 3):
        filename, data = value[0], value[1]
        given: Any = value[2] if len(value) == 3 else None
        if not isinstance(filename, str) or not isinstance(data, (bytes, bytearray)):
            raise ApiTypeError(f"`{param.name}` as a tuple must be (filename: str, data: bytes[, content_type: str])")
        if given is not None and not isinstance(given, str):
            raise ApiTypeError(f"`{param.name}`: the content type must be a str")
        _check_size(param, len(data))
        return filename, bytes(data), given
    read = getattr(value, "read", None)
    if callable(read):
        data = read(param.max_size + 1) if param.max_size is not None else read()
        if not isinstance(data, bytes):
            raise ApiTypeError(f"`{param.name}`: the file object must be opened in binary mode")
        _check_size(param, len(data))
        name = getattr(value, "name", None)
        filename = os.path.basename(name) if isinstance(name, str) else f"{param.wire}.{_sniff(data)[1]}"
        return filename, data, None
    raise ApiTypeError(
        f"`{param.name}` must be bytes, a path, a binary file object or a (filename, bytes[, content_type]) tuple, "
        f"not {type(value).__name__}"
    )


def _check_size(param: Param, size: int) -> None:
    if param.max_size is not None and size > param.max_size:
        raise ApiValueError(
            f"`{param.name}` is {size} bytes; Logto accepts at most {param.max_size} bytes ({param.max_size >> 20} MiB)"
        )
    if size == 0:
        raise ApiValueError(f"`{param.name}` is empty")


def _quoted(text: str) -> str:
    """A quoted-string for a Content-Disposition parameter, as browsers write it."""
    return '"' + text.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A") + '"'


def read_file(param: Param, value: Any) -> Tuple[str, bytes, str]:
    """``(filename, data, content type)`` of the file given for ``param``."""
    filename, data, given_type = _read(param, value)
    return filename, data, given_type if given_type is not None else _guess_type(filename, data)


def encode_file_part(param: Param, value: Any) -> Tuple[bytes, str]:
    """The ``multipart/form-data`` body with ``value`` as the part ``param.wire``, and its
    ``Content-Type`` header."""
    filename, data, content_type = read_file(param, value)
    if any(c in content_type for c in "\r\n\0"):
        raise ApiValueError(f"`{param.name}`: the content type contains a line break")
    boundary = os.urandom(16).hex()
    head = (
        f"--{boundary}\r\n"
        f"Content-Disposition: form-data; name={_quoted(param.wire)}; filename={_quoted(filename)}\r\n"
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode("ascii"), f"multipart/form-data; boundary={boundary}"
