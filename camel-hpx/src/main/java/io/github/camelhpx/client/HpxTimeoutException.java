package io.github.camelhpx.client;

import java.time.Duration;

/**
 * Something did not happen within its timeout: a reply (request timeout), the welcome of a new connection
 * (connect timeout), or a free pooled connection. The connection that timed out is closed, because a late reply
 * on it would otherwise reach the next caller. HPX code 102.
 */
public class HpxTimeoutException extends HpxConnectionException {

    public static final int CODE = 102;

    private final Duration timeout;

    public HpxTimeoutException(String message, Duration timeout, Throwable cause) {
        super(CODE, message, cause);
        this.timeout = timeout;
    }

    /** The timeout that expired. */
    public Duration getTimeout() {
        return timeout;
    }
}
