-- Add column "session_started_at" to table: "refresh_tokens"
ALTER TABLE `refresh_tokens` ADD COLUMN `session_started_at` datetime NULL;
