package io.chatsystem.api.application;

import java.util.List;

/** One page of applications, ordered by creation. */
public record ApplicationList(List<ApplicationView> applications) {
}
