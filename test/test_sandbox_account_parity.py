"""Replay every request recorded against a real Logto's Account API
(test/fixtures/account-traffic.jsonl, 470 pairs; see account-traffic.md) on one sandbox.

The recorder used a fresh user per scenario and signed each one in; the recording only names
the kind of token each request carried. :data:`SCENES` says which user each request was made
for (worked out from the profiles the answers show, the identifiers the codes went to and the
records the headers carry), :data:`USERS` gives those users as the recording shows them, and the
sessions scenario gets the very sign-ins Logto listed. Everything the recorder did out of band
(switching the account center, expiring records, seeding social token sets, spending a backup
code, having no storage provider) is done through the sandbox's own hooks in :meth:`set_up`.

Then status, error ``code``, the whole body (ids and timestamps aside) and key headers must
match what Logto answered, pair by pair.
"""

from __future__ import annotations

import json
import pathlib
import re
from dataclasses import dataclass
from typing import ClassVar, Dict, List, Mapping, Optional, Tuple

import pytest

from py_logto.testing import LogtoSandbox, SandboxApplication, SandboxUser
from test._sandbox_replay import Entry, Outcome, Replayer, json_body, load, summary

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIRST_PARTY_APP = ("xwy17us7wql0m58r4aqra", "sample-first-party")
THIRD_PARTY_APP = ("mmsl2jh31eqlfnwbq1p45", "sample-third-party")
RECORDED_SOCIAL_CONNECTOR = "ss16iixkbbnu"
USER_AGENT = "Python-urllib/3.11"  # how the recorder signed its users in


@dataclass(frozen=True)
class User:
    user_id: Optional[str]  # the recorded id, where an answer shows it
    username: str
    email: Optional[str] = None
    phone: Optional[str] = None
    password: bool = True


USERS: Dict[str, User] = {
    "account-center": User("jdt5v750blw7", "sample_new_1172316f9b", "sample_new_1172316f9b@example.com"),
    "profile": User("rj7zxhw1lyus", "sample_new_d0b20681cf", "sample_new_d0b20681cf@example.com", "14155557906"),
    "username-owner": User(None, "sample_new_51c20f899c"),
    "other": User(None, "another_user"),
    "only-username": User(None, "only_a_username"),
    "password": User("l48oufov6n08", "sample_new_92ac6d18b7", "sample_new_92ac6d18b7@example.com"),
    "no-password": User("43hzfz9ieqcx", "sample_new_ee8c252453", password=False),
    "mfa-settings": User(None, "mfa_settings_user"),
    "identities": User("kreu0ha9idkh", "sample_new_3ec90389e4", "sample_new_3ec90389e4@example.com"),
    "identities-b": User(None, "identities_user_b"),
    "upsert": User("knbilq1c8l2p", "sample_new_5564efb6ec"),
    "social-left": User("77wjl6uxprzw", "social_left_user"),
    "no-password-social": User(None, "no_password_social", password=False),
    "token-sets": User(None, "token_set_user"),
    "email-phone": User("lu861t6yg7e1", "sample_new_26e8e81a9b", "sample_new_26e8e81a9b@example.com", "14155556881"),
    "email-owner": User(None, "email_owner", "sample_new_574ea2336d@example.com"),
    "email-left": User("mj9jbw14t81t", "email_left_user", "sample_new_93971c1d71@example.com"),
    "phone-owner": User(None, "phone_owner", phone="14155557691"),
    "phone-left": User("a7mn48mtc6q1", "phone_left_user", phone="14155556874"),
    "mfa-fresh": User(None, "mfa_fresh_user"),
    "mfa": User("g9ff926k6nr1", "sample_new_60e341a6ff"),
    "mfa-other": User("rckbsjj2duys", "sample_new_500b65919f"),
    "sessions": User("2ziu0n5jhqq3", "sample_new_ed01ee6414"),
    "sessions-other": User(None, "sessions_other_user"),
    "avatar": User(None, "avatar_user"),
    "phone-format": User("t7ks1dikicj4", "sample_new_dbc1bcb5f6"),
    "backup-used": User(None, "backup_used_user"),
    "record-kinds": User("xjimnlp7td6l", "sample_new_54c5f02656"),
    "etag": User("ocsg716b50k1", "sample_new_478f80fd37"),
}
# Users that exist only to own something another scenario collides with.
BYSTANDERS = ("username-owner", "email-owner", "phone-owner")

