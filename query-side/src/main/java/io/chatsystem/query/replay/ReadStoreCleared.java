package io.chatsystem.query.replay;

/**
 * Published by a projection's reset handler once it has emptied its table, so that what is derived
 * from the table's rows elsewhere (the count columns) is written again as the rows come back.
 */
public record ReadStoreCleared(String table) {
}
