"""Plain-HTTP helpers for the sandbox tests: requests as http.client sends them, answers as they
come back (status, lower-case headers, body; JSON bodies parsed)."""

from __future__ import annotations

import http.client
import json
import socket
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Union

from py_logto.testing import LogtoSandbox


@dataclass
class Answer:
    status: int
    headers: Dict[str, str]
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw)

    @property
    def code(self) -> Optional[str]:
        """The Logto error code, if the body is a Logto error."""
        body = json.loads(self.raw) if self.raw.startswith(b"{") else None
        return body.get("code") if isinstance(body, dict) else None


def request(
    sandbox: LogtoSandbox,
    method: str,
    path: str,
    body: Union[bytes, Mapping[str, Any], list, None] = None,  # type: ignore[type-arg]
    headers: Optional[Mapping[str, str]] = None,
) -> Answer:
    """Send one request on a fresh connection; a non-bytes body is sent as JSON."""
    sent_headers = dict(headers or {})
    data: Optional[bytes]
    if body is None or isinstance(body, bytes):
        data = body
    else:
        data = json.dumps(body).encode()
        sent_headers.setdefault("Content-Type", "application/json")
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        connection.request(method, path, body=data, headers=sent_headers)
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def raw_exchange(sandbox: LogtoSandbox, data: bytes) -> bytes:
    """Send bytes as they are; return everything the server sends before closing."""
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as conn:
        conn.sendall(data)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def bearer(token: str, **extra: str) -> Dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


def password_record(sandbox: LogtoSandbox, token: str, password: str) -> str:
    """A verified password record for ``logto-verification-id``."""
    answer = request(sandbox, "POST", "/api/verifications/password", {"password": password}, bearer(token))
    assert answer.status == 201, answer.raw
    return str(answer.json["verificationRecordId"])


def code_record(sandbox: LogtoSandbox, token: str, kind: str, value: str, template: Optional[str] = None) -> str:
    """A verified email or phone code record for ``value``."""
    identifier = {"type": kind, "value": value}
    body: Dict[str, Any] = {"identifier": identifier}
    if template is not None:
        body["templateType"] = template
    sent = request(sandbox, "POST", "/api/verifications/verification-code", body, bearer(token))
    assert sent.status == 201, sent.raw
    record_id = str(sent.json["verificationRecordId"])
    code = [m for m in sandbox.outbox if m.verification_record_id == record_id][-1].code
    verified = request(
        sandbox,
        "POST",
        "/api/verifications/verification-code/verify",
        {"identifier": identifier, "verificationId": record_id, "code": code},
        bearer(token),
    )
    assert verified.status == 200, verified.raw
    return record_id


def social_record(sandbox: LogtoSandbox, token: str, connector_data: Mapping[str, Any]) -> str:
    """A verified social record made with the default mock social connector."""
    assert sandbox.social_connector is not None
    created = request(
        sandbox,
        "POST",
        "/api/verifications/social",
        {"connectorId": sandbox.social_connector.id, "state": "s", "redirectUri": "http://app.example/cb"},
        bearer(token),
    )
    assert created.status == 201, created.raw
    record_id = str(created.json["verificationRecordId"])
    verified = request(
        sandbox,
        "POST",
        "/api/verifications/social/verify",
        {"verificationRecordId": record_id, "connectorData": {"code": "c", **connector_data}},
        bearer(token),
    )
    assert verified.status == 200, verified.raw
    return record_id
