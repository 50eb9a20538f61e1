package io.github.camelhpx.client;

import java.util.regex.Pattern;

/**
 * Base of every error the HPX client raises. Carries the HPX error code (see the protocol's error table), so
 * callers can branch on {@link #getCode()} whatever the subclass.
 */
public class HpxException extends RuntimeException {

    // An HPX session id is 32 hex digits (a uuid4's hex); the server names it in some messages, e.g. 408's
    // "Session '<id>' has expired", and the id is a credential.
    private static final Pattern SESSION_ID = Pattern.compile("(?<![0-9A-Fa-f])[0-9a-f]{32}(?![0-9A-Fa-f])");

    private final int code;

    public HpxException(int code, String message) {
        this(code, message, null);
    }

    public HpxException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** A server's text as an error may show it: any session id in it masked. */
    static String maskSessionIds(String serverText) {
        return serverText == null ? null : SESSION_ID.matcher(serverText).replaceAll("xxxxxx");
    }

    /** The HPX error code: the server's code, or one of the client-side codes 500–502 and 102. */
    public int getCode() {
        return code;
    }
}
