package io.chatsystem.api.application;

import java.util.regex.Pattern;

/**
 * The form of an application's token: {@value #BYTES} random (or keyed) bytes in URL-safe base64 without
 * padding. A path whose token has another form names no application, whatever store is asked.
 */
public final class ApplicationToken {

    public static final int BYTES = 16;
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{" + Math.ceilDiv(BYTES * 4, 3) + "}");

    private ApplicationToken() {
    }

    public static boolean isWellFormed(String token) {
        return token != null && FORM.matcher(token).matches();
    }
}
