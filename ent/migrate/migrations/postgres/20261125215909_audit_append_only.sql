-- Hand-written: Atlas does not model triggers, so the generator never sees (or drops) these.
-- Audit entries are evidence (DESIGN.md: "nothing can update or delete audit entries"). The database
-- enforces it below the application, so neither a bug nor a hand-typed statement can rewrite history.
CREATE FUNCTION "audit_entries_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit entries are append-only' USING ERRCODE = 'restrict_violation';
END;
$$;
-- Row level: every UPDATE or DELETE that touches an entry fails, whatever the WHERE clause.
CREATE TRIGGER "audit_entries_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_entries"
  FOR EACH ROW EXECUTE FUNCTION "audit_entries_append_only"();
-- TRUNCATE fires no row triggers, so it gets its own statement-level one.
CREATE TRIGGER "audit_entries_no_truncate" BEFORE TRUNCATE ON "audit_entries"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_entries_append_only"();
