package io.chatsystem.api.application;

import io.chatsystem.api.common.PageSpec;
import io.chatsystem.api.common.Query;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;

public record ListApplicationsQuery(PageSpec page) implements Query<ApplicationList> {

    @Override
    public ResponseType<ApplicationList> responseType() {
        return ResponseTypes.instanceOf(ApplicationList.class);
    }
}
