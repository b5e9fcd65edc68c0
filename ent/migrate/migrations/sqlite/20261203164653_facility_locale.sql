-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_facilities" table
CREATE TABLE `new_facilities` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `timezone` text NOT NULL DEFAULT ('UTC'), `active` bool NOT NULL DEFAULT (true), `language` text NOT NULL DEFAULT ('en'), `locale` text NOT NULL DEFAULT ('en-GB'), PRIMARY KEY (`id`));
-- Copy rows from old table "facilities" to new temporary table "new_facilities"
INSERT INTO `new_facilities` (`id`, `created_at`, `updated_at`, `name`, `timezone`, `active`, `language`) SELECT `id`, `created_at`, `updated_at`, `name`, `timezone`, `active`, `language` FROM `facilities`;
-- Drop "facilities" table after copying rows
DROP TABLE `facilities`;
-- Rename temporary table "new_facilities" to "facilities"
ALTER TABLE `new_facilities` RENAME TO `facilities`;
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
-- Existing facilities: their language's home locale (locale.Derive), and US formats for English in an
-- American zone, where day-month dates would be misread. Admins change it on the facility form.
UPDATE `facilities` SET locale = CASE
  WHEN language = 'es' THEN 'es-ES'
  WHEN language = 'fr' THEN 'fr-FR'
  WHEN language = 'en' AND timezone LIKE 'America/%' THEN 'en-US'
  ELSE 'en-GB'
END;
