-- The security history (the dashboard's): an organization's actions on keys and members,
-- newest first, a page at a time. Partial, so it holds only those events (not every
-- organization's plan change or the rehash at a sign-in, which is no action), and keyed on
-- the position so a page is one index range however deep the history goes.
CREATE INDEX events_security_history ON events (organization_id, position DESC)
    WHERE split_part(type, '.', 1) IN ('api_key', 'member') AND type <> 'member.password_rehashed';
