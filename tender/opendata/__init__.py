"""Open data (issue 21): every change of a published case as an immutable OCDS 1.1 release, a
record per process compiled from them, the feed, the bulk package and the export command."""
