package io.chatsystem.api.application;

public record ApplicationRenamed(String token, String name) {
}
