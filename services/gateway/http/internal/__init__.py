"""The gateway's internal API, for the dashboard only: sessions, invites, keys, members, the
request log, usage and the security history. Under `/internal/v1/`, on the plain listener
inside the cluster; every route names its callers (`identity.callers("dashboard")`) and
answers only an identity the caller signed (`internal_identity`). The member acting is the
identity's `key_id`; each use case loads them and checks their role itself."""
