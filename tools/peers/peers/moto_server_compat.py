"""moto_server with one compatibility fix for auth-enforced mode.

moto renders authentication/authorization failures as a query-protocol XML body, also for services that
speak the AWS JSON protocol (Secrets Manager), and without an X-Amzn-ErrorType header. The AWS SDK v3
then fails to deserialize the response (SyntaxError, status 403) instead of raising the typed error
real AWS sends. This launcher re-raises those failures as JSON errors with the names real AWS uses for
JSON-protocol services, then runs moto's own server main() unchanged. Nothing else is altered: SigV4
and IAM policy checks are moto's.

Usage: python moto_server_compat.py -H 127.0.0.1 -p PORT   (same arguments as moto_server)
"""
import sys

from werkzeug.exceptions import HTTPException

from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.exceptions import JsonRESTError
from moto.server import main

# moto's (query-protocol) code -> the code AWS returns on JSON-protocol services.
AWS_JSON_ERROR_NAMES = {
    "InvalidClientTokenId": "UnrecognizedClientException",
    "SignatureDoesNotMatch": "InvalidSignatureException",
    "AccessDenied": "AccessDeniedException",
}

_original = ActionAuthenticatorMixin._authenticate_and_authorize_normal_action


def _is_json_protocol(response) -> bool:
    content_type = (getattr(response, "headers", None) or {}).get("Content-Type", "")
    return content_type.startswith("application/x-amz-json")


def _authenticate_and_authorize_normal_action(self, resource: str = "*") -> None:
    try:
        _original(self, resource)
    except HTTPException as error:
        error_type = getattr(error, "error_type", None)
        if not error_type or not _is_json_protocol(self):
            raise
        json_error = JsonRESTError(AWS_JSON_ERROR_NAMES.get(error_type, error_type), error.message)
        json_error.code = error.code
        raise json_error from error


ActionAuthenticatorMixin._authenticate_and_authorize_normal_action = _authenticate_and_authorize_normal_action

if __name__ == "__main__":
    sys.argv[0] = "moto_server"
    sys.exit(main())
