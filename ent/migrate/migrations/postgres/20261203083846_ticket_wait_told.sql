-- Modify "tickets" table
ALTER TABLE "tickets" ADD COLUMN "wait_told_at" timestamptz NULL, ADD COLUMN "wait_told_low" bigint NULL, ADD COLUMN "wait_told_high" bigint NULL;