#: (first seq, last seq, user): whose token each recorded request carried.
SCENES: List[Tuple[int, int, str]] = [
    (1, 21, "account-center"),
    (22, 53, "profile"),
    (54, 54, "other"),
    (55, 81, "profile"),
    (82, 83, "only-username"),
    (84, 96, "profile"),
    (97, 114, "password"),
    (115, 118, "no-password"),
    (119, 145, "mfa-settings"),
    (146, 162, "identities"),
    (163, 166, "identities-b"),
    (167, 168, "identities"),  # a social record user A makes and user B uses
    (169, 169, "identities-b"),
    (170, 173, "identities"),
    (174, 174, "identities-b"),
    (175, 176, "identities"),
    (177, 181, "upsert"),
    (182, 215, "identities"),  # the token routes run for the owner of the linked socA2 identity
    (216, 221, "social-left"),
    (222, 228, "no-password-social"),
    (229, 238, "token-sets"),
    (239, 272, "email-phone"),
    (273, 275, "email-left"),
    (276, 302, "email-phone"),
    (303, 305, "phone-left"),
    (306, 306, "email-phone"),
    (307, 307, "mfa-fresh"),
    (308, 339, "mfa"),
    (340, 340, "mfa-fresh"),
    (341, 349, "mfa"),
    (350, 351, "mfa-fresh"),
    (352, 363, "mfa"),
    (364, 365, "mfa-other"),
    (366, 389, "mfa"),
    (390, 409, "sessions"),
    (410, 410, "sessions-other"),
    (411, 428, "sessions"),
    (429, 438, "avatar"),
    (439, 447, "phone-format"),
    (448, 455, "backup-used"),
    (456, 456, "other"),
    (457, 465, "record-kinds"),
    (466, 470, "etag"),
]

#: The sign-ins Logto listed in the sessions scenario: recorded session uid and grant id, the
#: application and scopes, and the requests that carried their tokens.
SESSIONS_SIGN_INS = {
    "S1": ("pYmr29ox6WuOmK1LVAWazei8fu8TTY3ply7PrMgNLlO", "Tln5hsDc8w6BbWshLRTt5ABtwv2t-k60kWuPBOOwIvW", False, None),
    "S2": ("ZDVfQhoQWRxox_o3q-e2fYjpRAcLfK0i2L_pV9V_Vmg", "vfxn0HynJY8d8qN2oO0QUL57KszBhbpOI4Nthuf7uJX", False, None),
    "S3": ("Grivuaka4LSZKjXuKNFxN_lHQHrIE8qF97_Wcj_fgrn", "B5aidcGYGC9KGZmhLGElonAUV_DNC41IsKGtQaQRx3G", True, None),
    "S4": (
        "CyzV-8MV0cH8KdHddB_1GhjmMBcvnLjOYeylSL0mbkX",
        "eYUotxiJJVqjalc4g_b0_9_hls1-KjlBaZM-MxYgCx9",
        False,
        "openid profile identities",
    ),
}
LATE_THIRD_PARTY_SIGN_IN = (
    "jHOy90myTOeyY9no7JTVDWiAW8xAm0U3vW0jdiJwAj2",
    "FTcGvGpart84X12gL70Ddsz67WLAV9gHHKBeIo8WCEV",
)
OTHER_USERS_SIGN_IN = ("7A8CXAooRKgCsfXY1Kf2_QiFNRRj2_2Axq-75U2IoNx", "moPhHiAM9Tl205jdgc6w-wEM-pEfVfGUBbi7yDEwSFr")
SECOND_SESSION_REQUESTS = (396, 414)  # "from the second session" and "the token of the deleted session"
LATE_THIRD_PARTY_REQUESTS = (424,)

# Recorded multipart file parts are "<binary N bytes>"; these are files of the same size and kind.
_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 49 + b"IEND\xaeB`\x82"
_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
FILES = {"<binary 69 bytes>": _PNG, "<binary 5 bytes>": b"hello", "<binary 67 bytes>": _SVG.ljust(67)}

ACCOUNT_CENTER_WINDOW = {
    4: {"enabled": False},
    16: {"enabled": True, "fields": {"email": "Off", "name": "ReadOnly", "profile": "ReadOnly"}},
    21: {"enabled": True, "fields": {"email": "Edit", "name": "Edit", "profile": "Edit"}},
}


