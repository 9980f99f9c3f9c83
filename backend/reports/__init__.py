"""Read-only queries and exports: the audit trail view, and later reports and statistics."""
