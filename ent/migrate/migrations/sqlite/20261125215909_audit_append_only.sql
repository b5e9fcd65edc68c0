-- atlas:delimiter -- end

-- Hand-written: Atlas does not model triggers, so the generator never sees (or drops) these.
-- Audit entries are evidence (DESIGN.md: "nothing can update or delete audit entries"). SQLite has no
-- TRUNCATE. DROP TABLE removes triggers, so a later migration that makes Atlas rebuild audit_entries
-- (SQLite alters tables by copying them) must create these two again; the migration tests catch it.
-- The delimiter directive above keeps each BEGIN ... END body in one statement for any Atlas scanner
-- (the SQLite driver's own scanner already does, the generic one splits at the inner semicolon).
CREATE TRIGGER `audit_entries_no_update` BEFORE UPDATE ON `audit_entries`
BEGIN
  SELECT RAISE(ABORT, 'audit entries are append-only');
END;
-- end

CREATE TRIGGER `audit_entries_no_delete` BEFORE DELETE ON `audit_entries`
BEGIN
  SELECT RAISE(ABORT, 'audit entries are append-only');
END;
-- end
