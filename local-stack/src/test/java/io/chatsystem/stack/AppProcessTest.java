package io.chatsystem.stack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AppProcessTest {

    /** Prints the nice value of its own JVM (field 19 of /proc/self/stat). */
    private static final String PRINT_NICENESS = """
            public class PrintNiceness {
                public static void main(String[] args) throws Exception {
                    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
                    System.out.print(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
                }
            }""";

    @Test
    void aJvmStartedWithANicenessRunsAtIt(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/stat")), "needs Linux's /proc");
        Path program = Files.writeString(dir.resolve("PrintNiceness.java"), PRINT_NICENESS);

        assertThat(niceness(AppProcess.launcher(7), program)).isEqualTo(currentNiceness() + 7);
        assertThat(niceness(AppProcess.launcher(0), program)).isEqualTo(currentNiceness());
    }

    private static int niceness(List<String> launcher, Path program) throws Exception {
        List<String> command = new ArrayList<>(launcher);
        command.add(program.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Integer.parseInt(output);
    }

    private static int currentNiceness() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }
}
