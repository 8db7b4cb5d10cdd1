package io.chatsystem.system;

/** The stores of the shared system under test, for tests that drive the apps' own classes against them. */
public final class SharedStack {

    private SharedStack() {
    }

    public static String elasticsearchUrl() {
        return SystemUnderTest.get().elasticsearchUrl();
    }

    /** The {@code Authorization} header of a request straight to Elasticsearch. */
    public static String elasticsearchAuthorization() {
        return SystemUnderTest.get().elasticsearchAuthorization();
    }

    public static String jdbcUrl() {
        return SystemUnderTest.get().jdbcUrl();
    }

    /** The password of the apps' database user ({@code MariaDbServer.USER}). */
    public static String databasePassword() {
        return SystemUnderTest.get().databasePassword();
    }
}
