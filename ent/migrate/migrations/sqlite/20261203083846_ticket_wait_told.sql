-- Add column "wait_told_at" to table: "tickets"
ALTER TABLE `tickets` ADD COLUMN `wait_told_at` datetime NULL;
-- Add column "wait_told_low" to table: "tickets"
ALTER TABLE `tickets` ADD COLUMN `wait_told_low` integer NULL;
-- Add column "wait_told_high" to table: "tickets"
ALTER TABLE `tickets` ADD COLUMN `wait_told_high` integer NULL;
