DROP TABLE IF EXISTS request_log;
