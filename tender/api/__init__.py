"""The REST API (issue 21): public reads and a company's own reads by token, described by an
OpenAPI 3.1 document generated from the code (tender.web.openapi)."""
