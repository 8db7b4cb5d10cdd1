package io.chatsystem.api.application;

/** What clients see of an application: its token is its only identity. */
public record ApplicationView(String token, String name, long chatsCount) {
}
