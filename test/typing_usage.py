"""Code as users write it, checked with ``mypy --strict`` (see tox -e lint and .ci/run).

It is imported by test_typing.py, so it also has to run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Union

import urllib3

import py_logto
from py_logto.api_response import ApiResponse
from py_logto.exceptions import ApiException as ApiExceptionFromExceptions
from py_logto.models.create_verification_by_password201_response import CreateVerificationByPassword201Response
from py_logto.models.create_verification_by_password_request import CreateVerificationByPasswordRequest
from py_logto.models.verify_verification_by_verification_code200_response import (
    VerifyVerificationByVerificationCode200Response,
)
from py_logto.rest import ApiException


def verify_password(host: str, token: str, password: str) -> Optional[str]:
    configuration = py_logto.Configuration(host=host)
    configuration.access_token = token
    configuration.timeout = urllib3.Timeout(connect=2.0, read=10.0)
    with py_logto.ApiClient(configuration) as api_client:
        api = py_logto.VerificationsApi(api_client)
        try:
            record: CreateVerificationByPassword201Response = api.create_verification_by_password(
                CreateVerificationByPasswordRequest(password=password), _request_timeout=5.0
            )
        except py_logto.UnprocessableEntityException:
            return None
        except ApiException as err:
            status: int = err.status
            code: Optional[str] = err.code
            request_id: Optional[str] = err.request_id
            raise RuntimeError(f"{status} {code} {request_id}") from err
        return record.verification_record_id


def verify_code(api: py_logto.VerificationsApi, record_id: str, code: str) -> str:
    info: ApiResponse[VerifyVerificationByVerificationCode200Response] = (
        api.verify_verification_by_verification_code_with_http_info(
            py_logto.VerifyVerificationCodeVerificationRequest(
                identifier=py_logto.EmailVerificationCodeIdentifier(value="jane@example.com"),
                verification_id=record_id,
                code=code,
            ),
            _headers={"Accept-Language": "en"},
        )
    )
    assert info.status_code == 200
    return info.data.verification_record_id


def send_code(api: py_logto.VerificationsApi, phone: str) -> str:
    request = py_logto.CreateVerificationByVerificationCodeRequest(
        identifier=py_logto.PhoneVerificationCodeIdentifier(value=phone), template_type="BindMfa"
    )
    identifier_value: str = request.identifier.value
    assert identifier_value == phone
    return api.create_verification_by_verification_code(request).expires_at


def passkey_options(api: py_logto.VerificationsApi) -> str:
    options = api.generate_web_authn_registration_options()
    raw: urllib3.BaseHTTPResponse = api.generate_web_authn_registration_options_without_preload_content()
    raw.release_conn()
    return options.registration_options.challenge


def rotating_token(source: py_logto.Configuration) -> None:
    source.access_token = lambda: "fresh-token"
    source.retries = urllib3.Retry(total=2, status_forcelist=[503], allowed_methods=None)


SAME_CLASS: bool = ApiException is ApiExceptionFromExceptions


# -- the Account API: verify, then change ---------------------------------------------------------


def verify_new_email(verifications: py_logto.VerificationsApi, email: str, code: str) -> str:
    """A verified code record for the new address (what proves the new email)."""
    sent = verifications.create_verification_by_verification_code(
        {"identifier": {"type": "email", "value": email}, "templateType": "BindMfa"}
    )
    verified = verifications.verify_verification_by_verification_code(
        py_logto.VerifyVerificationCodeVerificationRequest(
            identifier=py_logto.EmailVerificationCodeIdentifier(value=email),
            verification_id=sent.verification_record_id,
            code=code,
        )
    )
    return verified.verification_record_id


def change_primary_email(client: py_logto.ApiClient, password: str, email: str, code: str) -> None:
    verifications = py_logto.VerificationsApi(client)
    account = py_logto.MyAccountApi(client)
    record: str = verifications.create_verification_by_password({"password": password}).verification_record_id
    new_record = verify_new_email(verifications, email, code)
    account.update_primary_email(
        record,
        py_logto.UpdatePrimaryEmailRequest(email=email, new_identifier_verification_record_id=new_record),
    )
    as_dict: py_logto.UpdatePrimaryEmailRequestDict = {"email": email, "newIdentifierVerificationRecordId": new_record}
    account.update_primary_email(logto_verification_id=record, update_primary_email_request=as_dict)
    info: ApiResponse[None] = account.update_primary_email_with_http_info(record, as_dict)
    assert info.data is None
    assert info.status_code == 204


def change_password(account: py_logto.MyAccountApi, record: Optional[str], new_password: str) -> None:
    account.update_password(py_logto.UpdatePasswordRequest(password=new_password), logto_verification_id=record)
    account.update_password({"password": new_password}, record)


def bind_totp_and_backup_codes(account: py_logto.MyAccountApi, record: str, current_code: str) -> List[str]:
    secret: str = account.generate_totp_secret().secret
    totp = py_logto.AddTotpMfaVerificationRequest(secret=secret, code=current_code)
    account.add_mfa_verification(record, totp)
    account.add_mfa_verification(record, py_logto.AddMfaVerificationRequest(totp))
    account.add_mfa_verification(record, py_logto.AddMfaVerificationRequest(actual_instance=totp))
    from_dict: py_logto.AddMfaVerificationRequest = py_logto.AddMfaVerificationRequest.from_dict(
        {"type": "Totp", "secret": secret}
    )
    member: Union[
        py_logto.AddWebAuthnMfaVerificationRequest,
        py_logto.AddTotpMfaVerificationRequest,
        py_logto.AddBackupCodeMfaVerificationRequest,
    ] = from_dict.actual_instance
    assert member.type == from_dict.type == "Totp"
    codes: List[str] = account.generate_my_account_backup_codes().codes
    backup: py_logto.AddBackupCodeMfaVerificationRequestDict = {"type": "BackupCode", "codes": codes}
    account.add_mfa_verification(record, backup)
    account.add_mfa_verification(record, {"type": "WebAuthn", "newIdentifierVerificationRecordId": "r1"})
    factors: List[py_logto.MfaVerification] = account.get_mfa_verifications()
    kinds: List[Union[py_logto.MfaFactor, str]] = [factor.type for factor in factors]
    remaining: Optional[Union[int, float]] = next((f.remain_codes for f in factors if f.type == "BackupCode"), None)
    used: List[Optional[str]] = [status.used_at for status in account.get_backup_codes(record).codes]
    assert len(kinds) >= len(used) or remaining is not None
    renamed: str = account.update_mfa_verification_name(factors[0].id, record, {"name": "Work laptop"})
    assert renamed == "OK"
    return codes


def link_and_unlink_social(client: py_logto.ApiClient, record: str, connector_data: Dict[str, Any]) -> None:
    verifications = py_logto.VerificationsApi(client)
    account = py_logto.MyAccountApi(client)
    started = verifications.create_verification_by_social(
        py_logto.CreateVerificationBySocialRequest(
            connector_id="github", state="s1", redirect_uri="https://app.example.com/callback"
        )
    )
    verified = verifications.verify_verification_by_social(
        {"verificationRecordId": started.verification_record_id, "connectorData": connector_data}
    )
    account.add_user_identities(
        py_logto.AddUserIdentitiesRequest(new_identifier_verification_record_id=verified.verification_record_id),
        logto_verification_id=record,
    )
    profile = account.get_profile()
    identities: Dict[str, py_logto.UserIdentity] = profile.identities or {}
    if "github" in identities:
        account.delete_identity("github", record)
    token: py_logto.GetSocialIdentityAccessToken200Response = account.get_social_identity_access_token("github")
    expires: Optional[Union[int, float]] = token.expires_in
    assert expires != 0


def list_and_revoke_sessions(account: py_logto.MyAccountApi, record: str) -> int:
    sessions: List[py_logto.AccountSession] = account.get_sessions(record).sessions
    revoked = 0
    for session in sessions:
        if not session.is_current:
            account.delete_session_by_id(session.payload.uid, record, revoke_grants_target="firstParty")
            account.delete_session_by_id(
                session.payload.uid, record, py_logto.SessionGrantRevokeTarget.ALL, _request_timeout=5
            )
            revoked += 1
    grants = account.get_grants(record, app_type=py_logto.GrantAppType.THIRDPARTY).grants
    for grant in grants:
        account.delete_grant_by_id(grant.id, record)
    return revoked


def update_profile(account: py_logto.MyAccountApi, record: str) -> Optional[str]:
    clear_avatar: py_logto.UpdateProfileRequestDict = {"avatar": None, "name": "Jane"}
    account.update_profile(clear_avatar)
    account.update_profile(py_logto.UpdateProfileRequest(username="jane_doe"), logto_verification_id=record)
    profile: py_logto.GetProfile200Response = account.update_profile(py_logto.UpdateProfileRequest(name=None))
    other: py_logto.UserProfile = account.update_other_profile(
        py_logto.UpdateOtherProfileRequest(address=py_logto.UserProfileAddress(country="NZ"))
    )
    uploaded = account.upload_account_avatar(("me.png", b"\x89PNG\r\n\x1a\n", "image/png"))
    account.upload_account_avatar(Path("me.jpg"))
    assert other.address is None or uploaded.url
    return profile.name


def from_dict_of_none() -> None:
    nothing: None = py_logto.UpdateProfileRequest.from_dict(None)
    something: py_logto.UpdateProfileRequest = py_logto.UpdateProfileRequest.from_dict({"name": "x"})
    union: None = py_logto.AddMfaVerificationRequest.from_dict(None)
    assert nothing is union
    assert something.name == "x"


def mistakes_the_type_checker_catches(account: py_logto.MyAccountApi, record: str) -> None:
    """Each line marked ``must fail`` is a type error; test_typing checks that mypy reports it."""
    typo: py_logto.UpdatePasswordRequestDict = {"pasword": "x"}  # type: ignore[typeddict-unknown-key, typeddict-item]  # must fail: misspelt key
    account.update_password(typo)
    account.delete_session_by_id("s1", record, "everything")  # type: ignore[arg-type]  # must fail: enum literal
    account.get_grants(record, app_type="ThirdParty")  # type: ignore[arg-type]  # must fail: enum literal case
    account.add_mfa_verification(record, {"type": "TOTP", "secret": "x"})  # type: ignore[arg-type]  # must fail: tag
    account.update_password({"password": "x"}, logto_verification_id=7)  # type: ignore[arg-type]  # must fail: int
    account.delete_primary_email(None)  # type: ignore[arg-type]  # must fail: required header
    py_logto.UpdateProfileRequest(nickname="x")  # type: ignore[call-arg]  # must fail: not a field
    account.get_profile().username.upper()  # type: ignore[union-attr]  # must fail: username may be None
