"""LOG_FORMAT=json: one JSON object per line, every field passed through the redaction rules.

The handler's `RedactionFilter` has already masked the message, arguments, exception text and
string extras; this formatter masks again, field by field, inside nested values and over the
finished line, so a secret in a dict-valued extra or an unusual attribute cannot get through.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from bot.log_context import FIELDS
from bot.redaction import STANDARD_ATTRIBUTES, redact


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact(str(key)): _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return redact(repr(value))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if getattr(record, name, None):
                line[name] = getattr(record, name)
        for name, value in vars(record).items():
            if name not in STANDARD_ATTRIBUTES and name not in line:
                line[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        # Once more over the whole line: catches `"refresh_token": "..."` inside nested extras,
        # whose values alone look harmless.
        return redact(json.dumps(_clean(line), ensure_ascii=False))
