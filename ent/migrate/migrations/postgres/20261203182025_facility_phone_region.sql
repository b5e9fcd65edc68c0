-- Modify "facilities" table
ALTER TABLE "facilities" ADD COLUMN "phone_region" character varying NOT NULL DEFAULT 'GB';
