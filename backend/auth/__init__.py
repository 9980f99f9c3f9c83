"""Users, roles, passwords, access tokens and long-lived revocable device tokens."""
