"""Keeping links that work as keys, and personal data, out of every log line.

An invitation link, a password-reset key, an address-confirmation key or an undo link
works for whoever reads it, and it sits in the request path that Django's request and CSRF
loggers, the development server and gunicorn write down. E-mail and network addresses are
personal data. `RedactSecrets` rewrites each record before a handler writes it: the message
with its arguments merged in, the traceback and the stack.

- In a path, the segment after a segment that carries a key (`invitations/`, `key/`,
  `confirm-email/`, `undo.../`, `token.../`, `feed/`) becomes `[redacted]`, and so does
  any segment that looks like an opaque token (32 characters or more, or 16 or more with
  anything besides lower-case letters and hyphens): links added later are covered too.
- A query string after a path becomes `?[redacted]`.
- E-mail addresses, plain or percent-encoded, become `[email]`; IP addresses other than
  this machine's own (loopback) `[ip]`.

The filter is on every handler in LOGGING (config/settings/base.py), on gunicorn's own
handlers (config/gunicorn.py) and on Celery's (config/celery.py). It imports nothing from
Django, so gunicorn can load it before Django is set up. Chosen names have no pattern to
find: no code may log them, and tests walk every URL and read the logs to check.
"""

from __future__ import annotations

import ipaddress
import logging
import re

REDACTED = "[redacted]"

# A segment naming what follows it as a key: the next segment is always redacted.
_KEY_BEARING = re.compile(r"invitations?|keys?|confirm-email|undo[\w-]*|tokens?[\w-]*|feeds?")
_SLUG = re.compile(r"[a-z-]*")
_PATH = re.compile(r"/[^\s\"'<>?#]+")
_QUERY = re.compile(r"(/[^\s\"'<>?#]*)\?[^\s\"'<>#]+")
_EMAIL = re.compile(r"[\w.!#$%&*+=^`{|}~-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_IPV4 = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.[\d.]+)?(?![\w:])")
_TRACEBACKS = logging.Formatter()


def _looks_like_token(segment: str) -> bool:
    return len(segment) >= 32 or (len(segment) >= 16 and not _SLUG.fullmatch(segment))


def _redact_path(match: re.Match[str]) -> str:
    segments = match.group(0).split("/")
    for index in range(1, len(segments)):
        segment = segments[index]
        if segment and (
            _KEY_BEARING.fullmatch(segments[index - 1].lower()) or _looks_like_token(segment)
        ):
            segments[index] = REDACTED
    return "/".join(segments)


def _redact_ip(match: re.Match[str]) -> str:
    candidate = match.group(0)
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return candidate  # a time such as 12:30:45
    # This machine's own address ("Listening at: http://127.0.0.1:8000") is nobody's.
    return candidate if address.is_loopback or address.is_unspecified else "[ip]"


def redact(text: str) -> str:
    """`text` without keys in paths, query strings, e-mail or IP addresses."""
    text = _EMAIL.sub("[email]", text)
    text = _IPV4.sub(_redact_ip, text)
    text = _IPV6.sub(_redact_ip, text)
    text = _QUERY.sub(rf"\1?{REDACTED}", text)
    return _PATH.sub(_redact_path, text)


class RedactSecrets(logging.Filter):
    """Rewrites the record in place, so handlers after this one get the safe text too."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad log call must not break the request
            message = f"{record.msg} (its arguments could not be formatted and are left out)"
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def redact_handlers(*loggers: logging.Logger) -> None:
    """Put the filter on every handler of `loggers` that lacks it: for gunicorn and Celery,
    which set up handlers of their own outside LOGGING."""
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, RedactSecrets) for f in handler.filters):
                handler.addFilter(RedactSecrets())
