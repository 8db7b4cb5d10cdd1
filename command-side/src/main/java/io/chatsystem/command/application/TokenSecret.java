package io.chatsystem.command.application;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret {@link ApplicationTokens} derives tokens with. There is no default: it is either configured
 * ({@code chat.idempotency.token-secret}, {@code IDEMPOTENCY_TOKEN_SECRET}), or kept in a file
 * ({@code chat.idempotency.token-secret-file}, {@code IDEMPOTENCY_TOKEN_SECRET_FILE}) that the first command
 * side to start generates: 32 random bytes, base64url, readable by its owner only. The file appears whole or
 * not at all (written beside it, then linked to its name, which fails if it exists), so command sides that
 * share it and start together agree on one secret. With neither set the command side does not start: a
 * secret made up per process would differ between instances and change at every restart, and repeats of a
 * creation would no longer be recognised.
 */
public final class TokenSecret {

    private static final Logger log = LoggerFactory.getLogger(TokenSecret.class);

    static final int BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The default this setting had, published with the code: anyone could derive tokens with it. */
    private static final String FORMER_DEFAULT = "change-me-chat-system-token-secret";

    private TokenSecret() {
    }

    /**
     * The configured secret when it is not blank; else the one in {@code file}, generated there first if the
     * file does not exist yet.
     *
     * @throws IllegalStateException when neither is set, or the file cannot be read or written
     */
    public static String resolve(String configured, String file) {
        if (configured != null && !configured.isBlank()) {
            if (configured.equals(FORMER_DEFAULT)) {
                log.warn("The idempotency token secret is the former published default: anyone who knows an"
                        + " Idempotency-Key can derive the token of the application it created. Set a secret of your"
                        + " own, or leave it unset to have one generated (chat.idempotency.token-secret-file)");
            }
            return configured;
        }
        if (file == null || file.isBlank()) {
            throw new IllegalStateException("No secret for the tokens of applications created with an Idempotency-Key:"
                    + " set chat.idempotency.token-secret (IDEMPOTENCY_TOKEN_SECRET) to a long random string, or"
                    + " chat.idempotency.token-secret-file (IDEMPOTENCY_TOKEN_SECRET_FILE) to a file the command side"
                    + " keeps a generated one in (created at the first start; every command side must use the same one)");
        }
        return fromFile(Path.of(file));
    }

    /** The secret in {@code file}, generated there first if it does not exist. */
    static String fromFile(Path file) {
        Path path = file.toAbsolutePath().normalize();
        try {
            if (!Files.exists(path)) {
                String generated = generate();
                if (createOnce(path, generated)) {
                    log.info("Generated the idempotency token secret in {} (keep it: tokens derived from it depend on it)",
                            path);
                    return generated;
                }
                // another command side created it first: its secret is the one
            }
            return read(path);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or create the idempotency token secret file " + path + ": " + e, e);
        }
    }

    private static String generate() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Writes {@code secret} to a file of its own in {@code file}'s directory, then gives it {@code file}'s name
     * unless that exists: true if this call created {@code file}.
     */
    private static boolean createOnce(Path file, String secret) throws IOException {
        Path directory = file.getParent();
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(directory)) {
            if (posix) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            } else {
                Files.createDirectories(directory);
            }
        }
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp", ownerOnly);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer content = ByteBuffer.wrap((secret + "\n").getBytes(StandardCharsets.US_ASCII));
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true);
            }
            return publish(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * A hard link fails when the name exists, atomically. ({@link Files#move} without {@code REPLACE_EXISTING}
     * checks first and renames after, and a rename replaces: two command sides starting together could each
     * keep a secret of their own.) A file system without hard links gets the move.
     */
    private static boolean publish(Path temporary, Path file) throws IOException {
        try {
            Files.createLink(file, temporary);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof FileSystemException && Files.exists(file)) {
                return false;
            }
            try {
                Files.move(temporary, file);
                return true;
            } catch (FileAlreadyExistsException exists) {
                return false;
            }
        }
    }

    private static String read(Path file) throws IOException {
        String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (secret.isEmpty()) {
            throw new IllegalStateException("The idempotency token secret file " + file + " is empty: delete it to have"
                    + " a new secret generated (tokens derived from the old one will no longer match), or write the"
                    + " secret in it");
        }
        warnIfOthersMayAccess(file);
        return secret;
    }

    /**
     * Only a warning: the file may be a secret the platform mounts (a Kubernetes secret volume is 0644 unless told
     * otherwise, a compose secret keeps its file's mode), whose mode the command side does not choose.
     */
    private static void warnIfOthersMayAccess(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                log.warn("The idempotency token secret file {} is accessible to other users ({}): make it readable by"
                        + " its owner only (chmod 600)", file, PosixFilePermissions.toString(permissions));
            }
        } catch (UnsupportedOperationException | IOException e) {
            // no POSIX permissions here: nothing to check
        }
    }
}
