"""drf-spectacular post-processing: document the error responses every
operation can give, in the one error shape (cadrecare.core.errors)."""

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string", "nullable": True}, "message": {"type": "string"}},
            },
        },
    },
    "required": ["message", "code", "errors"],
}

_COMMON = {
    "400": "输入有误",
    "401": "未登录或令牌无效",
    "403": "无权执行此操作",
    "404": "不存在或不在您的管理范围内",
    "405": "不支持的方法",
    "406": "不支持的格式",
    "409": "与已有记录冲突",
    "412": "版本已过期",
    "413": "请求过大",
    "415": "不支持的媒体类型",
    "428": "缺少 If-Match 版本",
    "429": "请求过于频繁",
    "503": "服务暂时不可用",
}


def document_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, description in _COMMON.items():
                operation["responses"].setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": ref}}}
                )
    return result
