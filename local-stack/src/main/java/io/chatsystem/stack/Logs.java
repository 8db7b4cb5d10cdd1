package io.chatsystem.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of a process's own log, to say why it did not start rather than only its exit code. */
final class Logs {

    private static final int LINES = 8;

    private Logs() {
    }

    /** The last lines of {@code file} that say something (stack frames left out), on one line. */
    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("at ") && !line.startsWith("..."))
                    .toList();
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log at " + file + ")";
        }
    }
}
