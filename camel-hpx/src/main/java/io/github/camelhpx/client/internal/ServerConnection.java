package io.github.camelhpx.client.internal;

import io.github.camelhpx.client.BroadcastWatch;
import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxServerDisconnectedException;
import io.github.camelhpx.client.Welcome;

/**
 * One socket to the server, of either generation: an {@link Exchanger} that can also be kept open only to hear
 * broadcasts, as a {@link BroadcastWatch} does.
 */
public interface ServerConnection extends Exchanger, AutoCloseable {

    Welcome welcome();

    boolean isClosed();

    /**
     * Waits until the connection ends, broadcasts going to the dispatcher meanwhile; ends with the exception that
     * closed it (usually {@link HpxServerDisconnectedException}, or any {@link HpxConnectionException} when
     * {@link #close()} is called from another thread).
     */
    void listen();

    @Override
    void close();
}
