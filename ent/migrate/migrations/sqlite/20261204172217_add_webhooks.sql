-- Create "webhook_deliveries" table
CREATE TABLE `webhook_deliveries` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `message_id` text NOT NULL, `event` text NOT NULL, `attempt` integer NOT NULL, `status` text NOT NULL, `http_status` integer NULL, `duration_ms` integer NOT NULL, `error_class` text NULL, `response_snippet` text NULL, `replay` bool NOT NULL DEFAULT (false), `ticket_event_id` text NOT NULL, `endpoint_id` text NOT NULL, `facility_id` text NOT NULL, PRIMARY KEY (`id`));
-- Create index "webhookdelivery_endpoint_id_created_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_endpoint_id_created_at` ON `webhook_deliveries` (`endpoint_id`, `created_at`);
-- Create index "webhookdelivery_message_id" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_message_id` ON `webhook_deliveries` (`message_id`);
-- Create "webhook_endpoints" table
CREATE TABLE `webhook_endpoints` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `url` text NOT NULL, `description` text NULL, `events` json NOT NULL, `data_scope` text NOT NULL DEFAULT ('CODES'), `enabled` bool NOT NULL DEFAULT (true), `secret_salt` text NOT NULL, `secret_rotated_at` datetime NOT NULL, `created_by_id` text NULL, `facility_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `webhook_endpoints_facilities_facility` FOREIGN KEY (`facility_id`) REFERENCES `facilities` (`id`) ON DELETE NO ACTION);
