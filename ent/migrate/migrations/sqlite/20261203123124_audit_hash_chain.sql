-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_audit_entries" table
CREATE TABLE `new_audit_entries` (`id` text NOT NULL, `at` datetime NOT NULL, `actor_id` text NULL, `actor_role` text NULL, `action` text NOT NULL, `entity_type` text NOT NULL, `entity_id` text NULL, `before` json NULL, `after` json NULL, `request_id` text NULL, `address` text NULL, `facility_id` text NULL, `seq` integer NULL, `prev_hash` text NULL, `hash` text NULL, PRIMARY KEY (`id`));
-- Copy rows from old table "audit_entries" to new temporary table "new_audit_entries"
INSERT INTO `new_audit_entries` (`id`, `at`, `actor_id`, `actor_role`, `action`, `entity_type`, `entity_id`, `before`, `after`, `request_id`, `address`, `facility_id`) SELECT `id`, `at`, `actor_id`, `actor_role`, `action`, `entity_type`, `entity_id`, `before`, `after`, `request_id`, `address`, `facility_id` FROM `audit_entries`;
-- Drop "audit_entries" table after copying rows
DROP TABLE `audit_entries`;
-- Rename temporary table "new_audit_entries" to "audit_entries"
ALTER TABLE `new_audit_entries` RENAME TO `audit_entries`;
-- Create index "auditentry_entity_type_entity_id" to table: "audit_entries"
CREATE INDEX `auditentry_entity_type_entity_id` ON `audit_entries` (`entity_type`, `entity_id`);
-- Create index "auditentry_at" to table: "audit_entries"
CREATE INDEX `auditentry_at` ON `audit_entries` (`at`);
-- Create index "auditentry_actor_id" to table: "audit_entries"
CREATE INDEX `auditentry_actor_id` ON `audit_entries` (`actor_id`);
-- Create index "auditentry_seq" to table: "audit_entries"
CREATE UNIQUE INDEX `auditentry_seq` ON `audit_entries` (`seq`);
-- Create "audit_chain_heads" table
CREATE TABLE `audit_chain_heads` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `seq` integer NOT NULL);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
