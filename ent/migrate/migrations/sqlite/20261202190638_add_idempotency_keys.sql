-- Create "idempotency_keys" table
CREATE TABLE `idempotency_keys` (`id` text NOT NULL, `actor_id` text NOT NULL, `key` text NOT NULL, `action` text NOT NULL, `target_id` text NOT NULL, `request_hash` text NOT NULL, `ticket_id` text NOT NULL, `created_at` datetime NOT NULL, PRIMARY KEY (`id`));
-- Create index "idempotencykey_actor_id_key" to table: "idempotency_keys"
CREATE UNIQUE INDEX `idempotencykey_actor_id_key` ON `idempotency_keys` (`actor_id`, `key`);
-- Create index "idempotencykey_created_at" to table: "idempotency_keys"
CREATE INDEX `idempotencykey_created_at` ON `idempotency_keys` (`created_at`);
