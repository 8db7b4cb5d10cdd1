package io.chatsystem.query;

/** The application, chat or message asked for does not exist (yet: reads are eventually consistent). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
