-- Create "api_clients" table
CREATE TABLE `api_clients` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `facility_id` text NOT NULL, `scopes` json NOT NULL, `secret_hash` text NOT NULL, `secret_id` text NOT NULL, `secret_prefix` text NOT NULL, `last_used_at` datetime NULL, `revoked_at` datetime NULL, `created_by` text NULL, PRIMARY KEY (`id`));
-- Create index "apiclient_facility_id" to table: "api_clients"
CREATE INDEX `apiclient_facility_id` ON `api_clients` (`facility_id`);
