-- The minimal check-in transaction CareQueue runs for a walk-in (carequeue-load -checkin): lock and bump
-- the queue, register the patient, insert the ticket, its event, the audit entry (chained), and the
-- two notification jobs (the check-in message and the "notify ahead" pass) with River's notify.
-- Variables: nq (queues), fid (facility id). Run with -M prepared, as the server's pgx does.
\set qn random(0, :nq - 1)
BEGIN;
UPDATE queues SET updated_at = now(), version = version + 1 WHERE id = (SELECT id FROM queues ORDER BY id LIMIT 1 OFFSET :qn) RETURNING id AS qid, version AS v \gset
INSERT INTO patients (id, created_at, updated_at, given_name, family_name, language, sms_opt_in, facility_id) VALUES ('PA' || md5(random()::text), now(), now(), 'Bench', 'Load', 'en', false, :fid) RETURNING id AS pid \gset
INSERT INTO tickets (id, created_at, updated_at, code, service_day, seq, status, triage_level, awaiting_triage, source, checked_in_at, arrived_at, target_at, recall_count, status_token, notified_ahead, patient_id, queue_id) VALUES ('TK' || md5(random()::text), now(), now(), 'B' || :v::text, current_date::text, :v, 'WAITING', 'STANDARD', false, 'WALK_IN', now(), now(), now() + interval '2 hours', 0, md5(random()::text), false, :pid, :qid) RETURNING id AS tid \gset
INSERT INTO ticket_events (id, action, to_status, triage_level, at, queue_id, ticket_id) VALUES ('TE' || md5(random()::text), 'CHECK_IN', 'WAITING', 'STANDARD', now(), :qid, :tid);
INSERT INTO audit_chain_heads (id, seq) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET seq = audit_chain_heads.seq + 1 RETURNING seq AS aseq \gset
INSERT INTO audit_entries (id, at, action, entity_type, entity_id, after, facility_id, seq, prev_hash, hash) VALUES ('AU' || md5(random()::text), now(), 'ticket.checkIn', 'Ticket', :tid, jsonb_build_object('id', :tid::text, 'queue_id', :qid::text, 'patient_id', :pid::text, 'status', 'WAITING'), :fid, :aseq, md5(:aseq::text), md5(random()::text));
INSERT INTO river_job (args, kind, max_attempts, queue, state, unique_key, unique_states) VALUES (jsonb_build_object('ticket_id', :tid::text, 'kind', 'checked_in', 'version', :v::int), 'notify_ticket_message', 5, 'notify', 'available', decode(md5(random()::text), 'hex'), B'11111111'), (jsonb_build_object('queue_id', :qid::text, 'version', :v::int), 'notify_queue_ahead', 5, 'notify_ahead', 'available', decode(md5(random()::text), 'hex'), B'11111111');
SELECT pg_notify('river_insert', :qid::text);
COMMIT;
