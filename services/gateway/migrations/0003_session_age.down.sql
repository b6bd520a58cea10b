DROP INDEX IF EXISTS member_sessions_by_age;
