-- Modify "refresh_tokens" table
ALTER TABLE "refresh_tokens" ADD COLUMN "session_started_at" timestamptz NULL;
