"""Application services: named operations on the database, free of request code.

Views and CLI commands stay thin and call these. Services flush; the caller
(one CLI command, one request) owns the transaction and commits once.

The modules at this root are the platform every wing may use (``database``,
``errors``, ``health``, ``migrations``); each subpackage is a wing (``library``,
``accounts``, ``study``, ``authoring``, ``exchange``, ``classroom``), which
imports only the platform and the wings below it. See docs/architecture.md.
"""
