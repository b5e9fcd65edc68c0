-- Add column "escalation_phone" to table: "departments"
ALTER TABLE `departments` ADD COLUMN `escalation_phone` text NULL;
-- Add column "urgent_share_high_since" to table: "queues"
ALTER TABLE `queues` ADD COLUMN `urgent_share_high_since` datetime NULL;
-- Add column "urgent_share_announced_at" to table: "queues"
ALTER TABLE `queues` ADD COLUMN `urgent_share_announced_at` datetime NULL;
