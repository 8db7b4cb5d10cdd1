package io.chatsystem.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A process stopped with SIGSTOP, as a hung server looks from outside, until closed (SIGCONT). */
final class Frozen implements AutoCloseable {

    private final List<ProcessHandle> processes;

    private Frozen(List<ProcessHandle> processes) {
        this.processes = processes;
    }

    static Frozen freeze(ProcessHandle process) {
        return freeze(List.of(process));
    }

    /** Several processes at once (a launcher and the server it started). */
    static Frozen freeze(List<ProcessHandle> processes) {
        processes.forEach(process -> signal("STOP", process));
        return new Frozen(processes);
    }

    /** Kills with SIGKILL, as a crash or the OOM killer would, and waits until it is gone. */
    static void kill(ProcessHandle process) {
        process.destroyForcibly();
        process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** The process among this JVM's descendants whose command line contains every one of {@code parts}. */
    static ProcessHandle descendant(String... parts) {
        return ProcessHandle.current().descendants()
                .filter(p -> {
                    String line = commandLine(p);
                    for (String part : parts) {
                        if (!line.contains(part)) {
                            return false;
                        }
                    }
                    return true;
                })
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no process " + String.join(" ", parts)));
    }

    /**
     * The process's command line as Linux keeps it: redis rewrites its own into "path host:port" in its
     * first argument, which Java's {@code ProcessHandle.Info} does not show whole.
     */
    private static String commandLine(ProcessHandle process) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()),
                    "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return process.info().commandLine().orElse("");
        }
    }

    @Override
    public void close() {
        processes.forEach(process -> signal("CONT", process));
    }

    private static void signal(String signal, ProcessHandle process) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
