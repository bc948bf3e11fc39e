"""Render the API pages (docs/VerificationsApi.md, docs/MyAccountApi.md), one page per model,
and the README's endpoint and model lists, from the contracts and the SDK.

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
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import py_logto  # noqa: E402
from py_logto._operation import Operation, Param  # noqa: E402
from py_logto.api import my_account_api, verifications_api  # noqa: E402
from py_logto.models._base import LogtoModel, UnionModel  # noqa: E402


@dataclass(frozen=True)
class Api:
    class_name: str
    spec: Dict[str, Any]
    operations: Dict[str, Operation[Any]]

    @property
    def page(self) -> Path:
        return ROOT / "docs" / f"{self.class_name}.md"


def _load(name: str) -> Dict[str, Any]:
    return json.loads((ROOT / "spec" / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


APIS = (
    Api("VerificationsApi", _load("logto-verifications.openapi.json"), verifications_api._OPERATIONS),
    Api("MyAccountApi", _load("logto-account.openapi.json"), my_account_api._OPERATIONS),
)

#: Hand-written requests for the Verifications examples: (imports of py_logto.models, the expression).
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
EXAMPLE_OPTIONS = {"VerifyWebAuthnRegistration": '_headers={"Origin": "https://app.example.com"}'}

#: The value an example passes for a file parameter (test/test_docs.py creates the file).
EXAMPLE_FILE = '"avatar.png"'

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


def spec_operation(api: Api, operation_id: str) -> Dict[str, Any]:
    for item in api.spec["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise KeyError(operation_id)


def spec_param(api: Api, spec_op: Dict[str, Any], param: Param) -> Dict[str, Any]:
    """The spec's parameter (or multipart property) behind ``param``."""
    for raw in spec_op.get("parameters", []):
        found = api.spec["components"]["parameters"][raw["$ref"].rsplit("/", 1)[1]] if "$ref" in raw else raw
        if found["name"] == param.wire:
            return found  # type: ignore[no-any-return]
    if param.location == "file":
        schema = spec_op["requestBody"]["content"]["multipart/form-data"]["schema"]
        return {"description": schema["properties"][param.wire].get("description", ""), "example": None}
    return {}


def cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def py_literal(value: Any, indent: int) -> str:
    """``value`` as Python source (dicts and lists over several lines when long)."""
    text = repr(value) if not isinstance(value, str) else json.dumps(value)
    if isinstance(value, (dict, list)):
        text = json.dumps(value).replace("true", "True").replace("false", "False").replace("null", "None")
    return text


def return_type(op: Operation[Any]) -> Optional[str]:
    if op.response == "model":
        assert op.response_type is not None
        return op.response_type.__name__
    if op.response == "list":
        assert op.response_type is not None
        return f"List[{op.response_type.__name__}]"
    if op.response == "text":
        return "str"
    return None


def request_expression(api: Api, op: Operation[Any], spec_op: Dict[str, Any]) -> Tuple[List[str], str]:
    """How the example builds the body: (models to import, the expression)."""
    if op.operation_id in EXAMPLE_REQUESTS:
        return EXAMPLE_REQUESTS[op.operation_id]
    request = op.request_type
    assert request is not None
    example = dict(spec_op["requestBody"]["content"]["application/json"]["example"])
    if issubclass(request, UnionModel):
        tag = example.pop(request.discriminator() or "type")
        request = request.one_of_tags()[tag]
    fields = {(info.alias or name): name for name, info in request.model_fields.items()}
    args = [f"{fields[key]}={py_literal(value, 8)}" for key, value in example.items() if key in fields]
    if len(", ".join(args)) < 60:
        return [], f"py_logto.{request.__name__}({', '.join(args)})"
    body = "".join(f"        {arg},\n" for arg in args)
    return [], f"py_logto.{request.__name__}(\n{body}    )"


