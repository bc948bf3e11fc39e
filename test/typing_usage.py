"""Code as users write it, checked with ``mypy --strict`` (see tox -e lint and .ci/run).

It is imported by test_typing.py, so it also has to run.
"""

from __future__ import annotations

from typing import Optional

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
