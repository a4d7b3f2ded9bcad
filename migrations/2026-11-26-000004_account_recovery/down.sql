DROP TABLE person_links;
DROP INDEX sessions_person;
ALTER TABLE sessions DROP COLUMN person_id;
