package io.chatsystem.system;

import java.util.ArrayList;
import java.util.List;

import io.chatsystem.stack.AppProcess;
import io.chatsystem.stack.LocalStack;

/**
 * One real system per test run: MariaDB and both apps as separate JVMs, started on first use and
 * stopped when the test JVM exits. Tests that stop or add apps leave one of each running.
 */
final class SystemUnderTest {

    private static SystemUnderTest instance;

    private final LocalStack stack;
    private final List<AppProcess> commandSides = new ArrayList<>();
    private AppProcess querySide;

    private SystemUnderTest(LocalStack stack) {
        this.stack = stack;
    }

    static synchronized SystemUnderTest get() {
        if (instance == null) {
            LocalStack stack = LocalStack.start(LocalStack.Settings.fromSystemProperties());
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stop-system-under-test"));
            SystemUnderTest system = new SystemUnderTest(stack);
            system.commandSides.add(stack.startCommandSide());
            system.querySide = stack.startQuerySide();
            instance = system;
        }
        return instance;
    }

    Api api() {
        return new Api(commandSides.getFirst().baseUrl(), querySide.baseUrl());
    }

    /** A client that sends each write to the command-side instance named by {@code index}. */
    Api api(int commandSideIndex) {
        return new Api(commandSides.get(commandSideIndex).baseUrl(), querySide.baseUrl());
    }

    synchronized int commandSideCount() {
        return commandSides.size();
    }

    synchronized void ensureCommandSides(int count) {
        while (commandSides.size() < count) {
            commandSides.add(stack.startCommandSide());
        }
    }

    /** Replaces the first command side with a fresh process: nothing of the old one's memory survives. */
    synchronized void restartCommandSide() {
        commandSides.removeFirst().close();
        commandSides.addFirst(stack.startCommandSide());
    }

    synchronized void stopQuerySide() {
        querySide.close();
    }

    synchronized void crashQuerySide() {
        querySide.kill();
    }

    synchronized void startQuerySide() {
        querySide = stack.startQuerySide();
    }

    String jdbcUrl() {
        return stack.database().jdbcUrl();
    }
}
