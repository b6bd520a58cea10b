"""The gateway's event types. Commands are the functions of `model`; these name their facts."""

ORGANIZATION_CREATED = "organization.created"
ORGANIZATION_PLAN_CHANGED = "organization.plan_changed"
API_KEY_CREATED = "api_key.created"  # private: carries the secret's hash, never published
API_KEY_REVOKED = "api_key.revoked"

# What every gateway replica must hear at once: its key cache drops the affected entries.
CACHE_INVALIDATING = (ORGANIZATION_PLAN_CHANGED, API_KEY_REVOKED)