def render_operation(api: Api, op: Operation[Any]) -> str:
    spec_op = spec_operation(api, op.operation_id)
    name = snake(op.operation_id)
    returns = return_type(op)
    imports = []
    if op.response_type is not None:
        response = op.response_type.__name__
        imports.append(f"from py_logto.models.{snake(response)} import {response}")
    if op.request_type is not None:
        imports.append(f"from py_logto.models.{snake(op.request_type.__name__)} import {op.request_type.__name__}")
    model_imports: List[str] = []
    assignments: List[str] = []
    call_args: List[str] = []
    rows: List[str] = []
    for param in op.params:
        described = spec_param(api, spec_op, param)
        description = cell(described.get("description", ""))
        if param.location == "body":
            assert op.request_type is not None
            request = op.request_type.__name__
            model_imports, expression = request_expression(api, op, spec_op)
            assignments.append(f"    {param.name} = {expression} # {request} | ")
            rows.append(f" **{param.name}** | [**{request}**]({request}.md)|  | ")
        else:
            if param.location == "file":
                value = EXAMPLE_FILE
                kind = "**bytes, str (a path), a binary file or (filename, bytes[, content_type])**"
            else:
                example = described.get("example") or (param.choices[0] if param.choices else None)
                value = json.dumps(example or f"{param.name}_example")
                kind = "**str**"
            assignments.append(f"    {param.name} = {value} # {kind.strip('*')} | {description}")
            rows.append(f" **{param.name}** | {kind}| {description} | {'' if param.required else '[optional] '}")
        call_args.append(param.name if param.required else f"{param.name}={param.name}")
    imports += [f"from py_logto.models.{snake(m)} import {m}" for m in model_imports]
    imports = sorted(set(imports))
    signature = f"{name}({', '.join(call_args)})"
    lines = [
        f"# **{name}**",
        f"> {returns + ' ' if returns else ''}{signature}",
        "",
        spec_op["summary"],
        "",
        spec_op.get("description", ""),
        "",
    ]
    lines += ["### Example", "", "* OAuth Authentication (OAuth2):", "", "```python", "import os"]
    lines += [
        "from pprint import pprint",
        "",
        "import py_logto",
        *imports,
        "from py_logto.rest import ApiException",
        "",
    ]
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
        f"    api_instance = py_logto.{api.class_name}(api_client)",
        *assignments,
        "",
        "    try:",
        f"        # {spec_op['summary']}",
    ]
    options = EXAMPLE_OPTIONS.get(op.operation_id)
    call = f"api_instance.{name}({', '.join([*call_args, *([options] if options else [])])})"
    if returns:
        lines += [
            f"        api_response = {call}",
            f'        print("The response of {api.class_name}->{name}:\\n")',
            "        pprint(api_response)",
        ]
    else:
        lines += [f"        {call}", f'        print("The response of {api.class_name}->{name}: done")']
    lines += [
        "    except ApiException as e:",
        f'        print("Exception when calling {api.class_name}->{name}: %s\\n" % e)',
        "```",
        "",
        "",
        "",
        "### Parameters",
        "",
    ]
    if rows:
        lines += [
            "",
            "Name | Type | Description  | Notes",
            "------------- | ------------- | ------------- | -------------",
        ]
        lines += rows
    else:
        lines.append("This endpoint does not need any parameter.")
    http_info = f"ApiResponse[{returns or 'None'}]"
    lines += [
        "",
        "Every method also takes the options `_request_timeout`, `_request_auth`, `_content_type`, `_headers` and "
        "`_host_index` (see [Request options](../README.md#request-options)), and has two variants: "
        f"`{name}_with_http_info` returns an `{http_info}` (status, headers, data, raw body) and "
        f"`{name}_without_preload_content` returns urllib3's response with the body unread.",
        "",
        "### Return type",
        "",
    ]
    if op.response == "model":
        lines.append(f"[**{returns}**]({returns}.md)")
    elif op.response == "list":
        assert op.response_type is not None
        lines.append(f"[**{returns}**]({op.response_type.__name__}.md)")
    elif op.response == "text":
        lines.append("**str** (Logto answers `OK`)")
    else:
        lines.append("void (empty response body): the method returns `None`")
    if op.method == "GET":
        lines += [
            "",
            "`None` when you sent `If-None-Match` with the `ETag` of an earlier answer and Logto answers 304.",
        ]
    content_type = {"json": "application/json", "multipart": "multipart/form-data"}.get(op.body or "", "Not defined")
    lines += [
        "",
        "### Authorization",
        "",
        "[OAuth2](../README.md#OAuth2)",
        "",
        "### HTTP request headers",
        "",
        f" - **Content-Type**: {content_type}",
        f" - **Accept**: {op.accept}",
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


def _summary(api: Api, op: Operation[Any]) -> str:
    return str(spec_operation(api, op.operation_id)["summary"])


def render_api(api: Api) -> str:
    ops = sorted(api.operations.values(), key=lambda o: snake(o.operation_id))
    lines = [
        f"# py_logto.{api.class_name}",
        "",
        "All URIs are relative to *http://localhost*",
        "",
        "Method | HTTP request | Description",
        "------------- | ------------- | -------------",
    ]
    for op in ops:
        name = snake(op.operation_id)
        lines.append(f"[**{name}**]({api.class_name}.md#{name}) | **{op.method}** {op.path} | {_summary(api, op)}")
    lines += ["", ""]
    return "\n".join(lines) + "\n".join(render_operation(api, op) for op in ops)


def type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Union:
        members = [a for a in args if a is not type(None)]
        literals = [a for a in members if typing.get_origin(a) is typing.Literal]
        if literals and str in members:
            values = [v for lit in literals for v in typing.get_args(lit)]
            return "str (" + ", ".join(f"`{v}`" for v in values) + ", or a newer value)"
        enums = [a for a in members if isinstance(a, type) and issubclass(a, Enum)]
        if enums and str in members:
            return f"{type_name(enums[0])} (or a newer value, as str)"
        if set(members) == {int, float}:
            return "float"
        return " or ".join(type_name(a) for a in members)
    if origin is typing.Literal:
        return "str (" + ", ".join(f"`{v}`" for v in args) + ")"
    if origin in (list, List):
        return f"List[{type_name(args[0])}]"
    if origin in (dict, Dict):
        value = args[1] if len(args) == 2 else Any
        return "Dict[str, object]" if value is Any else f"Dict[str, {type_name(value)}]"
    if origin is typing.Annotated:
        return type_name(args[0])
    if isinstance(annotation, type) and issubclass(annotation, (Enum, LogtoModel, UnionModel)):
        return f"[**{annotation.__name__}**]({annotation.__name__}.md)"
    if annotation is typing.Any:
        return "object"
    return getattr(annotation, "__name__", str(annotation))


#: Field values that must satisfy a pattern, or read better than a placeholder.
SAMPLE_VALUES: Dict[Tuple[str, str], Any] = {
    ("CreateVerificationByPasswordRequest", "password"): "correct-horse-battery-staple",
    ("UpdateProfileRequest", "avatar"): "https://example.com/avatar.png",
    ("UpdateProfileRequest", "username"): "jane_doe",
    ("WebAuthnRegistrationOptionsPubKeyCredParamsInner", "alg"): -7,
    ("WebAuthnRegistrationOptions", "timeout"): 60000,
}


def _property_examples() -> Dict[Tuple[str, str], Any]:
    """(model, wire name) -> the contract's example for that property."""
    found: Dict[Tuple[str, str], Any] = {}
    for api in APIS:
        for name, schema in api.spec["components"]["schemas"].items():
            for prop, sub in schema.get("properties", {}).items():
                if "example" in sub:
                    found[(name, prop)] = sub["example"]
        for item in api.spec["paths"].values():
            for op in item.values():
                media = op.get("requestBody", {}).get("content", {}).get("application/json", {})
                name = media.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
                for prop, value in (media.get("example") or {}).items():
                    found.setdefault((name, prop), value)
    return found


PROPERTY_EXAMPLES = _property_examples()


def sample_value(owner: str, alias: str, annotation: Any) -> Any:
    if (owner, alias) in SAMPLE_VALUES:
        return SAMPLE_VALUES[(owner, alias)]
    if (owner, alias) in PROPERTY_EXAMPLES:
        return PROPERTY_EXAMPLES[(owner, alias)]
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
        value = args[1] if len(args) == 2 else Any
        if value is Any:
            return {"code": "code-from-the-provider", "state": "fa6cbd1e19720e94"}
        return {"key": sample_value(owner, alias, value)}
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation)).value
    if isinstance(annotation, type) and issubclass(annotation, (LogtoModel, UnionModel)):
        return sample(annotation)
    if annotation is bool:
        return True
    if annotation in (int, float):
        return 1
    if annotation is str:
        if alias.endswith("At"):
            return "2026-11-25T11:44:51.555Z"
        return f"example-{alias}"
    return {"detail": "example"}


