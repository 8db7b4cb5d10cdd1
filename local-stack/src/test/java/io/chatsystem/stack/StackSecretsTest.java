package io.chatsystem.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackSecretsTest {

    @TempDir
    Path work;

    @Test
    void aSecretIsGeneratedOnceOwnerOnlyAndReadBack() throws Exception {
        String first = StackSecrets.get(work, StackSecrets.REDIS_PASSWORD);

        assertThat(Base64.getUrlDecoder().decode(first)).hasSize(32);
        assertThat(StackSecrets.get(work, StackSecrets.REDIS_PASSWORD)).isEqualTo(first);
        assertThat(StackSecrets.read(work, StackSecrets.REDIS_PASSWORD)).isEqualTo(first);
        assertThat(StackSecrets.get(work, StackSecrets.MARIADB_PASSWORD)).isNotEqualTo(first);
        Path directory = work.resolve(StackSecrets.DIRECTORY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                directory.resolve(StackSecrets.REDIS_PASSWORD)))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder(StackSecrets.REDIS_PASSWORD, StackSecrets.MARIADB_PASSWORD);
        }
    }

    @Test
    void aDirectoryOthersCouldReadIsClosed() throws Exception {
        Path directory = Files.createDirectories(work.resolve(StackSecrets.DIRECTORY));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));

        StackSecrets.get(work, StackSecrets.ELASTICSEARCH_PASSWORD);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
    }
}
