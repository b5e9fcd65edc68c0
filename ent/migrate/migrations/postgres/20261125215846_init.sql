-- Create "audit_entries" table
CREATE TABLE "audit_entries" ("id" character varying NOT NULL, "at" timestamptz NOT NULL, "actor_id" character varying NULL, "actor_role" character varying NULL, "action" character varying NOT NULL, "entity_type" character varying NOT NULL, "entity_id" character varying NULL, "before" jsonb NULL, "after" jsonb NULL, "request_id" character varying NULL, "address" character varying NULL, "facility_id" character varying NULL, PRIMARY KEY ("id"));
-- Create index "auditentry_actor_id" to table: "audit_entries"
CREATE INDEX "auditentry_actor_id" ON "audit_entries" ("actor_id");
-- Create index "auditentry_at" to table: "audit_entries"
CREATE INDEX "auditentry_at" ON "audit_entries" ("at");
-- Create index "auditentry_entity_type_entity_id" to table: "audit_entries"
CREATE INDEX "auditentry_entity_type_entity_id" ON "audit_entries" ("entity_type", "entity_id");
-- Create "daily_reports" table
CREATE TABLE "daily_reports" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "day" character varying NOT NULL, "department_id" character varying NOT NULL, "queue_id" character varying NULL, "arrivals" bigint NOT NULL DEFAULT 0, "served" bigint NOT NULL DEFAULT 0, "no_shows" bigint NOT NULL DEFAULT 0, "cancellations" bigint NOT NULL DEFAULT 0, "median_wait_seconds" bigint NULL, "p90_wait_seconds" bigint NULL, "median_service_seconds" bigint NULL, "within_target" jsonb NULL, PRIMARY KEY ("id"));
-- Create index "dailyreport_department_id_queue_id_day" to table: "daily_reports"
CREATE UNIQUE INDEX "dailyreport_department_id_queue_id_day" ON "daily_reports" ("department_id", "queue_id", "day");
-- Create "facilities" table
CREATE TABLE "facilities" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "timezone" character varying NOT NULL DEFAULT 'UTC', "active" boolean NOT NULL DEFAULT true, PRIMARY KEY ("id"));
-- Create "login_codes" table
CREATE TABLE "login_codes" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "phone" character varying NOT NULL, "code_hash" character varying NOT NULL, "expires_at" timestamptz NOT NULL, "attempts" bigint NOT NULL DEFAULT 0, "consumed_at" timestamptz NULL, PRIMARY KEY ("id"));
-- Create index "logincode_phone_created_at" to table: "login_codes"
CREATE INDEX "logincode_phone_created_at" ON "login_codes" ("phone", "created_at");
-- Create "notifications" table
CREATE TABLE "notifications" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "channel" character varying NOT NULL, "kind" character varying NOT NULL, "recipient" character varying NULL, "body" text NULL, "status" character varying NOT NULL DEFAULT 'PENDING', "attempts" bigint NOT NULL DEFAULT 0, "error" character varying NULL, "provider_id" character varying NULL, "sent_at" timestamptz NULL, "ticket_id" character varying NULL, "patient_id" character varying NULL, PRIMARY KEY ("id"));
-- Create index "notification_provider_id" to table: "notifications"
CREATE INDEX "notification_provider_id" ON "notifications" ("provider_id");
-- Create index "notification_status_created_at" to table: "notifications"
CREATE INDEX "notification_status_created_at" ON "notifications" ("status", "created_at");
-- Create index "notification_ticket_id" to table: "notifications"
CREATE INDEX "notification_ticket_id" ON "notifications" ("ticket_id");
-- Create "users" table
CREATE TABLE "users" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "email" character varying NULL, "name" character varying NOT NULL, "role" character varying NOT NULL, "password_hash" character varying NULL, "phone" character varying NULL, "active" boolean NOT NULL DEFAULT true, "last_login_at" timestamptz NULL, "facility_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "users_facilities_users" FOREIGN KEY ("facility_id") REFERENCES "facilities" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- Create index "user_email" to table: "users"
CREATE UNIQUE INDEX "user_email" ON "users" ("email");
-- Create index "user_phone" to table: "users"
CREATE INDEX "user_phone" ON "users" ("phone");
-- Create "patients" table
CREATE TABLE "patients" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "mrn" character varying NULL, "given_name" character varying NOT NULL, "family_name" character varying NOT NULL, "date_of_birth" timestamptz NULL, "phone" character varying NULL, "language" character varying NOT NULL DEFAULT 'en', "sms_opt_in" boolean NOT NULL DEFAULT true, "facility_id" character varying NOT NULL, "account_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "patients_facilities_patients" FOREIGN KEY ("facility_id") REFERENCES "facilities" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "patients_users_patients" FOREIGN KEY ("account_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- Create index "patient_facility_id_family_name_given_name" to table: "patients"
CREATE INDEX "patient_facility_id_family_name_given_name" ON "patients" ("facility_id", "family_name", "given_name");
-- Create index "patient_facility_id_mrn" to table: "patients"
CREATE UNIQUE INDEX "patient_facility_id_mrn" ON "patients" ("facility_id", "mrn");
-- Create index "patient_phone" to table: "patients"
CREATE INDEX "patient_phone" ON "patients" ("phone");
-- Create "departments" table
CREATE TABLE "departments" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "active" boolean NOT NULL DEFAULT true, "facility_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "departments_facilities_departments" FOREIGN KEY ("facility_id") REFERENCES "facilities" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "department_facility_id_name" to table: "departments"
CREATE UNIQUE INDEX "department_facility_id_name" ON "departments" ("facility_id", "name");
-- Create "queues" table
CREATE TABLE "queues" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "prefix" character varying NOT NULL, "ordering" character varying NOT NULL DEFAULT 'TRIAGE', "active" boolean NOT NULL DEFAULT true, "version" bigint NOT NULL DEFAULT 0, "notify_ahead" bigint NOT NULL DEFAULT 3, "default_service_minutes" bigint NOT NULL DEFAULT 10, "target_immediate_minutes" bigint NOT NULL DEFAULT 0, "target_very_urgent_minutes" bigint NOT NULL DEFAULT 10, "target_urgent_minutes" bigint NOT NULL DEFAULT 60, "target_standard_minutes" bigint NOT NULL DEFAULT 120, "target_non_urgent_minutes" bigint NOT NULL DEFAULT 240, "department_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "queues_departments_queues" FOREIGN KEY ("department_id") REFERENCES "departments" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "queue_department_id_name" to table: "queues"
CREATE UNIQUE INDEX "queue_department_id_name" ON "queues" ("department_id", "name");
-- Create "appointments" table
CREATE TABLE "appointments" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "scheduled_at" timestamptz NOT NULL, "status" character varying NOT NULL DEFAULT 'SCHEDULED', "external_ref" character varying NULL, "note" character varying NULL, "queue_id" character varying NOT NULL, "patient_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "appointments_patients_appointments" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "appointments_queues_queue" FOREIGN KEY ("queue_id") REFERENCES "queues" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "appointment_external_ref" to table: "appointments"
CREATE INDEX "appointment_external_ref" ON "appointments" ("external_ref");
-- Create index "appointment_queue_id_scheduled_at" to table: "appointments"
CREATE INDEX "appointment_queue_id_scheduled_at" ON "appointments" ("queue_id", "scheduled_at");
-- Create "devices" table
CREATE TABLE "devices" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "platform" character varying NOT NULL, "push_token" character varying NOT NULL, "last_seen_at" timestamptz NULL, "patient_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "devices_patients_devices" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "devices_push_token_key" to table: "devices"
CREATE UNIQUE INDEX "devices_push_token_key" ON "devices" ("push_token");
-- Create "refresh_tokens" table
CREATE TABLE "refresh_tokens" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "token_hash" character varying NOT NULL, "family_id" character varying NOT NULL, "expires_at" timestamptz NOT NULL, "used_at" timestamptz NULL, "revoked_at" timestamptz NULL, "address" character varying NULL, "user_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "refresh_tokens_users_refresh_tokens" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "refresh_tokens_token_hash_key" to table: "refresh_tokens"
CREATE UNIQUE INDEX "refresh_tokens_token_hash_key" ON "refresh_tokens" ("token_hash");
-- Create index "refreshtoken_family_id" to table: "refresh_tokens"
CREATE INDEX "refreshtoken_family_id" ON "refresh_tokens" ("family_id");
-- Create "service_points" table
CREATE TABLE "service_points" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "open" boolean NOT NULL DEFAULT true, "active" boolean NOT NULL DEFAULT true, "department_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "service_points_departments_service_points" FOREIGN KEY ("department_id") REFERENCES "departments" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create "service_point_queues" table
CREATE TABLE "service_point_queues" ("service_point_id" character varying NOT NULL, "queue_id" character varying NOT NULL, PRIMARY KEY ("service_point_id", "queue_id"), CONSTRAINT "service_point_queues_queue_id" FOREIGN KEY ("queue_id") REFERENCES "queues" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "service_point_queues_service_point_id" FOREIGN KEY ("service_point_id") REFERENCES "service_points" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create "tickets" table
CREATE TABLE "tickets" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "code" character varying NOT NULL, "service_day" character varying NOT NULL, "seq" bigint NOT NULL, "status" character varying NOT NULL DEFAULT 'WAITING', "triage_level" character varying NOT NULL DEFAULT 'STANDARD', "source" character varying NOT NULL DEFAULT 'WALK_IN', "note" character varying NULL, "checked_in_at" timestamptz NOT NULL, "target_at" timestamptz NOT NULL, "called_at" timestamptz NULL, "started_at" timestamptz NULL, "ended_at" timestamptz NULL, "recall_count" bigint NOT NULL DEFAULT 0, "cancel_reason" character varying NULL, "status_token" character varying NOT NULL, "idempotency_key" character varying NULL, "notified_ahead" boolean NOT NULL DEFAULT false, "appointment_id" character varying NULL, "patient_id" character varying NOT NULL, "queue_id" character varying NOT NULL, "service_point_id" character varying NULL, "called_by_id" character varying NULL, "previous_id" character varying NULL, PRIMARY KEY ("id"), CONSTRAINT "tickets_appointments_tickets" FOREIGN KEY ("appointment_id") REFERENCES "appointments" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "tickets_patients_tickets" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "tickets_queues_tickets" FOREIGN KEY ("queue_id") REFERENCES "queues" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION, CONSTRAINT "tickets_service_points_tickets" FOREIGN KEY ("service_point_id") REFERENCES "service_points" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "tickets_tickets_next" FOREIGN KEY ("previous_id") REFERENCES "tickets" ("id") ON UPDATE NO ACTION ON DELETE SET NULL, CONSTRAINT "tickets_users_called_by" FOREIGN KEY ("called_by_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);
-- Create index "ticket_idempotency_key" to table: "tickets"
CREATE UNIQUE INDEX "ticket_idempotency_key" ON "tickets" ("idempotency_key");
-- Create index "ticket_patient_id_checked_in_at" to table: "tickets"
CREATE INDEX "ticket_patient_id_checked_in_at" ON "tickets" ("patient_id", "checked_in_at");
-- Create index "ticket_queue_id_ended_at" to table: "tickets"
CREATE INDEX "ticket_queue_id_ended_at" ON "tickets" ("queue_id", "ended_at");
-- Create index "ticket_queue_id_service_day_seq" to table: "tickets"
CREATE UNIQUE INDEX "ticket_queue_id_service_day_seq" ON "tickets" ("queue_id", "service_day", "seq");
-- Create index "ticket_queue_id_status_target_at" to table: "tickets"
CREATE INDEX "ticket_queue_id_status_target_at" ON "tickets" ("queue_id", "status", "target_at");
-- Create index "ticket_status_token" to table: "tickets"
CREATE UNIQUE INDEX "ticket_status_token" ON "tickets" ("status_token");
-- Create index "tickets_previous_id_key" to table: "tickets"
CREATE UNIQUE INDEX "tickets_previous_id_key" ON "tickets" ("previous_id");
-- Create "ticket_events" table
CREATE TABLE "ticket_events" ("id" character varying NOT NULL, "action" character varying NOT NULL, "from_status" character varying NULL, "to_status" character varying NOT NULL, "triage_level" character varying NOT NULL, "at" timestamptz NOT NULL, "actor_id" character varying NULL, "queue_id" character varying NOT NULL, "service_point_id" character varying NULL, "ticket_id" character varying NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "ticket_events_tickets_events" FOREIGN KEY ("ticket_id") REFERENCES "tickets" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "ticketevent_queue_id_at" to table: "ticket_events"
CREATE INDEX "ticketevent_queue_id_at" ON "ticket_events" ("queue_id", "at");
