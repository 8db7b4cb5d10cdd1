package io.chatsystem.query.replay;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a segment's claim holds without being renewed: after it, another instance may take the
 * segment over (an instance that died or froze holds its segments at most this long).
 */
@ConfigurationProperties("chat.projections.claims")
public record TokenClaims(@DefaultValue("10s") Duration timeout) {
}
