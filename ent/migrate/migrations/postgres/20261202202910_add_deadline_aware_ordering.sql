-- Modify "queues" table
ALTER TABLE "queues" ADD COLUMN "escalation_percent" bigint NOT NULL DEFAULT 150;
