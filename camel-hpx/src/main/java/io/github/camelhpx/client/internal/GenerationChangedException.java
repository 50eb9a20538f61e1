package io.github.camelhpx.client.internal;

import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxProtocolException;

/**
 * A new connection found the server speaking another generation than its transport's (the server was upgraded, or
 * rolled back, at the same address), and was closed: with {@code protocol=auto} the client makes a transport in the
 * new generation and runs the call again there.
 */
public final class GenerationChangedException extends HpxProtocolException {

    private static final long serialVersionUID = 1L;

    GenerationChangedException(String server, HpxProtocol was, HpxProtocol now) {
        super("HPX server " + server + " now speaks " + now + ", not " + was + " as when the client first connected");
    }
}
