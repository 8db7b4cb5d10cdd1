package io.chatsystem.api.application;

public record FindApplicationQuery(String token) {
}
