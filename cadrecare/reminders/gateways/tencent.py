"""Tencent Cloud SMS (API 2021-01-11): SendSms signed with TC3-HMAC-SHA256
(a canonical request over the JSON body and the signed headers, a key derived
from the secret by date, service and "tc3_request").

A whole-request ``Error`` and the number's own ``Code`` in ``SendStatusSet``
decide alike: ``Ok`` sent (``SerialNo`` kept for the delivery receipt),
``LimitExceeded.*`` and the busy codes retry later, invalid parameters, an
unapproved signature or template and bad credentials give up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import NoReturn
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from cadrecare.reminders.gateways import GiveUp, RetryLater, answer_json, client, require, template_param

API_VERSION = "2021-01-11"
SERVICE = "sms"
CONTENT_TYPE = "application/json; charset=utf-8"

RETRY_PREFIXES = ("LimitExceeded.", "RequestLimitExceeded", "InternalError")
GIVE_UP_PREFIXES = (
    "InvalidParameterValue.",
    "InvalidParameter.",
    "MissingParameter",
    "UnsupportedOperation.",
    "FailedOperation.SignatureIncorrectOrUnapproved",
    "FailedOperation.TemplateIncorrectOrUnapproved",
    "FailedOperation.PhoneNumberInBlacklist",
    "FailedOperation.MissingSignature",
    "FailedOperation.MissingTemplate",
    "AuthFailure.",
    "UnauthorizedOperation.",
)


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def tc3_authorization(
    *, secret_id: str, secret_key: str, host: str, payload: str, timestamp: int, action: str = "SendSms"
) -> str:
    """The Authorization header of TC3-HMAC-SHA256 for a POST of ``payload``
    to ``/`` signing the content-type and host headers."""
    date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    signed_headers = "content-type;host"
    canonical_request = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:{CONTENT_TYPE}\nhost:{host}\n",
            signed_headers,
            hashlib.sha256(payload.encode()).hexdigest(),
        ]
    )
    scope = f"{date}/{SERVICE}/tc3_request"
    string_to_sign = "\n".join(
        ["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
    )
    signing_key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), SERVICE), "tc3_request")
    signature = hmac.new(signing_key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"


def _judge(code: str, message: str) -> NoReturn:
    error = f"腾讯云短信 {code}：{message}"
    if code.startswith(GIVE_UP_PREFIXES):
        raise GiveUp(error)
    raise RetryLater(error, after_seconds=60 if code.startswith(RETRY_PREFIXES) else 0)


class TencentSms:
    """SMS through Tencent Cloud: ``TENCENT_SMS_*`` settings (README)."""

    def __init__(self) -> None:
        self.endpoint = getattr(settings, "TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com/")
        self.secret_id = getattr(settings, "TENCENT_SMS_SECRET_ID", "")
        self.secret_key = getattr(settings, "TENCENT_SMS_SECRET_KEY", "")
        self.app_id = getattr(settings, "TENCENT_SMS_SDK_APP_ID", "")
        self.sign_name = getattr(settings, "TENCENT_SMS_SIGN_NAME", "")
        self.template = getattr(settings, "TENCENT_SMS_TEMPLATE_ID", "")
        self.region = getattr(settings, "TENCENT_SMS_REGION", "ap-guangzhou")
        self.param_max = int(getattr(settings, "REMINDERS_SMS_PARAM_MAX", 35))

    def send(self, *, phone: str, text: str, key: str) -> str:
        require(
            {
                "TENCENT_SMS_SECRET_ID": self.secret_id,
                "TENCENT_SMS_SECRET_KEY": self.secret_key,
                "TENCENT_SMS_SDK_APP_ID": self.app_id,
                "TENCENT_SMS_SIGN_NAME": self.sign_name,
                "TENCENT_SMS_TEMPLATE_ID": self.template,
            },
            "腾讯云短信",
        )
        number = phone if phone.startswith("+") else f"+86{phone}"
        payload = json.dumps(
            {
                "PhoneNumberSet": [number],
                "SmsSdkAppId": self.app_id,
                "SignName": self.sign_name,
                "TemplateId": self.template,
                "TemplateParamSet": [template_param(text, self.param_max)],
                "SessionContext": key,
            },
            ensure_ascii=False,
        )
        host = urlsplit(self.endpoint).netloc
        timestamp = int(dt.datetime.now(dt.UTC).timestamp())
        headers = {
            "Authorization": tc3_authorization(
                secret_id=self.secret_id, secret_key=self.secret_key, host=host, payload=payload, timestamp=timestamp
            ),
            "Content-Type": CONTENT_TYPE,
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": API_VERSION,
            "X-TC-Region": self.region,
        }
        with client() as http:
            response = http.post(self.endpoint, content=payload.encode(), headers=headers)
        answer = answer_json(response, "腾讯云短信").get("Response")
        if not isinstance(answer, dict):
            raise RetryLater(
                _("腾讯云短信 应答缺少 Response（HTTP %(status_code)s）") % {"status_code": response.status_code}
            )
        if error := answer.get("Error"):
            _judge(str(error.get("Code", "")), str(error.get("Message", "")))
        statuses = answer.get("SendStatusSet") or []
        if not statuses or not isinstance(statuses[0], dict):
            raise RetryLater(
                _("腾讯云短信 应答缺少 SendStatusSet（HTTP %(status_code)s）") % {"status_code": response.status_code}
            )
        status = statuses[0]
        if status.get("Code") == "Ok" and status.get("SerialNo"):
            return str(status["SerialNo"])
        _judge(str(status.get("Code", "")), str(status.get("Message", "")))
