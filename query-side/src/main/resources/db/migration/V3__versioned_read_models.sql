-- Blue/green rebuilds (see io.chatsystem.query.replay.Projections). Each projection's read model exists
-- in versions: a version is built by its own processor (named <projection>-v<version>, with its own
-- tokens) into its own table; readers read the live version through a view named as the table was.
-- A rebuild is a new version beside the live one; once it has caught up, the view is pointed at it
-- and the old version's table is dropped.

CREATE TABLE projection_versions (
    projection VARCHAR(64) NOT NULL,
    version    INT         NOT NULL,
    -- building, live or retired
    state      VARCHAR(16) NOT NULL,
    -- the projection's name while the version is building (NULL otherwise): one rebuild at a time
    building   VARCHAR(64) NULL,
    created_at DATETIME(6) NOT NULL,
    changed_at DATETIME(6) NOT NULL,
    PRIMARY KEY (projection, version),
    UNIQUE KEY ux_projection_versions_building (building)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;

DROP TABLE projection_replays;

-- The counts live in tables of their own: a rebuilt application or chat table starts without them,
-- and a count only ever rises (the flusher writes the higher of the stored and the new figure).
CREATE TABLE application_counts (
    token       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    chats_count BIGINT      NOT NULL,
    PRIMARY KEY (token)
) ENGINE = InnoDB;

CREATE TABLE chat_counts (
    application_token VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    number            INT         NOT NULL,
    messages_count    BIGINT      NOT NULL,
    PRIMARY KEY (application_token, number)
) ENGINE = InnoDB;

INSERT INTO application_counts (token, chats_count) SELECT token, chats_count FROM applications WHERE chats_count > 0;
INSERT INTO chat_counts (application_token, number, messages_count)
    SELECT application_token, number, messages_count FROM chats WHERE messages_count > 0;

ALTER TABLE applications DROP COLUMN chats_count;
ALTER TABLE chats DROP COLUMN messages_count;

-- What each new version's table is made like (CREATE TABLE ... LIKE): a change of schema goes here.
CREATE TABLE applications_template LIKE applications;
CREATE TABLE chats_template LIKE chats;
CREATE TABLE messages_template LIKE messages;

-- The tables so far become version 1, their processors' tokens with them.
RENAME TABLE applications TO applications_v1, chats TO chats_v1, messages TO messages_v1;
CREATE VIEW applications AS SELECT * FROM applications_v1;
CREATE VIEW chats AS SELECT * FROM chats_v1;
CREATE VIEW messages AS SELECT * FROM messages_v1;

INSERT INTO projection_versions (projection, version, state, created_at, changed_at) VALUES
    ('applications', 1, 'live', NOW(6), NOW(6)),
    ('chats', 1, 'live', NOW(6), NOW(6)),
    ('messages', 1, 'live', NOW(6), NOW(6));
UPDATE token_entry SET processor_name = CONCAT(processor_name, '-v1')
    WHERE processor_name IN ('applications', 'chats', 'messages');

-- The counts' figures in Redis and the search index get a first version at the next start: the counts
-- from the first event (the count tables keep their figures meanwhile), the search index built beside
-- the current one, which answers until the new one has caught up.
DELETE FROM token_entry WHERE processor_name IN ('counts', 'search');
