-- The session purge walks sessions by age: without this it would scan them all.
CREATE INDEX member_sessions_by_age ON member_sessions (created_at);
