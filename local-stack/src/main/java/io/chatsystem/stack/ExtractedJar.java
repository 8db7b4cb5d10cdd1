package io.chatsystem.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An app's executable jar as Spring Boot recommends running it for a fast start: extracted once
 * ({@code -Djarmode=tools extract}) and run with a class-data-sharing archive that the JVM writes at its
 * first clean exit ({@code -XX:+AutoCreateSharedArchive}). On two cores a query side then starts in
 * about half the time, which counts in a supervisor's restarts and in the system tests' many starts.
 *
 * <p>The copy is keyed by the jar's size and modification time, so a rebuilt jar is extracted afresh
 * (and its stale copies removed). If extraction fails, the jar runs as it is.
 */
final class ExtractedJar {

    private static final Logger log = LoggerFactory.getLogger(ExtractedJar.class);

    private ExtractedJar() {
    }

    /** The JVM arguments that run {@code jar}: its extracted copy under {@code cacheDir} with the archive, or the jar itself. */
    static synchronized List<String> launchArguments(Path jar, Path cacheDir) {
        try {
            Path extracted = extract(jar, cacheDir);
            // the archive's writer warns of every class it leaves out (hundreds of lines at exit): not for the app's log
            return List.of("-XX:SharedArchiveFile=" + extracted.resolve("app.jsa"), "-XX:+AutoCreateSharedArchive",
                    "-Xlog:cds=off,cds+dynamic=off", "-jar", extracted.resolve(jar.getFileName()).toString());
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            log.warn("Running {} unextracted (slower start): {}", jar.getFileName(), e.toString());
            return List.of("-jar", jar.toAbsolutePath().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("-jar", jar.toAbsolutePath().toString());
        }
    }

    private static Path extract(Path jar, Path cacheDir) throws IOException, InterruptedException {
        String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        Path target = cacheDir.resolve(name + "-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis());
        if (Files.isRegularFile(target.resolve(jar.getFileName()))) {
            return target;
        }
        Files.createDirectories(cacheDir);
        removeStaleCopies(cacheDir, name);
        Path partial = Files.createTempDirectory(cacheDir, name + ".extracting-");
        List<String> command = new ArrayList<>(List.of(AppProcess.javaExecutable(), "-Djarmode=tools", "-jar",
                jar.toAbsolutePath().toString(), "extract", "--force", "--destination", partial.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("extracting " + jar + " failed");
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** Copies of earlier builds of the jar, and extractions cut short. */
    private static void removeStaleCopies(Path cacheDir, String prefix) throws IOException {
        try (Stream<Path> copies = Files.list(cacheDir)) {
            for (Path stale : copies.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                Directories.deleteTree(stale);
            }
        }
    }
}
