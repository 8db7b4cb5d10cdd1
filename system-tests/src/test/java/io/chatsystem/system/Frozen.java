package io.chatsystem.system;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** A process stopped with SIGSTOP, as a hung server looks from outside, until closed (SIGCONT). */
final class Frozen implements AutoCloseable {

    private final ProcessHandle process;

    private Frozen(ProcessHandle process) {
        this.process = process;
    }

    static Frozen freeze(ProcessHandle process) {
        signal("STOP", process);
        return new Frozen(process);
    }

    /** The process among this JVM's descendants whose command line contains every one of {@code parts}. */
    static ProcessHandle descendant(String... parts) {
        return ProcessHandle.current().descendants()
                .filter(p -> {
                    String line = p.info().commandLine().orElse("");
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

    @Override
    public void close() {
        signal("CONT", process);
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
