package io.github.camelhpx.client.internal;

import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxServerDisconnectedException;

/**
 * A G2 request whose connection broke before any of it was written: it cannot have run, so the pool sends it again
 * on a new connection even where {@code retryOnConnectionFailure} is off.
 */
final class NotSentException extends HpxServerDisconnectedException {

    private static final long serialVersionUID = 1L;

    NotSentException(String message, HpxException cause) {
        super(message, false, cause);
    }
}
