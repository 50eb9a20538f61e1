package io.github.camelhpx.client;

import java.time.Duration;

/**
 * Something did not happen within its timeout: the call's deadline (request timeout: a free connection, the reply,
 * ...), the welcome of a new connection (connect timeout), or an awaited command. In G1 the connection that timed
 * out is closed, because a late reply on it would otherwise reach the next caller; in G2 it stays open, and a late
 * reply, whose id matches no call in flight, is dropped. HPX code 102.
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
