-- Modify "facilities" table
ALTER TABLE "facilities" ADD COLUMN "locale" character varying NOT NULL DEFAULT 'en-GB';
-- Existing facilities: their language's home locale (locale.Derive), and US formats for English in an
-- American zone, where day-month dates would be misread. Admins change it on the facility form.
UPDATE "facilities" SET locale = CASE
  WHEN language = 'es' THEN 'es-ES'
  WHEN language = 'fr' THEN 'fr-FR'
  WHEN language = 'en' AND timezone LIKE 'America/%' THEN 'en-US'
  ELSE 'en-GB'
END;
