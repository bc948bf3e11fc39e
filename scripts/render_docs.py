"""Render docs/VerificationsApi.md and one docs page per model from the spec and the SDK.

    python scripts/render_docs.py          # rewrite the pages
    python scripts/render_docs.py --check  # exit 1 if a page is out of date

The operation examples are real programs: test/test_docs.py runs each of them.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import typing
from enum import Enum
from pathlib import Path
from typing import Any, Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import py_logto  # noqa: E402
from py_logto._operation import Operation  # noqa: E402
from py_logto.api.verifications_api import _OPERATIONS  # noqa: E402
from py_logto.models._base import LogtoModel  # noqa: E402

SPEC = json.loads((ROOT / "spec" / "logto-verifications.openapi.json").read_text(encoding="utf-8"))

#: How each example builds its request: (imports of py_logto.models, the expression).
EXAMPLE_REQUESTS: Dict[str, Tuple[List[str], str]] = {
    "CreateVerificationByPassword": (
        [],
        'py_logto.CreateVerificationByPasswordRequest(password="correct-horse-battery-staple")',
    ),
    "CreateVerificationBySocial": (
        [],
        "py_logto.CreateVerificationBySocialRequest(\n"
        '        connector_id="0mspzxut1fjq",\n'
        '        state="fa6cbd1e19720e94",\n'
        '        redirect_uri="https://app.example.com/social-callback",\n'
        "    )",
    ),
    "CreateVerificationByVerificationCode": (
        ["EmailVerificationCodeIdentifier"],
        "py_logto.CreateVerificationByVerificationCodeRequest(\n"
        '        identifier=EmailVerificationCodeIdentifier(type="email", value="jane.doe@example.com"),\n'
        '        template_type="UserPermissionValidation",\n'
        "    )",
    ),
    "VerifyVerificationBySocial": (
        [],
        "py_logto.VerifyVerificationBySocialRequest(\n"
        '        verification_record_id="iyow5vurpyw6p8jq30hug",\n'
        '        connector_data={"code": "code-from-the-provider", "state": "fa6cbd1e19720e94"},\n'
        "    )",
    ),
    "VerifyVerificationByVerificationCode": (
        ["EmailVerificationCodeIdentifier"],
        "py_logto.VerifyVerificationCodeVerificationRequest(\n"
        '        identifier=EmailVerificationCodeIdentifier(type="email", value="jane.doe@example.com"),\n'
        '        verification_id="c7h2r9m4k1x8w3q6z5t0a",\n'
        '        code="123456",\n'
        "    )",
    ),
    "VerifyWebAuthnRegistration": (
        ["BindWebAuthnPayload"],
        "py_logto.VerifyWebAuthnRegistrationRequest(\n"
        '        verification_record_id="mgvdizup7x9vc26ruddnq",\n'
        "        # The JSON the browser's navigator.credentials.create() produced:\n"
        "        payload=BindWebAuthnPayload.from_dict({\n"
        '            "id": "czREd_zAxRkKbxG6sLYLJQ",\n'
        '            "rawId": "czREd_zAxRkKbxG6sLYLJQ",\n'
        '            "response": {\n'
        '                "clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0",\n'
        '                "attestationObject": "o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YQ",\n'
        '                "transports": ["internal"],\n'
        "            },\n"
        '            "authenticatorAttachment": "platform",\n'
        '            "clientExtensionResults": {},\n'
        "        }),\n"
        "    )",
    ),
}

#: Extra request options an example passes (the WebAuthn check needs the browser's origin).
EXAMPLE_OPTIONS = {"VerifyWebAuthnRegistration": ', _headers={"Origin": "https://app.example.com"}'}

NAV = (
    "[[Back to top]](#) [[Back to API list]](../README.md#documentation-for-api-endpoints) "
    "[[Back to Model list]](../README.md#documentation-for-models) [[Back to README]](../README.md)"
)


def snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and (not name[i - 1].isupper() or (i + 1 < len(name) and name[i + 1].islower())):
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def spec_operation(operation_id: str) -> Tuple[str, Dict[str, Any]]:
    for path, item in SPEC["paths"].items():
        for _method, op in item.items():
            if op.get("operationId") == operation_id:
                return path, op
    raise KeyError(operation_id)


def cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_operation(op: Operation[Any]) -> str:
    _path, spec_op = spec_operation(op.operation_id)
    name = snake(op.operation_id)
    response = op.response_type.__name__
    request = op.request_type.__name__ if op.request_type is not None else None
    imports = [f"from py_logto.models.{snake(response)} import {response}"]
    model_imports, expression = EXAMPLE_REQUESTS.get(op.operation_id, ([], ""))
    if request is not None:
        imports.append(f"from py_logto.models.{snake(request)} import {request}")
    imports += [f"from py_logto.models.{snake(m)} import {m}" for m in model_imports]
    imports.sort()
    signature = f"{response} {name}({op.body_param or ''})"
    lines = [f"# **{name}**", f"> {signature}", "", spec_op["summary"], "", spec_op.get("description", ""), ""]
    lines += [
        "### Example",
        "",
        "* OAuth Authentication (OAuth2):",
        "",
        "```python",
        "import os",
        "from pprint import pprint",
        "",
    ]
    lines += ["import py_logto", *imports, "from py_logto.rest import ApiException", ""]
    lines += [
        "# Defining the host is optional and defaults to http://localhost",
        "# See configuration.py for a list of all supported configuration parameters.",
        "configuration = py_logto.Configuration(",
        '    host = "http://localhost"',
        ")",
        "",
        "# The access token of the signed-in user (an opaque token with the openid scope).",
        'configuration.access_token = os.environ["ACCESS_TOKEN"]',
        "",
        "# Enter a context with an instance of the API client",
        "with py_logto.ApiClient(configuration) as api_client:",
        "    # Create an instance of the API class",
        "    api_instance = py_logto.VerificationsApi(api_client)",
    ]
    options = EXAMPLE_OPTIONS.get(op.operation_id, "")
    if request is not None:
        lines.append(f"    {op.body_param} = {expression} # {request} | ")
        call = f"api_instance.{name}({op.body_param}{options})"
    else:
        call = f"api_instance.{name}({options.lstrip(', ')})"
    lines += [
        "",
        "    try:",
        f"        # {spec_op['summary']}",
        f"        api_response = {call}",
        f'        print("The response of VerificationsApi->{name}:\\n")',
        "        pprint(api_response)",
        "    except ApiException as e:",
        f'        print("Exception when calling VerificationsApi->{name}: %s\\n" % e)',
        "```",
        "",
        "",
        "",
        "### Parameters",
        "",
    ]
    if request is not None:
        lines += [
            "",
            "Name | Type | Description  | Notes",
            "------------- | ------------- | ------------- | -------------",
            f" **{op.body_param}** | [**{request}**]({request}.md)|  | ",
        ]
    else:
        lines.append("This endpoint does not need any parameter.")
    lines += [
        "",
        "Every method also takes the keyword options `_request_timeout`, `_request_auth`, `_content_type` and "
        "`_headers` (see [RequestOptions](../README.md#request-options)), and has two variants: "
        f"`{name}_with_http_info` returns an `ApiResponse[{response}]` (status, headers, data, raw body) and "
        f"`{name}_without_preload_content` returns urllib3's response with the body unread.",
        "",
        "### Return type",
        "",
        f"[**{response}**]({response}.md)",
        "",
        "### Authorization",
        "",
        "[OAuth2](../README.md#OAuth2)",
        "",
        "### HTTP request headers",
        "",
        f" - **Content-Type**: {'application/json' if request else 'Not defined'}",
        " - **Accept**: application/json",
        "",
        "### HTTP response details",
        "",
        "| Status code | Description | Response headers |",
        "|-------------|-------------|------------------|",
    ]
    for status, resp in spec_op["responses"].items():
        exc = (
            ""
            if status.startswith("2")
            else f" Raises `{py_logto.exceptions._exception_class_for_status(int(status)).__name__}`."
        )
        description = cell(resp["description"])
        if exc and not description.endswith("."):
            description += "."
        lines.append(f"**{status}** | {description}{exc} |  -  |")
    lines += ["", NAV, ""]
    return "\n".join(lines)


def render_api() -> str:
    ops = sorted(_OPERATIONS.values(), key=lambda o: snake(o.operation_id))
    lines = [
        "# py_logto.VerificationsApi",
        "",
        "All URIs are relative to *http://localhost*",
        "",
        "Method | HTTP request | Description",
        "------------- | ------------- | -------------",
    ]
    for op in ops:
        name = snake(op.operation_id)
        summary = spec_operation(op.operation_id)[1]["summary"]
        lines.append(f"[**{name}**](VerificationsApi.md#{name}) | **{op.method}** {op.path} | {summary}")
    lines += ["", ""]
    return "\n".join(lines) + "\n".join(render_operation(op) for op in ops)


def type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Union:
        members = [a for a in args if a is not type(None)]
        literals = [a for a in members if typing.get_origin(a) is typing.Literal]
        if literals and str in members:
            values = [v for lit in literals for v in typing.get_args(lit)]
            return "str (" + ", ".join(f"`{v}`" for v in values) + ", or a newer value)"
        if set(members) == {int, float}:
            return "float"
        return " or ".join(type_name(a) for a in members)
    if origin is typing.Literal:
        return "str (" + ", ".join(f"`{v}`" for v in args) + ")"
    if origin in (list, List):
        return f"List[{type_name(args[0])}]"
    if origin in (dict, Dict):
        return "Dict[str, object]"
    if origin is typing.Annotated:
        return type_name(args[0])
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return f"[**{annotation.__name__}**]({annotation.__name__}.md)"
    if isinstance(annotation, type) and issubclass(annotation, LogtoModel):
        return f"[**{annotation.__name__}**]({annotation.__name__}.md)"
    if annotation is typing.Any:
        return "object"
    return getattr(annotation, "__name__", str(annotation))


#: Field values that must satisfy a pattern, or read better than a placeholder.
SAMPLE_VALUES: Dict[Tuple[str, str], Any] = {
    ("EmailVerificationCodeIdentifier", "value"): "jane.doe@example.com",
    ("PhoneVerificationCodeIdentifier", "value"): "15551234567",
    ("CreateVerificationByPasswordRequest", "password"): "correct-horse-battery-staple",
    ("WebAuthnRegistrationOptionsPubKeyCredParamsInner", "alg"): -7,
    ("WebAuthnRegistrationOptions", "timeout"): 60000,
    ("CreateVerificationByPassword201Response", "expiresAt"): "2026-11-25T11:44:51.555Z",
    ("CreateVerificationBySocial201Response", "expiresAt"): "2026-11-25T11:44:51.555Z",
    ("GenerateWebAuthnRegistrationOptions200Response", "expiresAt"): "2026-11-25T11:44:51.555Z",
}


def sample_value(owner: str, alias: str, annotation: Any) -> Any:
    if (owner, alias) in SAMPLE_VALUES:
        return SAMPLE_VALUES[(owner, alias)]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return sample_value(owner, alias, args[0])
    if origin is typing.Union:
        members = [a for a in args if a is not type(None)]
        return sample_value(owner, alias, members[0])
    if origin is typing.Literal:
        return args[0]
    if origin in (list, List):
        return [sample_value(owner, alias, args[0])]
    if origin in (dict, Dict):
        return {"code": "code-from-the-provider", "state": "fa6cbd1e19720e94"}
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation)).value
    if isinstance(annotation, type) and issubclass(annotation, LogtoModel):
        return sample(annotation)
    if annotation is bool:
        return True
    if annotation in (int, float):
        return 1
    if annotation is str:
        return f"example-{alias}"
    return {"detail": "example"}


def sample(cls: Any) -> Any:
    """An example body for ``cls`` with every field filled in."""
    if cls.__name__ == "VerificationCodeIdentifier":
        return {"type": "phone", "value": "15551234567"}
    return {
        (info.alias or name): sample_value(cls.__name__, info.alias or name, info.annotation)
        for name, info in cls.model_fields.items()
    }


def public_models() -> List[type]:
    names = sorted(py_logto.models.__all__)
    return [getattr(py_logto.models, n) for n in names if inspect.isclass(getattr(py_logto.models, n))]


def render_model(cls: type) -> str:
    name = cls.__name__
    module = f"py_logto.models.{cls.__module__.rsplit('.', 1)[1]}"
    doc = inspect.cleandoc(cls.__doc__ or "").split("\n\n")[0]
    lines = [f"# {name}", "", doc, ""]
    if isinstance(cls, type) and issubclass(cls, Enum):
        lines += ["## Enum", "", "Member | Value", "------ | -----"]
        lines += [f"`{m.name}` | `{m.value}`" for m in cls]
        lines += ["", f"`from {module} import {name}`", "", NAV, ""]
        return "\n".join(lines)
    if name == "VerificationCodeIdentifier":
        lines += [
            "## One of",
            "",
            "`type` | Model",
            "------ | -----",
            "`email` | [**EmailVerificationCodeIdentifier**](EmailVerificationCodeIdentifier.md)",
            "`phone` | [**PhoneVerificationCodeIdentifier**](PhoneVerificationCodeIdentifier.md)",
            "",
            "Request fields that take an identifier accept either member model, this wrapper, or a plain dict.",
            "",
            "## Example",
            "",
            "```python",
            f"from {module} import {name}",
            "",
            f'identifier = {name}.from_json(\'{{"type": "phone", "value": "15551234567"}}\')',
            "print(identifier.actual_instance)",
            "print(identifier.to_dict())",
            "```",
            "",
            NAV,
            "",
        ]
        return "\n".join(lines)
    lines += [
        "## Properties",
        "",
        "Name | Type | Description | Notes",
        "------------ | ------------- | ------------- | -------------",
    ]
    for field_name, info in cls.model_fields.items():
        notes = []
        if info.is_required():
            notes.append("required")
        else:
            notes.append("optional")
        for meta in info.metadata:
            for attr in ("min_length", "max_length", "pattern"):
                value = getattr(meta, attr, None)
                if value is not None:
                    notes.append(f"{attr}: `{value}`")
        if field_name in getattr(cls, "_secret_fields", ()):
            notes.append("secret: hidden from `repr`")
        description = cell(info.description or "")
        lines.append(
            f"**{field_name}** (`{info.alias or field_name}`) | {type_name(info.annotation)} | {description} | {', '.join(notes)}"
        )
    kind = "response" if issubclass(cls, py_logto.models._base.ResponseModel) else "request"
    lines += [
        "",
        "Attributes are snake_case; on the wire (and in `to_dict`/`to_json`) they use the camelCase name in "
        "parentheses. Either name is accepted when building the model.",
        "",
    ]
    if kind == "response":
        lines += ["Fields a newer Logto adds are kept and come back out of `to_dict()`.", ""]
    example = json.dumps(sample(cls))
    lines += [
        "## Example",
        "",
        "```python",
        f"from {module} import {name}",
        "",
        "# Build from JSON text (or from_dict with wire or attribute names) ...",
        f"instance = {name}.from_json({example!r})",
        "# ... and back to the wire form",
        "print(instance.to_json())",
        "print(instance.to_dict())",
        "```",
        "",
        NAV,
        "",
    ]
    return "\n".join(lines)


def pages() -> Dict[Path, str]:
    out = {ROOT / "docs" / "VerificationsApi.md": render_api()}
    for cls in public_models():
        out[ROOT / "docs" / f"{cls.__name__}.md"] = render_model(cls)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a page is out of date")
    args = parser.parse_args()
    stale = []
    for path, text in pages().items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("out of date:", ", ".join(str(p.relative_to(ROOT)) for p in stale))
        return 1
    print(f"{'stale' if args.check else 'wrote'} {len(stale)} page(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
