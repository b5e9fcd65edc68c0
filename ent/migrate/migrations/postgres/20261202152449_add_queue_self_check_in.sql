-- Modify "queues" table
ALTER TABLE "queues" ADD COLUMN "self_check_in" boolean NOT NULL DEFAULT false;
