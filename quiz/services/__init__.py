"""Application services: named operations on the database, free of request code.

Views and CLI commands stay thin and call these. Services flush; the caller
(one CLI command, one request) owns the transaction and commits once.
"""
