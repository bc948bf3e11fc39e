"""``POST /api/my-account/user-assets/avatar``: upload an avatar, kept in memory and served back
by the sandbox at the URL the answer gives.

As Logto does, the content decides the type (JPEG, PNG, GIF, WebP or BMP, whole files only), not
the name or the declared ``Content-Type``; without storage the answer is 400 ``storage.not_configured``.
"""

from __future__ import annotations

import re
import time
from typing import Optional

from py_logto.testing._context import Context, Reply, Route
from py_logto.testing._errors import LogtoError
from py_logto.testing._guard import Array, Number, Object, String
from py_logto.testing._models import StoredAsset
from py_logto.testing._store import random_id

__all__ = ["ASSET_PREFIX", "ROUTES", "sniff_image"]

ASSET_PREFIX = "/user-assets/"
MAX_UPLOAD_SIZE = 20 * 1024 * 1024
_EXTENSIONS = {"image/jpeg": "jpeg", "image/png": "png", "image/gif": "gif", "image/webp": "webp", "image/bmp": "bmp"}


def sniff_image(content: bytes) -> Optional[str]:
    """The avatar type Logto recognizes in ``content``, if the file is also complete."""
    if content.startswith(b"\xff\xd8\xff"):
        kind, complete = "image/jpeg", content.endswith(b"\xff\xd9")
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        kind, complete = "image/png", content.endswith(b"IEND\xaeB`\x82")
    elif content.startswith(b"GIF8"):
        kind, complete = "image/gif", content.endswith(b";")
    elif content.startswith(b"BM"):
        kind = "image/bmp"
        complete = len(content) >= 6 and len(content) == int.from_bytes(content[2:6], "little")
    elif content.startswith(b"RIFF") and content[8:12] == b"WEBP":
        kind = "image/webp"
        complete = len(content) >= 12 and len(content) == int.from_bytes(content[4:8], "little") + 8
    else:
        return None
    return kind if complete else None


def upload_avatar(ctx: Context) -> Reply:
    ctx.require_scope("profile", status=401)
    ctx.require_first_party()
    ctx.require_editable("avatar")
    upload = ctx.files["file"][0]
    if len(upload.content) > MAX_UPLOAD_SIZE:
        raise LogtoError("guard.file_size_exceeded")
    kind = sniff_image(upload.content)
    if kind is None:
        raise LogtoError("guard.mime_type_not_allowed")
    store = ctx.store
    if not store.avatar_storage:
        raise LogtoError("storage.not_configured")
    name = re.sub(r"[^0-9A-Za-z_.-]", "-", (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1])[:128]
    name = name or f"{random_id(8)}.{_EXTENSIONS[kind]}"
    day = time.strftime("%Y/%m/%d", time.gmtime(store.now()))
    path = f"{ASSET_PREFIX}default/{ctx.user.id}/{day}/{random_id(8)}-{name}"
    url = f"http://{ctx.request.header('Host') or ctx.hostname}{path}"
    store.assets[path] = StoredAsset(url, kind, upload.content, ctx.user.id)
    return Reply(200, {"url": url})


_UPLOADED_FILE = Object({"filepath": String(), "mimetype": String(), "originalFilename": String(), "size": Number})

ROUTES = [
    Route(
        "POST",
        "/my-account/user-assets/avatar",
        upload_avatar,
        files=Object({"file": Array(_UPLOADED_FILE, min_items=1)}),
    ),
]
