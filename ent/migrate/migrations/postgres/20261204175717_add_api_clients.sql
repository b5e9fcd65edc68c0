-- Create "api_clients" table
CREATE TABLE "api_clients" ("id" character varying NOT NULL, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL, "name" character varying NOT NULL, "facility_id" character varying NOT NULL, "scopes" jsonb NOT NULL, "secret_hash" character varying NOT NULL, "secret_id" character varying NOT NULL, "secret_prefix" character varying NOT NULL, "last_used_at" timestamptz NULL, "revoked_at" timestamptz NULL, "created_by" character varying NULL, PRIMARY KEY ("id"));
-- Create index "apiclient_facility_id" to table: "api_clients"
CREATE INDEX "apiclient_facility_id" ON "api_clients" ("facility_id");
