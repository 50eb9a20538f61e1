package io.github.camelhpx.client;

/**
 * No reply within the request timeout (or no pooled connection became free in time). The connection that
 * timed out is closed, because a late reply on it would otherwise reach the next caller. HPX code 102.
 */
public class HpxTimeoutException extends HpxConnectionException {

    public static final int CODE = 102;

    public HpxTimeoutException(String message, Throwable cause) {
        super(CODE, message, cause);
    }
}
