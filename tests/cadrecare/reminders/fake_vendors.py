"""Local fake servers for the channel gateways: real sockets (http.server in a
thread), each speaking its vendor's documented protocol and checking what a
real one checks: the RPC signature (Alibaba Cloud), the TC3-HMAC-SHA256
signature (Tencent Cloud), the access token (WeCom, DingTalk). The signatures
are verified here from the documented algorithms, written out again rather
than borrowed from the code under test, so a signing bug fails the test.

Each fake answers sends from ``plan``, one word per send (then "ok"):
``ok``, ``rate`` (the vendor's flow-control code), ``expired`` (the token
lapses: WeCom and DingTalk), ``timeout`` (answers after the client gave up),
``malformed`` (an HTML error page), ``permanent`` (a refusal no retry fixes).
``accepted`` lists the messages it took (one per ``ok`` or ``timeout``: a
gateway that accepted a message whose answer was lost still delivers it).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

SLOW_SECONDS = 1.5  # longer than the tests' client timeout


class FakeVendor:
    """One vendor's server state and its answers; subclasses speak the protocol."""

    def __init__(self) -> None:
        self.plan: list[str] = []
        self.accepted: list[dict[str, Any]] = []
        self.calls: list[str] = []  # the path of every request, in order
        self.base = ""

    def next_word(self) -> str:
        return self.plan.pop(0) if self.plan else "ok"

    def handle(self, method: str, path: str, query: dict[str, str], headers: Any, body: bytes) -> tuple[int, str]:
        raise NotImplementedError


def _handler(vendor: FakeVendor) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            vendor.calls.append(url.path)
            status, text = vendor.handle(method, url.path, query, self.headers, body)
            if text == "__slow__":
                time.sleep(SLOW_SECONDS)
                status, text = 200, "{}"
            data = text.encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "text/html" if text.startswith("<") else "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout case)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serving(vendor: FakeVendor) -> Iterator[FakeVendor]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(vendor))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    vendor.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield vendor
    finally:
        server.shutdown()
        server.server_close()


MALFORMED = "<html><body><h1>502 Bad Gateway</h1></body></html>"


# ---------------------------------------------------------------------------
# Alibaba Cloud SMS: RPC protocol, signature version 1.0
# ---------------------------------------------------------------------------


