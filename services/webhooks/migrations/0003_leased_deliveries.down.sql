DROP INDEX deliveries_leased;
