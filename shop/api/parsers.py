"""The API's JSON parser: bounded in size and depth (``shop.inputs.parse_json``)."""

from django.conf import settings
from rest_framework import exceptions, parsers

from shop.exceptions import RequestTooLarge
from shop.inputs import InvalidInput, parse_json


class JSONParser(parsers.JSONParser):
    """DRF's parser reads the whole stream, whatever its size, and recurses once per nesting level, so a few
    kilobytes of ``[[[`` raised ``RecursionError`` (a 500). This one reads at most
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (as Django does for forms) and parses with a depth limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestTooLarge()
        try:
            return parse_json(body.decode(parsers.get_encoding(parser_context or {})))
        except (InvalidInput, UnicodeDecodeError) as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
