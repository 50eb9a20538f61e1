package io.github.camelhpx.client;

/** The transport failed: the server could not be reached, the socket broke, or TLS failed. HPX code 501. */
public class HpxConnectionException extends HpxException {

    public static final int CODE = 501;

    public HpxConnectionException(String message, Throwable cause) {
        this(CODE, message, cause);
    }

    protected HpxConnectionException(int code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
