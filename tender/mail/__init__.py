"""Outgoing e-mail: an outbox in the database, delivered after the response over SMTP.

A message is written in the same transaction as the action that causes it (so it exists exactly
when the action does) and delivered once the response has been sent, so a slow or failing mail
server neither delays nor breaks the action. What could not be sent stays in the outbox with
its error and is retried by ``flask --app wsgi mail send``. Without ``MAIL_SERVER`` (the demo)
messages go to the log instead.
"""
