"""Outgoing mail: the SMTP transport and the mail templates (text and HTML, translated)."""

from sampark.platform.mail.templates import RenderedMail, render_mail
from sampark.platform.mail.transport import MailError, build_message, message_id_for, send_mail

__all__ = ["MailError", "RenderedMail", "build_message", "message_id_for", "render_mail", "send_mail"]
