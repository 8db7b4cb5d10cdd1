-- Several query-side instances share the projections (see io.chatsystem.query.replay and .instances).

-- Replays asked of a projection. Every instance follows the open ones: it stops the projection and
-- releases its segments; one instance then resets the tokens (and so clears the read store) and marks
-- the request done, and all start the projection again. open_for holds the projection's name while the
-- request is open (NULL once done): the unique key allows one open request per projection.
CREATE TABLE projection_replays (
    id           BIGINT       NOT NULL AUTO_INCREMENT,
    projection   VARCHAR(255) NOT NULL,
    open_for     VARCHAR(255) NULL,
    requested_at DATETIME(6)  NOT NULL,
    reset_at     DATETIME(6)  NULL,
    reset_by     VARCHAR(255) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY ux_projection_replays_open (open_for)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The query-side instances alive: each writes its row every few seconds (database time), so that the
-- projections' segments can be shared out evenly among them.
CREATE TABLE query_side_instances (
    node_id VARCHAR(255) NOT NULL,
    seen_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (node_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
