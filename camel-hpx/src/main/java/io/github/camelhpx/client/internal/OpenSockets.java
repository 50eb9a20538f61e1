package io.github.camelhpx.client.internal;

import java.net.Socket;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxException;

/**
 * The sockets of connections being opened, so that closing the client aborts a connect or a welcome in
 * progress at once instead of leaving the call to its timeout; and the failures of opening, so that a client with
 * several servers can tell a call that could not reach its server (it moves on) from one that failed on the way.
 */
public final class OpenSockets {

    private final Set<Socket> opening = ConcurrentHashMap.newKeySet();
    // By identity, and weakly: a failure is only looked up while its call ends.
    private final Set<Throwable> failedOpens = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
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
            if (closed) {
                throw new HpxConnectionException("HPX client is closed", e);
            }
            failedOpens.add(e);
            throw e;
        } finally {
            if (socket[0] != null) {
                opening.remove(socket[0]);
            }
        }
    }

    /** Whether {@code failure} is that of a connection that could not be opened: no request went out on it. */
    public boolean isFailedOpen(Throwable failure) {
        return failedOpens.contains(failure);
    }

    public boolean isClosed() {
        return closed;
    }

    public void closeAll() {
        closed = true;
        opening.forEach(Link::closeQuietly);
    }
}
