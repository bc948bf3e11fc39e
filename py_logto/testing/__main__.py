"""``python -m py_logto.testing``: run the Logto sandbox until Ctrl-C.

It prints the URL, access tokens, the demo user's credentials and how to call the Account API,
then one line for every verification code it "sends".
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType
from typing import List, Optional

from py_logto.testing._models import SentMessage
from py_logto.testing._sandbox import LogtoSandbox


def _parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m py_logto.testing",
        description="Serve Logto's user API (Verifications and Account) from memory, for local development and tests.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, default=3001, help="port to bind, 0 for any free one (default: %(default)s)"
    )
    parser.add_argument("--email", default="demo@example.com", help="the demo user's email (default: %(default)s)")
    parser.add_argument(
        "--phone", default="15550100000", help="the demo user's phone, digits only (default: %(default)s)"
    )
    parser.add_argument("--username", default="demo", help="the demo user's username (default: %(default)s)")
    parser.add_argument("--password", default="demo-password-1", help="the demo user's password (default: %(default)s)")
    return parser.parse_args(argv)


def _print_message(message: SentMessage) -> None:
    print(
        f"[outbox] {message.channel} to {message.recipient}: code {message.code} "
        f"({message.template_type}, verificationId {message.verification_record_id})",
        flush=True,
    )


def _print_account_api_help(url: str) -> None:
    print(
        "Account API: the account center is enabled and every field is editable. The access token\n"
        "  above has every user scope (openid profile email phone address custom_data identities\n"
        "  urn:logto:scope:sessions ...); the third-party one may read but not change the account.\n"
        "  Sensitive changes need a fresh verification record in the logto-verification-id header:\n"
        f"    curl -X POST {url}/api/verifications/password -H 'Authorization: Bearer <token>' \\\n"
        "         -H 'Content-Type: application/json' -d '{\"password\": \"<demo password>\"}'\n"
        "  then send its verificationRecordId (valid 10 minutes, reusable) with the change:\n"
        f"    curl -X POST {url}/api/my-account/primary-email -H 'Authorization: Bearer <token>' \\\n"
        "         -H 'logto-verification-id: <verificationRecordId>' -H 'Content-Type: application/json' \\\n"
        '         -d \'{"email": "new@example.com", "newIdentifierVerificationRecordId": "<code record>"}\'\n'
        "  (the new address's record comes from POST /api/verifications/verification-code and /verify,\n"
        "  with the code printed below). TOTP codes for a secret: LogtoSandbox.totp_code(secret)."
    )


def main(argv: Optional[List[str]] = None) -> int:
    args = _parse_args(argv)
    stopped = threading.Event()

    def request_stop(signum: int, frame: Optional[FrameType]) -> None:
        stopped.set()

    # Installed before anything is printed, so a Ctrl-C right after the URL still stops cleanly.
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    sandbox = LogtoSandbox(host=args.host, port=args.port, on_message=_print_message)
    try:
        sandbox.start()
    except OSError as error:
        print(f"error: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1
    try:
        user = sandbox.add_user(password=args.password, email=args.email, phone=args.phone, username=args.username)
        social = sandbox.social_connector
        email = sandbox.email_connector
        print(f"Logto sandbox listening on {sandbox.url}", flush=True)
        print(f"access token: {sandbox.issue_token(user)}")
        print(f"third-party access token: {sandbox.issue_token(user, first_party=False)}")
        print(f"demo user: id {user.id}, email {user.email}, phone {user.phone}, username {user.username}")
        print(f"demo password: {user.password}")
        print(f"social connector id: {social.id if social else '-'}; email connector id: {email.id if email else '-'}")
        _print_account_api_help(sandbox.url)
        print("Codes are not sent anywhere; they are printed below. Press Ctrl-C to stop.", flush=True)
        while not stopped.wait(0.5):
            pass
    finally:
        sandbox.stop()
    print("Logto sandbox stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
