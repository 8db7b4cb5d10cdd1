package io.chatsystem.query.replay;

/** A replay was asked of a projection that is already replaying (or about to): 409. */
public class ReplayAlreadyRunningException extends RuntimeException {

    public ReplayAlreadyRunningException(String projection) {
        super("Projection " + projection + " is already replaying; ask again once it has finished");
    }
}
