package io.chatsystem.command.web;

import java.net.URI;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * The {@code Location} of what a write created: its path alone, a relative reference (RFC 9110, 10.2.2)
 * that the client resolves against the address it asked. One built from the request would take its
 * host from the request's {@code Host} header, which whoever sends the request chooses.
 */
public final class Locations {

    private Locations() {
    }

    /** {@code template} with its variables expanded (and encoded) in order: {@code of("/api/v1/applications/{token}", token)}. */
    public static URI of(String template, Object... values) {
        return UriComponentsBuilder.fromPath(template).build(values);
    }
}
