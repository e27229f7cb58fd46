"""The API's JSON parser: DRF's, refusing (400) two inputs that otherwise
reached the code and answered 500 — numbers beyond a float (``1e400`` parses
as infinity, which no id, amount or date survives) and nesting deeper than any
of our bodies has (Python's decoder recurses, and so do serializers)."""

from __future__ import annotations

import codecs
import json
import math
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

#: No request body of this API nests deeper (a talk with follow-ups is 3).
MAX_DEPTH = 20


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ParseError(_("数值 %(value)s 超出范围。") % {"value": text[:40]})
    return value


def _refuse_constant(name: str) -> Any:
    raise ParseError(_("数值 %(value)s 超出范围。") % {"value": name})


def _too_deep(data: Any) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.load(codecs.getreader(encoding)(stream), parse_float=_finite, parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(_("请求内容嵌套过深。")) from None
        except ValueError as error:
            raise ParseError(_("请求内容不是有效的 JSON：%(error)s") % {"error": error}) from None
        if _too_deep(data):
            raise ParseError(_("请求内容嵌套过深。"))
        return data
