"""Backup and restore of the database and the stored files (``flask --app wsgi backup …``)."""
