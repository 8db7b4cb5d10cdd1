package io.chatsystem.api.chat;

/** The identifier of a chat aggregate: unique because chat numbers are unique within an application. */
public final class ChatId {

    private ChatId() {
    }

    public static String of(String applicationToken, int chatNumber) {
        return applicationToken + ":" + chatNumber;
    }
}
