-- Create "idempotency_keys" table
CREATE TABLE "idempotency_keys" ("id" character varying NOT NULL, "actor_id" character varying NOT NULL, "key" character varying NOT NULL, "action" character varying NOT NULL, "target_id" character varying NOT NULL, "request_hash" character varying NOT NULL, "ticket_id" character varying NOT NULL, "created_at" timestamptz NOT NULL, PRIMARY KEY ("id"));
-- Create index "idempotencykey_actor_id_key" to table: "idempotency_keys"
CREATE UNIQUE INDEX "idempotencykey_actor_id_key" ON "idempotency_keys" ("actor_id", "key");
-- Create index "idempotencykey_created_at" to table: "idempotency_keys"
CREATE INDEX "idempotencykey_created_at" ON "idempotency_keys" ("created_at");
