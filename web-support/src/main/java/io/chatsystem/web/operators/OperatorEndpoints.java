package io.chatsystem.web.operators;

import java.util.List;

import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Endpoints of an app's own that only operators may call, besides {@code /admin/**} and actuator's details
 * (which {@link OperatorSecurityAutoConfiguration} guards in every app). An app declares one bean of it.
 */
public record OperatorEndpoints(List<RequestMatcher> matchers) {

    public OperatorEndpoints {
        matchers = List.copyOf(matchers);
    }
}
