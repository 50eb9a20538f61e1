package io.github.camelhpx.client.internal;

import io.github.camelhpx.client.HpxConnectionException;

/**
 * A call reached a transport after the client had moved to another server, and sent nothing on it: the client runs
 * it again on the server it is on now.
 */
public final class TransportRetiredException extends HpxConnectionException {

    private static final long serialVersionUID = 1L;

    TransportRetiredException(String server) {
        super("HPX client no longer uses " + server + ": it moved to another server", null);
    }
}
