-- Modify "queues" table
ALTER TABLE "queues" ADD COLUMN "max_wait_minutes" bigint NOT NULL DEFAULT 360, ADD COLUMN "urgent_share_limit_percent" bigint NOT NULL DEFAULT 50;
-- Modify "tickets" table
ALTER TABLE "tickets" ADD COLUMN "escalated_at" timestamptz NULL;
