-- Hand-written: copies the idempotency keys of the two old stores (tickets.idempotency_key for check-in,
-- ticket_events.idempotency_key for the other workflows) into idempotency_keys, so a client retrying
-- across the upgrade still gets its first result. The old columns are no longer read or written; they
-- are dropped in a later release, once no replica of the previous one can be running. The old
-- rows did not record the call's target or arguments: they are carried with an empty target_id and
-- request_hash, which the replay rule reads as "not recorded" (matched on actor, key and action only,
-- as before). Keys expire after a day, so these rows are gone a day after the upgrade.
INSERT INTO idempotency_keys (id, actor_id, key, action, target_id, request_hash, ticket_id, created_at)
SELECT 'IK' || substr(e.id, 3),
       coalesce(e.actor_id, ''),
       e.idempotency_key,
       CASE WHEN e.action = 'CHECK_IN' AND t.source = 'TRANSFER' THEN 'TRANSFER' ELSE e.action END,
       '',
       '',
       e.ticket_id,
       e.at
FROM ticket_events e
JOIN tickets t ON t.id = e.ticket_id
WHERE e.idempotency_key IS NOT NULL;

INSERT INTO idempotency_keys (id, actor_id, key, action, target_id, request_hash, ticket_id, created_at)
SELECT 'IK' || substr(t.id, 3),
       coalesce((SELECT e.actor_id FROM ticket_events e WHERE e.ticket_id = t.id AND e.action = 'CHECK_IN' LIMIT 1), ''),
       t.idempotency_key,
       'CHECK_IN',
       '',
       '',
       t.id,
       t.checked_in_at
FROM tickets t
WHERE t.idempotency_key IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM idempotency_keys k
    WHERE k.key = t.idempotency_key
      AND k.actor_id = coalesce((SELECT e.actor_id FROM ticket_events e WHERE e.ticket_id = t.id AND e.action = 'CHECK_IN' LIMIT 1), '')
  );
