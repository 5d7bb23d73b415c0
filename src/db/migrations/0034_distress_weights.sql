-- A conversation's distress level becomes the sum of its signals' weights (distressWeight in
-- src/db/schema/understanding.ts) instead of their count: a threat outweighs a reminder in "most distressed".
UPDATE "conversations" SET "distress_level" = (
  SELECT coalesce(sum(CASE s
    WHEN 'legal_threat' THEN 3 WHEN 'churn_threat' THEN 3
    WHEN 'anger' THEN 2 WHEN 'repeat_contact' THEN 2 WHEN 'high_effort' THEN 2
    WHEN 'urgency' THEN 1 ELSE 0 END), 0)
  FROM (SELECT DISTINCT unnest("distress_signals") AS s) d
)
WHERE "distress_level" > 0;
