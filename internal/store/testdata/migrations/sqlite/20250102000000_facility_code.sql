-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_facilities" table (Atlas rebuilds SQLite tables to change them)
CREATE TABLE `new_facilities` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `code` text NOT NULL DEFAULT '');
-- Copy rows from old table "facilities" to new temporary table "new_facilities"
INSERT INTO `new_facilities` (`id`, `name`) SELECT `id`, `name` FROM `facilities`;
-- Drop "facilities" table after copying rows
DROP TABLE `facilities`;
-- Rename temporary table "new_facilities" to "facilities"
ALTER TABLE `new_facilities` RENAME TO `facilities`;
-- Create index "facilities_code" to table: "facilities"
CREATE INDEX `facilities_code` ON `facilities` (`code`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