def sample(cls: Any) -> Any:
    """An example body for ``cls`` with every field filled in."""
    if issubclass(cls, UnionModel):
        member = list(cls.one_of_tags().values())[-1]
        return sample(member)
    return {
        (info.alias or name): sample_value(cls.__name__, info.alias or name, info.annotation)
        for name, info in cls.model_fields.items()
    }


def public_models() -> List[type]:
    """The models and enums (the ``...Dict`` and ``...Input`` helpers are documented on their model's page)."""
    names = sorted(py_logto.models.__all__)
    found = []
    for name in names:
        value = getattr(py_logto.models, name)
        if not inspect.isclass(value) or (name.endswith("Dict") and name[:-4] in names):
            continue
        found.append(value)
    return found


def render_model(cls: type) -> str:
    name = cls.__name__
    module = f"py_logto.models.{cls.__module__.rsplit('.', 1)[1]}"
    doc = inspect.cleandoc(cls.__doc__ or "").split("\n\n")[0].replace("\n", " ")
    lines = [f"# {name}", "", doc, ""]
    if isinstance(cls, type) and issubclass(cls, Enum):
        lines += ["## Enum", "", "Member | Value", "------ | -----"]
        lines += [f"`{m.name}` | `{m.value}`" for m in cls]
        first = next(iter(cls))
        lines += [
            "",
            "## Example",
            "",
            "```python",
            f"from {module} import {name}",
            "",
            f"print({name}.from_json({json.dumps(json.dumps(first.value))}) is {name}.{first.name})",
            "```",
            "",
            NAV,
            "",
        ]
        return "\n".join(lines)
    if issubclass(cls, UnionModel):
        tag_name = cls.discriminator()
        lines += ["## One of", "", f"`{tag_name}` | Model", "------ | -----"]
        lines += [f"`{tag}` | [**{m.__name__}**]({m.__name__}.md)" for tag, m in cls.one_of_tags().items()]
        example = json.dumps(sample(cls))
        lines += [
            "",
            f"Request fields and parameters that take a `{name}` accept it, either member model, or a member's "
            f"dict form (typed `{name}Input`).",
            "",
            "## Example",
            "",
            "```python",
            f"from {module} import {name}",
            "",
            f"instance = {name}.from_json({example!r})",
            "print(instance.actual_instance)",
            "print(instance.to_dict())",
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
        notes = ["required" if info.is_required() else "optional"]
        if field_name in getattr(cls, "_nullable_fields", ()):
            notes.append("`None` is sent as `null`")
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
    response = issubclass(cls, py_logto.models._base.ResponseModel)
    lines += [
        "",
        "Attributes are snake_case; on the wire (and in `to_dict`/`to_json`) they use the camelCase name in "
        "parentheses. Either name is accepted when building the model.",
        "",
    ]
    if response:
        lines += ["Fields a newer Logto adds are kept and come back out of `to_dict()`.", ""]
    if f"{name}Dict" in py_logto.models.__all__:
        lines += [
            f"`{name}Dict` (a `TypedDict` in the same module) is its dict form with the wire names: wherever a "
            f"`{name}` is accepted, so is a plain dict, and type checkers check it.",
            "",
        ]
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


def readme_endpoints() -> str:
    lines = [
        "Class | Method | HTTP request | Description",
        "------------ | ------------- | ------------- | -------------",
    ]
    for api in APIS:
        for op in sorted(api.operations.values(), key=lambda o: snake(o.operation_id)):
            name = snake(op.operation_id)
            lines.append(
                f"*{api.class_name}* | [**{name}**](docs/{api.class_name}.md#{name}) | **{op.method}** {op.path} "
                f"| {_summary(api, op)}"
            )
    return "\n".join(lines)


def readme_models() -> str:
    return "\n".join(f" - [{cls.__name__}](docs/{cls.__name__}.md)" for cls in public_models())


_README_SECTIONS = {"endpoints": readme_endpoints, "models": readme_models}


def render_readme(text: str) -> str:
    for what, render in _README_SECTIONS.items():
        begin, end = f"<!-- generated: {what} -->", f"<!-- end of generated {what} -->"
        head, found, rest = text.partition(begin)
        _, found_end, tail = rest.partition(end)
        if not found or not found_end:
            raise SystemExit(f"README.md has no {begin} ... {end} section")
        text = f"{head}{begin}\n{render()}\n{end}{tail}"
    return text


def pages() -> Dict[Path, str]:
    out = {api.page: render_api(api) for api in APIS}
    for cls in public_models():
        out[ROOT / "docs" / f"{cls.__name__}.md"] = render_model(cls)
    readme = ROOT / "README.md"
    out[readme] = render_readme(readme.read_text(encoding="utf-8"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
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
