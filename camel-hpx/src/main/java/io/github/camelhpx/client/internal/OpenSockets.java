package io.github.camelhpx.client.internal;

import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxException;

/**
 * The sockets of connections being opened, so that closing the client aborts a connect or a welcome in
 * progress at once instead of leaving the call to its timeout.
 */
public final class OpenSockets {

    private final Set<Socket> opening = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Opens a link, its socket closable by {@link #closeAll()} until the welcome is read. */
    public Link open(ClientSettings settings, Deadline deadline) {
        return open(settings, deadline, s -> { });
    }

    /** Like {@link #open(ClientSettings, Deadline)}, handing the socket to {@code attempt} too. */
    public Link open(ClientSettings settings, Deadline deadline, Consumer<Socket> attempt) {
        Socket[] socket = new Socket[1];
        try {
            return Link.open(settings, deadline, s -> {
                attempt.accept(s);
                socket[0] = s;
                opening.add(s);
                if (closed) {
                    Link.closeQuietly(s);
                }
            });
        } catch (HpxException e) {
            throw closed ? new HpxConnectionException("HPX client is closed", e) : e;
        } finally {
            if (socket[0] != null) {
                opening.remove(socket[0]);
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    public void closeAll() {
        closed = true;
        opening.forEach(Link::closeQuietly);
    }
}
