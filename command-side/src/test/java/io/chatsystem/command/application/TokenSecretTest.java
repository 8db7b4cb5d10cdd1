package io.chatsystem.command.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSecretTest {

    @TempDir
    Path directory;

    @Test
    void generatesASecretOnceAndReadsTheSameBack() throws Exception {
        Path file = directory.resolve("token-secret");

        String first = TokenSecret.resolve("", file.toString());

        assertThat(Base64.getUrlDecoder().decode(first)).hasSize(TokenSecret.BYTES);
        assertThat(Files.readString(file).strip()).isEqualTo(first);
        assertThat(TokenSecret.resolve(null, file.toString())).isEqualTo(first);
        assertThat(TokenSecret.resolve(" ", file.toString())).isEqualTo(first);
        // another file, another secret
        assertThat(TokenSecret.resolve("", directory.resolve("other").toString())).isNotEqualTo(first);
    }

    @Test
    void theFileAndTheDirectoriesItCreatesAreTheOwnersOnly() throws Exception {
        Path file = directory.resolve("secrets/nested/token-secret");

        TokenSecret.resolve("", file.toString());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("secrets"))))
                .isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).as("nothing left behind but the secret").containsExactly(file);
        }
    }

    @Test
    void creatorsRacingForOneFileAgreeOnOneSecret() throws Exception {
        int creators = 8;
        ExecutorService threads = Executors.newFixedThreadPool(creators);
        try {
            for (int round = 0; round < 100; round++) {
                Path file = directory.resolve("race-" + round + "/token-secret");
                CyclicBarrier start = new CyclicBarrier(creators);
                List<Future<String>> secrets = new ArrayList<>();
                for (int i = 0; i < creators; i++) {
                    secrets.add(threads.submit(() -> {
                        start.await();
                        return TokenSecret.resolve("", file.toString());
                    }));
                }
                Set<String> distinct = new HashSet<>();
                for (Future<String> secret : secrets) {
                    distinct.add(secret.get());
                }
                assertThat(distinct).as("round %d", round).containsExactly(Files.readString(file).strip());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aConfiguredSecretWins() {
        Path file = directory.resolve("token-secret");

        assertThat(TokenSecret.resolve("configured secret", file.toString())).isEqualTo("configured secret");
        assertThat(file).doesNotExist();
    }

    @Test
    void aSecretWrittenByHandIsReadAsItIs() throws Exception {
        Path file = directory.resolve("token-secret");
        Files.writeString(file, "my own secret\n");
        // a mounted secret may be readable by others: used, with a warning
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(TokenSecret.resolve("", file.toString())).isEqualTo("my own secret");
    }

    @Test
    void withoutASecretOrAFileTheCommandSideDoesNotStart() {
        assertThatThrownBy(() -> TokenSecret.resolve("", ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("IDEMPOTENCY_TOKEN_SECRET").hasMessageContaining("IDEMPOTENCY_TOKEN_SECRET_FILE");
        assertThatThrownBy(() -> TokenSecret.resolve(null, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Path file = directory.resolve("token-secret");
        Files.writeString(file, "\n");

        assertThatThrownBy(() -> TokenSecret.resolve("", file.toString()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is empty");
    }

    @Test
    void tokensFromTheSameFileAgree() {
        String file = directory.resolve("token-secret").toString();
        var key = io.chatsystem.command.idempotency.IdempotencyKey.of("key-1");

        assertThat(new ApplicationTokens("", file).forKey(key)).isEqualTo(new ApplicationTokens("", file).forKey(key));
    }
}
