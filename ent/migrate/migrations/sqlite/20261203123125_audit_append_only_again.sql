-- atlas:delimiter -- end

-- Hand-written: the previous migration rebuilt audit_entries (SQLite alters tables by copying them),
-- which dropped the append-only triggers of 20261125215909_audit_append_only.sql; these are the same two.
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
