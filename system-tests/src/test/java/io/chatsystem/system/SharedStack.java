package io.chatsystem.system;

/** The stores of the shared system under test, for tests that drive the apps' own classes against them. */
public final class SharedStack {

    private SharedStack() {
    }

    public static String elasticsearchUrl() {
        return SystemUnderTest.get().elasticsearchUrl();
    }

    public static String jdbcUrl() {
        return SystemUnderTest.get().jdbcUrl();
    }
}
