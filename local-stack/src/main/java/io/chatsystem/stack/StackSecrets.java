package io.chatsystem.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials of the local stack's stores, and the command sides' token secret: generated at the first
 * start and kept in {@code <data>/secrets} (a directory and files its owner alone may read), so a second
 * run finds the same ones. Nothing ships with the code: no one can reach a store with a password read in
 * the sources.
 */
public final class StackSecrets {

    private static final Logger log = LoggerFactory.getLogger(StackSecrets.class);

    public static final String DIRECTORY = "secrets";
    /** The password of MariaDB's user {@code chat}. */
    public static final String MARIADB_PASSWORD = "mariadb-password";
    /** Redis's {@code requirepass}. */
    public static final String REDIS_PASSWORD = "redis-password";
    /** The password of Elasticsearch's user {@code elastic}. */
    public static final String ELASTICSEARCH_PASSWORD = "elasticsearch-password";
    /** The command sides' idempotency token secret: they generate it themselves ({@code IDEMPOTENCY_TOKEN_SECRET_FILE}). */
    public static final String TOKEN_SECRET = "token-secret";

    private static final SecureRandom RANDOM = new SecureRandom();

    private StackSecrets() {
    }

    /** {@code <workDir>/secrets}, created owner-only if missing (and made so if it is not). */
    public static Path directory(Path workDir) {
        Path directory = workDir.resolve(DIRECTORY).toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    /** The secret {@code name} of the stack in {@code workDir}, generated first if it has none yet. */
    public static String get(Path workDir, String name) {
        return getOrCreate(directory(workDir).resolve(name));
    }

    /** The secret {@code name} of a stack that has one (say, a running local run's), without creating any. */
    public static String read(Path workDir, String name) {
        Path file = workDir.resolve(DIRECTORY).resolve(name);
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** 32 random bytes, base64url: letters, digits, {@code -} and {@code _}, safe in SQL, YAML and a command line. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The secret in {@code file}; if there is none, a new one, written to a temporary file beside it (owner-only)
     * and linked to its name, which fails when the name exists: a second process starting at the same time reads
     * the first one's secret instead of replacing it.
     */
    static String getOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                String secret = random();
                Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    Files.writeString(temporary, secret + "\n", StandardCharsets.US_ASCII);
                    Files.createLink(file, temporary);
                    log.info("Generated {}", file);
                    return secret;
                } catch (FileAlreadyExistsException e) {
                    // another process was first: its secret is the one
                } finally {
                    Files.deleteIfExists(temporary);
                }
            }
            String secret = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (secret.isEmpty()) {
                throw new IllegalStateException(file + " is empty: delete it to have a new one generated");
            }
            return secret;
        } catch (FileSystemException e) {
            throw new UncheckedIOException("cannot read or create " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
