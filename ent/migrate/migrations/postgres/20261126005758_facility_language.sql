-- Modify "facilities" table
ALTER TABLE "facilities" ADD COLUMN "language" character varying NOT NULL DEFAULT 'en';