class AccountReplayer(Replayer):
    message_not_compared: ClassVar[Mapping[str, str]] = {
        "misc/accept-language-zh": "the sandbox answers in English only; Logto translated the message to zh-CN",
    }

    def __init__(self, sandbox: LogtoSandbox) -> None:
        super().__init__(sandbox)
        self.first_party = sandbox.add_application(FIRST_PARTY_APP[1], application_id=FIRST_PARTY_APP[0])
        self.third_party = sandbox.add_application(
            THIRD_PARTY_APP[1], third_party=True, application_id=THIRD_PARTY_APP[0]
        )
        connector = sandbox.add_social_connector(token_storage=False)  # as on the recording server
        sandbox.add_message_connector("email")
        sandbox.add_message_connector("sms")
        self.ids.add(RECORDED_SOCIAL_CONNECTOR, connector.id)
        self.users: Dict[str, SandboxUser] = {}
        self.passwords: Dict[str, List[str]] = {}
        self.tokens: Dict[Tuple[str, str], str] = {}
        self.scene_of = {seq: name for first, last, name in SCENES for seq in range(first, last + 1)}
        for name in BYSTANDERS:
            self.user(name)

    # -- users and their tokens ---------------------------------------------------------------

    def user(self, name: str) -> SandboxUser:
        if name not in self.users:
            spec = USERS[name]
            self.passwords[name] = [f"Replay-pass-word-{name}-0"]
            self.users[name] = self.sandbox.add_user(
                user_id=spec.user_id,
                username=spec.username,
                email=spec.email,
                phone=spec.phone,
                password=self.passwords[name][0] if spec.password else None,
            )
            self.tokens[(name, "valid-first-party")] = self.sign_in(name, third_party=False)
        return self.users[name]

    def sign_in(
        self, name: str, *, third_party: bool, scopes: Optional[str] = None, recorded: Optional[Tuple[str, str]] = None
    ) -> str:
        application: SandboxApplication = self.third_party if third_party else self.first_party
        sign_in = self.sandbox.sign_in(
            self.users[name], application=application, scopes=scopes.split() if scopes else None, user_agent=USER_AGENT
        )
        if recorded is not None:
            self.ids.add(recorded[0], sign_in.session_id)
            self.ids.add(recorded[1], sign_in.grant_id)
        return sign_in.token

    def authorization(self, entry: Entry, recorded: str) -> str:
        label = entry["auth"]
        if not label.startswith("valid-"):
            return recorded
        name = self.scene_of[entry["seq"]]
        self.user(name)
        if name == "sessions":
            if entry["seq"] in SECOND_SESSION_REQUESTS:
                label = "S2"
            elif entry["seq"] in LATE_THIRD_PARTY_REQUESTS:
                label = "S5"
        if (name, label) not in self.tokens:
            scopes = label.split("scopes=", 1)[1].replace(" (no openid)", "") if "scopes=" in label else None
            self.tokens[(name, label)] = self.sign_in(name, third_party=label == "valid-third-party", scopes=scopes)
        return f"Bearer {self.tokens[(name, label)]}"

    # -- passwords ----------------------------------------------------------------------------

    def password(self, entry: Entry) -> str:
        name = self.scene_of[entry["seq"]]
        self.user(name)
        history = self.passwords[name]
        status = entry["response"]["status"]
        if entry["endpoint"] == "/api/verifications/password":
            return history[-2] if status == 422 and len(history) > 1 else history[-1]
        if entry["case"].endswith("same-password"):
            return history[-1]
        if status == 204:
            history.append(f"Replay-pass-word-{name}-{len(history)}")
            return history[-1]
        return "Rejected-pass-word-9"

    def body(self, entry: Entry) -> Optional[str]:
        body = super().body(entry)
        parsed = entry["request"]["body_json"]
        if body is not None and isinstance(parsed, dict) and entry["response"]["status"] == 204:
            secret, code = self.ids.get(parsed.get("secret", "")), parsed.get("code")
            if secret and isinstance(code, str):  # a TOTP code that was right then: the right one now
                body = body.replace(json.dumps(code), json.dumps(self.sandbox.totp_code(secret)))
        return body

    def body_bytes(self, entry: Entry, body: str) -> bytes:
        encoded = body.encode()
        for placeholder, content in FILES.items():
            encoded = encoded.replace(placeholder.encode(), content)
        return encoded

    # -- what the recorder did out of band ----------------------------------------------------

    def _mapped(self, recorded: str) -> str:
        mapped = self.ids.get(recorded)
        assert mapped is not None, f"no sandbox counterpart of {recorded}"
        return mapped

    def set_up(self, entry: Entry) -> None:
        seq, sandbox = entry["seq"], self.sandbox
        if seq in ACCOUNT_CENTER_WINDOW:
            settings = ACCOUNT_CENTER_WINDOW[seq]
            sandbox.account_center(enabled=bool(settings["enabled"]), fields=settings.get("fields"))  # type: ignore[arg-type]
        headers = dict(entry["request"]["headers"])
        parsed = entry["request"]["body_json"] if isinstance(entry["request"]["body_json"], dict) else {}
        if "expires_at moved" in (entry["note"] or ""):
            recorded = parsed.get("newIdentifierVerificationRecordId") or headers["logto-verification-id"]
            sandbox.expire_record(self._mapped(recorded))
        name = self.scene_of[seq]
        if seq == 390:
            self.user(name)
            for label, (uid, grant, third_party, scopes) in SESSIONS_SIGN_INS.items():
                if label == "S1":  # the token every "valid-first-party" request of the scenario carries
                    self.ids.add(uid, sandbox.sessions(self.users[name])[0]["payload"]["uid"])
                    self.ids.add(grant, sandbox.grants(self.users[name])[0]["id"])
                    continue
                token = self.sign_in(name, third_party=third_party, scopes=scopes, recorded=(uid, grant))
                key = "valid-third-party" if third_party else f"valid-first-party:scopes={scopes}" if scopes else label
                self.tokens[(name, key)] = token
        elif seq == 411:
            self.user("sessions-other")
            self.sign_in("sessions-other", third_party=False, recorded=OTHER_USERS_SIGN_IN)
        elif seq == 417:
            self.tokens[(name, "S5")] = self.sign_in(name, third_party=True, recorded=LATE_THIRD_PARTY_SIGN_IN)
        elif seq == 429:
            sandbox.avatar_storage = False  # the recording server had no storage provider
        elif seq == 453:
            sandbox.use_backup_code(self.user(name), self._mapped("41be9922af"))
        token_sets = {
            233: {
                "access_token": "mock-social-access-token-1",
                "scope": "profile email",
                "token_type": "Bearer",
                "expires_in": 3600,
            },
            235: {"access_token": "mock-social-access-token-2"},
            236: {"access_token": "expired-token", "expires_in": -60},
            238: {"access_token": "expired-token-2", "expires_in": -60, "refresh_token": "refresh-token"},
        }
        if seq in token_sets:
            sandbox.set_social_token(self.user(name), **token_sets[seq])  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def replay() -> List[Outcome]:
    with LogtoSandbox(default_connectors=False) as sandbox:
        return AccountReplayer(sandbox).replay(load("account-traffic.jsonl"))


