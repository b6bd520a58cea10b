DROP INDEX IF EXISTS events_security_history;
