"""A Logto sandbox for tests and demos: Logto's user API (the Verifications API and the Account
API) on 127.0.0.1, standard library only.

::

    from py_logto.testing import LogtoSandbox

    with LogtoSandbox() as sandbox:
        user = sandbox.add_user(password="s3cret-pass", email="jane@example.com")
        token = sandbox.issue_token(user)
        # py_logto.Configuration(host=sandbox.url), configuration.access_token = token, ...
        # sandbox.outbox holds the codes "sent"; sandbox.advance(601) moves time on.

Run it standalone with ``python -m py_logto.testing --port 3001``. ``import py_logto`` does not
import this package; see docs/Sandbox.md for what it emulates and what it does not.
"""

from py_logto.testing._models import (
    AccountCenterSettings,
    SandboxApplication,
    SandboxConnector,
    SandboxSignIn,
    SandboxUser,
    SentMessage,
    StoredAsset,
)
from py_logto.testing._sandbox import LogtoSandbox
from py_logto.testing._totp import totp_code
from py_logto.testing._webauthn import make_webauthn_credential

__all__ = [
    "AccountCenterSettings",
    "LogtoSandbox",
    "SandboxApplication",
    "SandboxConnector",
    "SandboxSignIn",
    "SandboxUser",
    "SentMessage",
    "StoredAsset",
    "make_webauthn_credential",
    "totp_code",
]
