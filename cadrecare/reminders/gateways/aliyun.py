"""Alibaba Cloud SMS (dysmsapi, API version 2017-05-25): SendSms signed by the
RPC protocol's signature version 1.0 (HMAC-SHA1 over the sorted,
percent-encoded parameters; the key is the AccessKey secret followed by "&").

The answer's ``Code`` decides: ``OK`` sent (``BizId`` kept for the delivery
receipt), the flow-control codes retry later, the codes that no retry can
change give up, and anything else unknown is retried (the outbox fails it
after its last attempt).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import uuid
from urllib.parse import quote

from django.conf import settings

from cadrecare.reminders.gateways import GiveUp, RetryLater, answer_json, client, require, template_param

API_VERSION = "2017-05-25"

#: Flow control: the same number too often, the account's rate, a busy service.
RETRY_CODES = {
    "isv.BUSINESS_LIMIT_CONTROL",
    "isv.DAY_LIMIT_CONTROL",
    "Throttling.User",
    "Throttling",
    "ServiceUnavailable",
    "InternalError",
    "isp.SYSTEM_ERROR",
}
#: Nothing a retry can change: the number, the template, the signature, the account.
GIVE_UP_CODES = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.MOBILE_COUNT_OVER_LIMIT",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.INVALID_PARAMETERS",
    "isv.PARAM_LENGTH_LIMIT",
    "isv.AMOUNT_NOT_ENOUGH",
    "isv.OUT_OF_SERVICE",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "InvalidAccessKeyId.NotFound",
    "SignatureDoesNotMatch",
}


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as the protocol specifies (space as %20, ~ kept)."""
    return quote(value, safe="~")


def rpc_signature(params: dict[str, str], *, secret: str, method: str = "POST") -> str:
    """Signature version 1.0 of the RPC protocol."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSms:
    """SMS through Alibaba Cloud: ``ALIYUN_SMS_*`` settings (README)."""

    def __init__(self) -> None:
        self.endpoint = getattr(settings, "ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
        self.key_id = getattr(settings, "ALIYUN_SMS_ACCESS_KEY_ID", "")
        self.secret = getattr(settings, "ALIYUN_SMS_ACCESS_KEY_SECRET", "")
        self.sign_name = getattr(settings, "ALIYUN_SMS_SIGN_NAME", "")
        self.template = getattr(settings, "ALIYUN_SMS_TEMPLATE_CODE", "")
        self.param = getattr(settings, "ALIYUN_SMS_TEMPLATE_PARAM", "content")
        self.param_max = int(getattr(settings, "REMINDERS_SMS_PARAM_MAX", 35))

    def send(self, *, phone: str, text: str, key: str) -> str:
        require(
            {
                "ALIYUN_SMS_ACCESS_KEY_ID": self.key_id,
                "ALIYUN_SMS_ACCESS_KEY_SECRET": self.secret,
                "ALIYUN_SMS_SIGN_NAME": self.sign_name,
                "ALIYUN_SMS_TEMPLATE_CODE": self.template,
            },
            "阿里云短信",
        )
        params = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
            "PhoneNumbers": phone,
            "SignName": self.sign_name,
            "TemplateCode": self.template,
            "TemplateParam": json.dumps({self.param: template_param(text, self.param_max)}, ensure_ascii=False),
            # Comes back in the delivery receipt: the delivery even without the BizId.
            "OutId": key,
        }
        params["Signature"] = rpc_signature(params, secret=self.secret)
        with client() as http:
            response = http.post(self.endpoint, data=params)
        answer = answer_json(response, "阿里云短信")
        code = str(answer.get("Code", ""))
        if code == "OK" and answer.get("BizId"):
            return str(answer["BizId"])
        error = f"阿里云短信 {code or 'HTTP ' + str(response.status_code)}：{answer.get('Message', '')}"
        if code in GIVE_UP_CODES:
            raise GiveUp(error)
        raise RetryLater(error, after_seconds=60 if code in RETRY_CODES else 0)
