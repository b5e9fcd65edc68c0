-- Modify "ticket_events" table
ALTER TABLE "ticket_events" ADD COLUMN "idempotency_key" character varying NULL;
-- Create index "ticketevent_idempotency_key" to table: "ticket_events"
-- squawk-ignore require-concurrent-index-creation -- each migration runs in a transaction, where CONCURRENTLY is not allowed; the column is new and all NULL, so the build is one scan of ticket_events at upgrade time
CREATE UNIQUE INDEX "ticketevent_idempotency_key" ON "ticket_events" ("idempotency_key");
