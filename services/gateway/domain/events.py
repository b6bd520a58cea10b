"""The gateway's event types. Commands are the functions of `model`; these name their facts."""

ORGANIZATION_CREATED = "organization.created"
ORGANIZATION_PLAN_CHANGED = "organization.plan_changed"
API_KEY_CREATED = "api_key.created"  # private: carries the secret's hash, never published
API_KEY_REVOKED = "api_key.revoked"
# A roll's old key: it now expires at the end of the grace (carries the key after it).
API_KEY_EXPIRY_CHANGED = "api_key.expiry_changed"
API_KEY_EVENTS = (API_KEY_CREATED, API_KEY_REVOKED, API_KEY_EXPIRY_CHANGED)

# What every gateway replica must hear at once: its key cache drops the affected entries.
CACHE_INVALIDATING = (ORGANIZATION_PLAN_CHANGED, API_KEY_REVOKED, API_KEY_EXPIRY_CHANGED)

# Members of an organization (the dashboard's sign-in). Every one is private (never
# published): they carry a password's or an invite token's hash, and who belongs to an
# organization is nobody else's business. Each carries the member's whole state after it.
MEMBER_INVITED = "member.invited"
MEMBER_JOINED = "member.joined"
MEMBER_PASSWORD_CHANGED = "member.password_changed"
# The same password, hashed again with the current argon2 parameters at a sign-in: unlike a
# change, it ends no session.
MEMBER_PASSWORD_REHASHED = "member.password_rehashed"
MEMBER_ROLE_CHANGED = "member.role_changed"
MEMBER_REMOVED = "member.removed"
MEMBER_EVENTS = (
    MEMBER_INVITED,
    MEMBER_JOINED,
    MEMBER_PASSWORD_CHANGED,
    MEMBER_PASSWORD_REHASHED,
    MEMBER_ROLE_CHANGED,
    MEMBER_REMOVED,
)
