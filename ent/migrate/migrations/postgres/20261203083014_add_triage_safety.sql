-- Modify "queues" table
ALTER TABLE "queues" ADD COLUMN "self_check_in_level" character varying NOT NULL DEFAULT 'STANDARD', ADD COLUMN "transfer_keeps_arrival" boolean NOT NULL DEFAULT true;
-- Modify "ticket_events" table
ALTER TABLE "ticket_events" ADD COLUMN "from_triage_level" character varying NULL, ADD COLUMN "reason" character varying NULL;
-- Modify "tickets" table
ALTER TABLE "tickets" ADD COLUMN "awaiting_triage" boolean NOT NULL DEFAULT false, ADD COLUMN "arrived_at" timestamptz NULL;
-- Hand-written: arrived_at is when the visit started. A ticket checked in started its visit at its
-- check-in; a transferred ticket (previous_id) continues the visit of the ticket it came from, as the
-- new transfer_keeps_arrival (true for every existing queue) says, so a chain takes its first ticket's
-- check-in. Deadlines already set (target_at) are not moved: they were promised under the old rule,
-- and analytics already counted them. Rows the chain does not reach keep their own check-in.
WITH RECURSIVE visit (id, arrived_at) AS (
  SELECT id, checked_in_at FROM tickets WHERE previous_id IS NULL
  UNION ALL
  SELECT t.id, v.arrived_at FROM tickets t JOIN visit v ON t.previous_id = v.id
)
UPDATE tickets SET arrived_at = visit.arrived_at FROM visit WHERE tickets.id = visit.id;
UPDATE tickets SET arrived_at = checked_in_at WHERE arrived_at IS NULL;
-- squawk-ignore adding-not-nullable-field -- the UPDATEs above have just rewritten every row of tickets under row locks; the NOT NULL check reads the table once more (seconds for millions of rows), and ent needs the column NOT NULL
ALTER TABLE "tickets" ALTER COLUMN "arrived_at" SET NOT NULL;
