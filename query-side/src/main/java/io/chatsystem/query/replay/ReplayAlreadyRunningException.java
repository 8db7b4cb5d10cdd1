package io.chatsystem.query.replay;

/** A rebuild was asked of a projection that is being rebuilt already: 409. */
public class ReplayAlreadyRunningException extends RuntimeException {

    public ReplayAlreadyRunningException(String projection) {
        super("Projection " + projection + " is being rebuilt already; ask again once its new version is live");
    }
}
