"""Who may do what in the dashboard: one table of role by action, enforced server-side twice:
by the gateway's use cases (keys, members) and by the dashboard's route table, which the
webhooks pages go through (issue 14: viewers read everything but secrets, developers manage keys and
webhooks, owners also manage members)."""

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    DEVELOPER = "developer"
    VIEWER = "viewer"


class Action(StrEnum):
    READ = "read"  # every resource, its history, the members list; never a secret
    READ_SECRETS = "read_secrets"  # a webhook's signing secret, a new key's token
    MANAGE_KEYS = "manage_keys"
    MANAGE_WEBHOOKS = "manage_webhooks"
    MANAGE_MEMBERS = "manage_members"  # invite, change a role, remove
    MANAGE_OWN_ACCOUNT = "manage_own_account"  # own password, own sessions


_EVERYONE = frozenset({Action.READ, Action.MANAGE_OWN_ACCOUNT})
_DEVELOPER = _EVERYONE | {Action.READ_SECRETS, Action.MANAGE_KEYS, Action.MANAGE_WEBHOOKS}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.VIEWER: _EVERYONE,
    Role.DEVELOPER: _DEVELOPER,
    Role.OWNER: _DEVELOPER | {Action.MANAGE_MEMBERS},
}


def may(role: Role, action: Action) -> bool:
    return action in PERMISSIONS[role]
