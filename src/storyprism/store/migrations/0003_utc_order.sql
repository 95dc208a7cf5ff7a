-- Schema 3: stories are ordered and filtered by their time span in UTC. The published times keep the offset
-- each page gave ("2031-03-14T13:42:00+02:00"), and comparing those as text misorders times in different
-- zones; SQLite's strftime turns each into UTC ("2031-03-14T11:42:00Z"; a time without offset is taken as
-- UTC, a date alone as its midnight).

ALTER TABLE stories ADD COLUMN start_utc TEXT;
ALTER TABLE stories ADD COLUMN end_utc TEXT;
UPDATE stories SET start_utc = strftime('%Y-%m-%dT%H:%M:%SZ', start), end_utc = strftime('%Y-%m-%dT%H:%M:%SZ', end_);
DROP INDEX stories_by_end;
CREATE INDEX stories_by_end_utc ON stories (end_utc DESC, id DESC);
