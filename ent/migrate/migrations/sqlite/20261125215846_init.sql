-- Create "appointments" table
CREATE TABLE `appointments` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `scheduled_at` datetime NOT NULL, `status` text NOT NULL DEFAULT ('SCHEDULED'), `external_ref` text NULL, `note` text NULL, `queue_id` text NOT NULL, `patient_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `appointments_queues_queue` FOREIGN KEY (`queue_id`) REFERENCES `queues` (`id`) ON DELETE NO ACTION, CONSTRAINT `appointments_patients_appointments` FOREIGN KEY (`patient_id`) REFERENCES `patients` (`id`) ON DELETE NO ACTION);
-- Create index "appointment_queue_id_scheduled_at" to table: "appointments"
CREATE INDEX `appointment_queue_id_scheduled_at` ON `appointments` (`queue_id`, `scheduled_at`);
-- Create index "appointment_external_ref" to table: "appointments"
CREATE INDEX `appointment_external_ref` ON `appointments` (`external_ref`);
-- Create "audit_entries" table
CREATE TABLE `audit_entries` (`id` text NOT NULL, `at` datetime NOT NULL, `actor_id` text NULL, `actor_role` text NULL, `action` text NOT NULL, `entity_type` text NOT NULL, `entity_id` text NULL, `before` json NULL, `after` json NULL, `request_id` text NULL, `address` text NULL, `facility_id` text NULL, PRIMARY KEY (`id`));
-- Create index "auditentry_entity_type_entity_id" to table: "audit_entries"
CREATE INDEX `auditentry_entity_type_entity_id` ON `audit_entries` (`entity_type`, `entity_id`);
-- Create index "auditentry_at" to table: "audit_entries"
CREATE INDEX `auditentry_at` ON `audit_entries` (`at`);
-- Create index "auditentry_actor_id" to table: "audit_entries"
CREATE INDEX `auditentry_actor_id` ON `audit_entries` (`actor_id`);
-- Create "daily_reports" table
CREATE TABLE `daily_reports` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `day` text NOT NULL, `department_id` text NOT NULL, `queue_id` text NULL, `arrivals` integer NOT NULL DEFAULT (0), `served` integer NOT NULL DEFAULT (0), `no_shows` integer NOT NULL DEFAULT (0), `cancellations` integer NOT NULL DEFAULT (0), `median_wait_seconds` integer NULL, `p90_wait_seconds` integer NULL, `median_service_seconds` integer NULL, `within_target` json NULL, PRIMARY KEY (`id`));
-- Create index "dailyreport_department_id_queue_id_day" to table: "daily_reports"
CREATE UNIQUE INDEX `dailyreport_department_id_queue_id_day` ON `daily_reports` (`department_id`, `queue_id`, `day`);
-- Create "departments" table
CREATE TABLE `departments` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `active` bool NOT NULL DEFAULT (true), `facility_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `departments_facilities_departments` FOREIGN KEY (`facility_id`) REFERENCES `facilities` (`id`) ON DELETE NO ACTION);
-- Create index "department_facility_id_name" to table: "departments"
CREATE UNIQUE INDEX `department_facility_id_name` ON `departments` (`facility_id`, `name`);
-- Create "devices" table
CREATE TABLE `devices` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `platform` text NOT NULL, `push_token` text NOT NULL, `last_seen_at` datetime NULL, `patient_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `devices_patients_devices` FOREIGN KEY (`patient_id`) REFERENCES `patients` (`id`) ON DELETE NO ACTION);
-- Create index "devices_push_token_key" to table: "devices"
CREATE UNIQUE INDEX `devices_push_token_key` ON `devices` (`push_token`);
-- Create "facilities" table
CREATE TABLE `facilities` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `timezone` text NOT NULL DEFAULT ('UTC'), `active` bool NOT NULL DEFAULT (true), PRIMARY KEY (`id`));
-- Create "login_codes" table
CREATE TABLE `login_codes` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `phone` text NOT NULL, `code_hash` text NOT NULL, `expires_at` datetime NOT NULL, `attempts` integer NOT NULL DEFAULT (0), `consumed_at` datetime NULL, PRIMARY KEY (`id`));
-- Create index "logincode_phone_created_at" to table: "login_codes"
CREATE INDEX `logincode_phone_created_at` ON `login_codes` (`phone`, `created_at`);
-- Create "notifications" table
CREATE TABLE `notifications` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `channel` text NOT NULL, `kind` text NOT NULL, `recipient` text NULL, `body` text NULL, `status` text NOT NULL DEFAULT ('PENDING'), `attempts` integer NOT NULL DEFAULT (0), `error` text NULL, `provider_id` text NULL, `sent_at` datetime NULL, `ticket_id` text NULL, `patient_id` text NULL, PRIMARY KEY (`id`));
-- Create index "notification_ticket_id" to table: "notifications"
CREATE INDEX `notification_ticket_id` ON `notifications` (`ticket_id`);
-- Create index "notification_provider_id" to table: "notifications"
CREATE INDEX `notification_provider_id` ON `notifications` (`provider_id`);
-- Create index "notification_status_created_at" to table: "notifications"
CREATE INDEX `notification_status_created_at` ON `notifications` (`status`, `created_at`);
-- Create "patients" table
CREATE TABLE `patients` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `mrn` text NULL, `given_name` text NOT NULL, `family_name` text NOT NULL, `date_of_birth` datetime NULL, `phone` text NULL, `language` text NOT NULL DEFAULT ('en'), `sms_opt_in` bool NOT NULL DEFAULT (true), `facility_id` text NOT NULL, `account_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `patients_facilities_patients` FOREIGN KEY (`facility_id`) REFERENCES `facilities` (`id`) ON DELETE NO ACTION, CONSTRAINT `patients_users_patients` FOREIGN KEY (`account_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Create index "patient_facility_id_mrn" to table: "patients"
CREATE UNIQUE INDEX `patient_facility_id_mrn` ON `patients` (`facility_id`, `mrn`);
-- Create index "patient_phone" to table: "patients"
CREATE INDEX `patient_phone` ON `patients` (`phone`);
-- Create index "patient_facility_id_family_name_given_name" to table: "patients"
CREATE INDEX `patient_facility_id_family_name_given_name` ON `patients` (`facility_id`, `family_name`, `given_name`);
-- Create "queues" table
CREATE TABLE `queues` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `prefix` text NOT NULL, `ordering` text NOT NULL DEFAULT ('TRIAGE'), `active` bool NOT NULL DEFAULT (true), `version` integer NOT NULL DEFAULT (0), `notify_ahead` integer NOT NULL DEFAULT (3), `default_service_minutes` integer NOT NULL DEFAULT (10), `target_immediate_minutes` integer NOT NULL DEFAULT (0), `target_very_urgent_minutes` integer NOT NULL DEFAULT (10), `target_urgent_minutes` integer NOT NULL DEFAULT (60), `target_standard_minutes` integer NOT NULL DEFAULT (120), `target_non_urgent_minutes` integer NOT NULL DEFAULT (240), `department_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `queues_departments_queues` FOREIGN KEY (`department_id`) REFERENCES `departments` (`id`) ON DELETE NO ACTION);
-- Create index "queue_department_id_name" to table: "queues"
CREATE UNIQUE INDEX `queue_department_id_name` ON `queues` (`department_id`, `name`);
-- Create "refresh_tokens" table
CREATE TABLE `refresh_tokens` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `token_hash` text NOT NULL, `family_id` text NOT NULL, `expires_at` datetime NOT NULL, `used_at` datetime NULL, `revoked_at` datetime NULL, `address` text NULL, `user_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `refresh_tokens_users_refresh_tokens` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Create index "refresh_tokens_token_hash_key" to table: "refresh_tokens"
CREATE UNIQUE INDEX `refresh_tokens_token_hash_key` ON `refresh_tokens` (`token_hash`);
-- Create index "refreshtoken_family_id" to table: "refresh_tokens"
CREATE INDEX `refreshtoken_family_id` ON `refresh_tokens` (`family_id`);
-- Create "service_points" table
CREATE TABLE `service_points` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `open` bool NOT NULL DEFAULT (true), `active` bool NOT NULL DEFAULT (true), `department_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `service_points_departments_service_points` FOREIGN KEY (`department_id`) REFERENCES `departments` (`id`) ON DELETE NO ACTION);
-- Create "tickets" table
CREATE TABLE `tickets` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `code` text NOT NULL, `service_day` text NOT NULL, `seq` integer NOT NULL, `status` text NOT NULL DEFAULT ('WAITING'), `triage_level` text NOT NULL DEFAULT ('STANDARD'), `source` text NOT NULL DEFAULT ('WALK_IN'), `note` text NULL, `checked_in_at` datetime NOT NULL, `target_at` datetime NOT NULL, `called_at` datetime NULL, `started_at` datetime NULL, `ended_at` datetime NULL, `recall_count` integer NOT NULL DEFAULT (0), `cancel_reason` text NULL, `status_token` text NOT NULL, `idempotency_key` text NULL, `notified_ahead` bool NOT NULL DEFAULT (false), `appointment_id` text NULL, `patient_id` text NOT NULL, `queue_id` text NOT NULL, `service_point_id` text NULL, `called_by_id` text NULL, `previous_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `tickets_appointments_tickets` FOREIGN KEY (`appointment_id`) REFERENCES `appointments` (`id`) ON DELETE SET NULL, CONSTRAINT `tickets_patients_tickets` FOREIGN KEY (`patient_id`) REFERENCES `patients` (`id`) ON DELETE NO ACTION, CONSTRAINT `tickets_queues_tickets` FOREIGN KEY (`queue_id`) REFERENCES `queues` (`id`) ON DELETE NO ACTION, CONSTRAINT `tickets_service_points_tickets` FOREIGN KEY (`service_point_id`) REFERENCES `service_points` (`id`) ON DELETE SET NULL, CONSTRAINT `tickets_users_called_by` FOREIGN KEY (`called_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL, CONSTRAINT `tickets_tickets_next` FOREIGN KEY (`previous_id`) REFERENCES `tickets` (`id`) ON DELETE SET NULL);
-- Create index "tickets_previous_id_key" to table: "tickets"
CREATE UNIQUE INDEX `tickets_previous_id_key` ON `tickets` (`previous_id`);
-- Create index "ticket_queue_id_status_target_at" to table: "tickets"
CREATE INDEX `ticket_queue_id_status_target_at` ON `tickets` (`queue_id`, `status`, `target_at`);
-- Create index "ticket_queue_id_service_day_seq" to table: "tickets"
CREATE UNIQUE INDEX `ticket_queue_id_service_day_seq` ON `tickets` (`queue_id`, `service_day`, `seq`);
-- Create index "ticket_idempotency_key" to table: "tickets"
CREATE UNIQUE INDEX `ticket_idempotency_key` ON `tickets` (`idempotency_key`);
-- Create index "ticket_status_token" to table: "tickets"
CREATE UNIQUE INDEX `ticket_status_token` ON `tickets` (`status_token`);
-- Create index "ticket_patient_id_checked_in_at" to table: "tickets"
CREATE INDEX `ticket_patient_id_checked_in_at` ON `tickets` (`patient_id`, `checked_in_at`);
-- Create index "ticket_queue_id_ended_at" to table: "tickets"
CREATE INDEX `ticket_queue_id_ended_at` ON `tickets` (`queue_id`, `ended_at`);
-- Create "ticket_events" table
CREATE TABLE `ticket_events` (`id` text NOT NULL, `action` text NOT NULL, `from_status` text NULL, `to_status` text NOT NULL, `triage_level` text NOT NULL, `at` datetime NOT NULL, `actor_id` text NULL, `queue_id` text NOT NULL, `service_point_id` text NULL, `ticket_id` text NOT NULL, PRIMARY KEY (`id`), CONSTRAINT `ticket_events_tickets_events` FOREIGN KEY (`ticket_id`) REFERENCES `tickets` (`id`) ON DELETE NO ACTION);
-- Create index "ticketevent_queue_id_at" to table: "ticket_events"
CREATE INDEX `ticketevent_queue_id_at` ON `ticket_events` (`queue_id`, `at`);
-- Create "users" table
CREATE TABLE `users` (`id` text NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `email` text NULL, `name` text NOT NULL, `role` text NOT NULL, `password_hash` text NULL, `phone` text NULL, `active` bool NOT NULL DEFAULT (true), `last_login_at` datetime NULL, `facility_id` text NULL, PRIMARY KEY (`id`), CONSTRAINT `users_facilities_users` FOREIGN KEY (`facility_id`) REFERENCES `facilities` (`id`) ON DELETE SET NULL);
-- Create index "user_email" to table: "users"
CREATE UNIQUE INDEX `user_email` ON `users` (`email`);
-- Create index "user_phone" to table: "users"
CREATE INDEX `user_phone` ON `users` (`phone`);
-- Create "service_point_queues" table
CREATE TABLE `service_point_queues` (`service_point_id` text NOT NULL, `queue_id` text NOT NULL, PRIMARY KEY (`service_point_id`, `queue_id`), CONSTRAINT `service_point_queues_service_point_id` FOREIGN KEY (`service_point_id`) REFERENCES `service_points` (`id`) ON DELETE CASCADE, CONSTRAINT `service_point_queues_queue_id` FOREIGN KEY (`queue_id`) REFERENCES `queues` (`id`) ON DELETE CASCADE);
