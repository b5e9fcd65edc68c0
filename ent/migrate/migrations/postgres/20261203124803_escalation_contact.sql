-- Modify "departments" table
ALTER TABLE "departments" ADD COLUMN "escalation_phone" character varying NULL;
-- Modify "queues" table
ALTER TABLE "queues" ADD COLUMN "urgent_share_high_since" timestamptz NULL, ADD COLUMN "urgent_share_announced_at" timestamptz NULL;
