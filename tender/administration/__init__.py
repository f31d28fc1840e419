"""The administrator's screens that span the domains: user management."""
