package io.github.camelhpx.client.internal;

import com.fasterxml.jackson.databind.node.BinaryNode;

/**
 * A reply's function results as the server sent them (G1: its JSON, G2: its MessagePack), carried unparsed as the
 * envelope's {@code data}, and whether one of them reports that the session is lost. Its own type: a server's
 * {@code data} that is MessagePack binary is no raw reply.
 */
public final class RawResults extends BinaryNode {

    private static final long serialVersionUID = 1L;

    private final boolean lostSession;

    RawResults(byte[] message, boolean lostSession) {
        super(message);
        this.lostSession = lostSession;
    }

    /** Whether a function's result reports that the session is lost (G2 does so per function too). */
    public boolean lostSession() {
        return lostSession;
    }
}
