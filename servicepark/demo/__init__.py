"""`servicepark demo`: load the seed cases idempotently, through the same services users use."""
