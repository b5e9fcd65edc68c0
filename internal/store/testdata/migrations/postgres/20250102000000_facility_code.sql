-- Modify "facilities" table
ALTER TABLE "facilities" ADD COLUMN "code" character varying NOT NULL DEFAULT '';
-- Create index "facilities_code_key" to table: "facilities"
CREATE INDEX "facilities_code" ON "facilities" ("code");
