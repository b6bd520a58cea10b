"""The inventory service. Stock per product and location, and the locations themselves."""