class FakeAliyunSms(FakeVendor):
    def __init__(self, *, key_id: str, secret: str) -> None:
        super().__init__()
        self.key_id, self.secret = key_id, secret

    def _signature_ok(self, params: dict[str, str]) -> bool:
        given = params.pop("Signature", "")
        encode = lambda value: quote(value, safe="~")  # noqa: E731 (RFC 3986, as documented)
        canonical = "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(params.items()))
        to_sign = "POST&%2F&" + encode(canonical)
        expected = base64.b64encode(hmac.new(f"{self.secret}&".encode(), to_sign.encode(), hashlib.sha1).digest())
        return hmac.compare_digest(given.encode(), expected)

    def handle(self, method: str, path: str, query: dict[str, str], headers: Any, body: bytes) -> tuple[int, str]:
        params = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        request_id = uuid.uuid4().hex
        if params.get("Action") != "SendSms" or params.get("Version") != "2017-05-25":
            return 400, json.dumps({"Code": "InvalidAction.NotFound", "Message": "bad action", "RequestId": request_id})
        if params.get("AccessKeyId") != self.key_id:
            return 404, json.dumps({"Code": "InvalidAccessKeyId.NotFound", "Message": "no such key"})
        if not self._signature_ok(params):
            return 400, json.dumps({"Code": "SignatureDoesNotMatch", "Message": "signature mismatch"})
        word = self.next_word()
        if word == "rate":
            return 200, json.dumps({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发号码天级流控"})
        if word == "permanent":
            return 200, json.dumps({"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"})
        if word == "malformed":
            return 502, MALFORMED
        biz_id = f"{len(self.accepted) + 1}^{request_id[:10]}"
        self.accepted.append(
            {
                "phone": params["PhoneNumbers"],
                "param": json.loads(params["TemplateParam"]),
                "template": params["TemplateCode"],
                "sign": params["SignName"],
                "out_id": params.get("OutId"),
                "id": biz_id,
            }
        )
        if word == "timeout":
            return 200, "__slow__"
        return 200, json.dumps({"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": request_id})


# ---------------------------------------------------------------------------
# Tencent Cloud SMS: API 2021-01-11, TC3-HMAC-SHA256
# ---------------------------------------------------------------------------


class FakeTencentSms(FakeVendor):
    def __init__(self, *, secret_id: str, secret_key: str) -> None:
        super().__init__()
        self.secret_id, self.secret_key = secret_id, secret_key

    def _signature_ok(self, headers: Any, body: bytes) -> bool:
        auth = headers.get("Authorization", "")
        try:
            algorithm, rest = auth.split(" ", 1)
            parts = dict(item.strip().split("=", 1) for item in rest.split(","))
            secret_id, date, service, terminator = parts["Credential"].split("/")
        except ValueError:
            return False
        if algorithm != "TC3-HMAC-SHA256" or secret_id != self.secret_id or terminator != "tc3_request":
            return False
        timestamp = int(headers.get("X-TC-Timestamp", "0"))
        if dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d") != date:
            return False
        signed = parts["SignedHeaders"].split(";")
        canonical_headers = "".join(f"{name}:{headers.get(name, '').strip().lower()}\n" for name in signed)
        canonical = "\n".join(
            ["POST", "/", "", canonical_headers, parts["SignedHeaders"], hashlib.sha256(body).hexdigest()]
        )
        to_sign = "\n".join(
            [
                "TC3-HMAC-SHA256",
                str(timestamp),
                f"{date}/{service}/tc3_request",
                hashlib.sha256(canonical.encode()).hexdigest(),
            ]
        )

        def sign(key: bytes, msg: str) -> bytes:
            return hmac.new(key, msg.encode(), hashlib.sha256).digest()

        key = sign(sign(sign(f"TC3{self.secret_key}".encode(), date), service), "tc3_request")
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(parts["Signature"], expected)

    def handle(self, method: str, path: str, query: dict[str, str], headers: Any, body: bytes) -> tuple[int, str]:
        request_id = str(uuid.uuid4())

        def error(code: str, message: str) -> tuple[int, str]:
            return 200, json.dumps({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}})

        if headers.get("X-TC-Action") != "SendSms" or headers.get("X-TC-Version") != "2021-01-11":
            return error("InvalidAction", "bad action")
        if not self._signature_ok(headers, body):
            return error("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
        payload = json.loads(body)
        number = payload["PhoneNumberSet"][0]
        word = self.next_word()
        if word == "malformed":
            return 502, MALFORMED
        if word == "rate":
            code, message, serial = "LimitExceeded.PhoneNumberThirtySecondLimit", "30秒内发送超限", ""
        elif word == "permanent":
            code, message, serial = "FailedOperation.SignatureIncorrectOrUnapproved", "签名未审批", ""
        else:
            code, message, serial = "Ok", "send success", f"2645:{uuid.uuid4().hex[:20]}"
            self.accepted.append(
                {
                    "phone": number,
                    "params": payload["TemplateParamSet"],
                    "template": payload["TemplateId"],
                    "app": payload["SmsSdkAppId"],
                    "sign": payload["SignName"],
                    "id": serial,
                }
            )
        if word == "timeout":
            return 200, "__slow__"
        status = {"SerialNo": serial, "PhoneNumber": number, "Fee": 1, "SessionContext": "", "Code": code}
        status |= {"Message": message, "IsoCode": "CN"}
        return 200, json.dumps({"Response": {"SendStatusSet": [status], "RequestId": request_id}})


# ---------------------------------------------------------------------------
# WeCom and DingTalk: access tokens
# ---------------------------------------------------------------------------


class _TokenVendor(FakeVendor):
    token_path = ""
    send_path = ""
    expired_code = 42001
    rate_code = 0
    permanent_answer: dict[str, Any] = {}

    def __init__(self, *, app: str, secret: str) -> None:
        super().__init__()
        self.app, self.secret = app, secret
        self.tokens: set[str] = set()
        self.tokens_issued = 0

    def credentials_ok(self, query: dict[str, str]) -> bool:
        raise NotImplementedError

    def accept(self, payload: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def handle(self, method: str, path: str, query: dict[str, str], headers: Any, body: bytes) -> tuple[int, str]:
        if path == self.token_path:
            if not self.credentials_ok(query):
                return 200, json.dumps({"errcode": 40001, "errmsg": "invalid credential"})
            token = uuid.uuid4().hex
            self.tokens.add(token)
            self.tokens_issued += 1
            return 200, json.dumps({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200})
        if path != self.send_path:
            return 404, json.dumps({"errcode": 404, "errmsg": "not found"})
        if query.get("access_token") not in self.tokens:
            return 200, json.dumps({"errcode": 40014, "errmsg": "invalid access_token"})
        word = self.next_word()
        if word == "expired":
            self.tokens.clear()  # every token issued so far lapses
            return 200, json.dumps({"errcode": self.expired_code, "errmsg": "access_token expired"})
        if word == "rate":
            return 200, json.dumps({"errcode": self.rate_code, "errmsg": "api freq out of limit"})
        if word == "permanent":
            return 200, json.dumps(self.permanent_answer)
        if word == "malformed":
            return 502, MALFORMED
        answer = self.accept(json.loads(body))
        if word == "timeout":
            return 200, "__slow__"
        return 200, json.dumps(answer)


class FakeWeCom(_TokenVendor):
    token_path = "/cgi-bin/gettoken"
    send_path = "/cgi-bin/message/send"
    rate_code = 45009
    permanent_answer = {"errcode": 81013, "errmsg": "user & party & tag all invalid"}

    def credentials_ok(self, query: dict[str, str]) -> bool:
        return query.get("corpid") == self.app and query.get("corpsecret") == self.secret

    def accept(self, payload: dict[str, Any]) -> dict[str, Any]:
        message_id = uuid.uuid4().hex
        self.accepted.append(
            {"to": payload["touser"], "agent": payload["agentid"], "text": payload["text"]["content"], "id": message_id}
        )
        return {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": message_id}


class FakeDingTalk(_TokenVendor):
    token_path = "/gettoken"
    send_path = "/topapi/message/corpconversation/asyncsend_v2"
    rate_code = 90018
    permanent_answer = {"errcode": 88, "sub_code": "60011", "errmsg": "ding talk error[subcode=60011,submsg=没有权限]"}

    def credentials_ok(self, query: dict[str, str]) -> bool:
        return query.get("appkey") == self.app and query.get("appsecret") == self.secret

    def accept(self, payload: dict[str, Any]) -> dict[str, Any]:
        task_id = 256271667526 + len(self.accepted)
        self.accepted.append(
            {
                "to": payload["userid_list"],
                "agent": payload["agent_id"],
                "text": payload["msg"]["text"]["content"],
                "id": str(task_id),
            }
        )
        return {"errcode": 0, "errmsg": "ok", "task_id": task_id, "request_id": uuid.uuid4().hex[:12]}
