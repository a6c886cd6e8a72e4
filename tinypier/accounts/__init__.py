"""Members: registration, login, server-side sessions, roles, passkeys, API tokens."""
