-- Read model of the query side. Keys are the public identities (token, numbers): no internal id
-- exists to leak, and no projection depends on another's rows. Tokens compare byte for byte.

CREATE TABLE applications (
    token       VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name        VARCHAR(255) NOT NULL,
    chats_count INT          NOT NULL DEFAULT 0,
    created_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (token),
    KEY ix_applications_created (created_at, token)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE chats (
    application_token VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    number            INT         NOT NULL,
    messages_count    INT         NOT NULL DEFAULT 0,
    created_at        DATETIME(6) NOT NULL,
    PRIMARY KEY (application_token, number)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE messages (
    application_token VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    chat_number       INT         NOT NULL,
    number            INT         NOT NULL,
    body              MEDIUMTEXT  NOT NULL,
    created_at        DATETIME(6) NOT NULL,
    updated_at        DATETIME(6) NULL,
    PRIMARY KEY (application_token, chat_number, number)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Axon's tracking tokens: each projection's position in the event stream, committed with its writes.
CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INT          NOT NULL,
    owner          VARCHAR(255),
    timestamp      VARCHAR(255) NOT NULL,
    token          LONGBLOB,
    token_type     VARCHAR(255),
    PRIMARY KEY (processor_name, segment)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
