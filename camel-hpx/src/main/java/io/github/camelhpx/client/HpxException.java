package io.github.camelhpx.client;

/**
 * Base of every error the HPX client raises. Carries the HPX error code (see the protocol's error table), so
 * callers can branch on {@link #getCode()} whatever the subclass.
 */
public class HpxException extends RuntimeException {

    private final int code;

    public HpxException(int code, String message) {
        this(code, message, null);
    }

    public HpxException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The HPX error code: the server's code, or one of the client-side codes 500–502 and 102. */
    public int getCode() {
        return code;
    }
}
