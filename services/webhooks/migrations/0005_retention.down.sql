DROP INDEX deliveries_by_event;
