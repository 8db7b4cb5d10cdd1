package io.chatsystem.api.application;

import io.chatsystem.api.common.PageSpec;

public record ListApplicationsQuery(PageSpec page) {
}
