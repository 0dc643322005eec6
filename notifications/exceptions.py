"""Errors of sending mail."""


class EmailNotSent(Exception):
    """The SMTP server refused the message or could not be reached; the task that sent it retries later."""
