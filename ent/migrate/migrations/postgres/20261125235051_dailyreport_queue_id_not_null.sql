-- A department's total has queue_id ''; NULL made the unique (department, queue, day) index miss
-- duplicates. No code wrote daily_reports before this migration, so the scan below is of an empty table.
UPDATE "daily_reports" SET "queue_id" = '' WHERE "queue_id" IS NULL;
-- Modify "daily_reports" table
-- squawk-ignore adding-not-nullable-field -- reviewed: daily_reports has had no writer yet, the table is empty
ALTER TABLE "daily_reports" ALTER COLUMN "queue_id" SET NOT NULL, ALTER COLUMN "queue_id" SET DEFAULT '';
