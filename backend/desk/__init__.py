"""The supervisor's desk: the review queue, the whole inspection as a reviewer reads it, assignments, staff,
the dashboard and the administrator's org-unit pages. Read-mostly; every write goes through the domain services."""