def test_every_recorded_pair_is_replayed(replay: List[Outcome]) -> None:
    assert len(replay) == len(load("account-traffic.jsonl")) == 470
    print(summary("account-traffic.jsonl", replay))


def test_sandbox_answers_as_the_recorded_logto(replay: List[Outcome]) -> None:
    mismatches = [f"{o.entry['seq']} {o.entry['case']}: {'; '.join(o.problems)}" for o in replay if o.problems]
    assert mismatches == []


def _operations() -> List[Tuple[str, re.Pattern[str], str]]:
    spec = json.loads((ROOT / "spec" / "logto-account.openapi.json").read_text(encoding="utf-8"))
    return [
        (method.upper(), re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "/?$"), operation["operationId"])
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    ]


def test_replay_covers_every_account_operation_and_status(replay: List[Outcome]) -> None:
    entries = [outcome.entry for outcome in replay]
    operations = _operations()
    covered = {
        operation_id
        for entry in entries
        for method, pattern, operation_id in operations
        if entry["request"]["method"] == method and pattern.match(entry["request"]["path"].split("?")[0])
    }
    assert len(operations) == 31
    assert covered == {operation_id for _, _, operation_id in operations}
    statuses = {e["response"]["status"] for e in entries}
    assert {200, 201, 204, 304, 400, 401, 403, 404, 405, 422} <= statuses
    bodies = [json_body(e["response"]) for e in entries if e["response"]["body_kind"] == "json"]
    codes = {body.get("code") for body in bodies if isinstance(body, dict)}
    assert {
        "account_center.not_enabled",
        "account_center.field_not_editable",
        "verification_record.permission_denied",
        "oidc.session_not_found",
        "session.mfa.invalid_totp_code",
        "storage.not_configured",
    } <= codes
