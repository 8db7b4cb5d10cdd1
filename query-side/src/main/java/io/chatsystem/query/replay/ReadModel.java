package io.chatsystem.query.replay;

/**
 * A projection's read model, in versions ({@link Projections}): each version has a store of its own (a
 * table, an index, a key space), written by its own processor. Readers read the published version.
 */
public interface ReadModel {

    /** The projection's name: its processors are named {@code <name>-v<version>}. */
    String name();

    /** The event handlers that write {@code version}'s store: an object with {@code @EventHandler} methods. */
    Object handlers(int version);

    /** Makes an empty store for a new version; nothing if it is there already (another instance made it). */
    void create(int version);

    /** Readers read {@code version} from now on, on every instance at once. */
    void publish(int version);

    /** Drops a version's store; nothing if it is gone already. */
    void drop(int version);

    /**
     * Whether readers have something to read already, without any version: then a first version is built
     * beside it and published once it has caught up; otherwise it is published at once.
     */
    boolean published();

    /** Whether the live version's store was lost or made by an earlier version of this code: then it is rebuilt. */
    default boolean needsRebuild(int liveVersion) {
        return false;
    }

    static String processorName(String projection, int version) {
        return projection + "-v" + version;
    }
}
