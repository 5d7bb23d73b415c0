-- The customer messages stored before Steward read sentiment and distress are read once, in the background:
-- one understanding.read_history job per workspace with messages (src/modules/understanding/read-history.job.ts).
-- A database without messages (a new one) gets none.
INSERT INTO "jobs" ("workspace_id", "type", "payload", "run_at", "dedupe_key", "created_at", "updated_at")
SELECT w."id", 'understanding.read_history', '{"afterId":0,"chunk":500}'::jsonb, now(),
  'understanding-read-history:' || w."id", now(), now()
FROM "workspaces" w
WHERE EXISTS (SELECT 1 FROM "messages" m WHERE m."workspace_id" = w."id")
ON CONFLICT DO NOTHING;
