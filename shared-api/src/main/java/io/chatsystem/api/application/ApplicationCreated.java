package io.chatsystem.api.application;

public record ApplicationCreated(String token, String name) {
}
