package io.github.camelhpx.client.internal;

import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.Welcome;

import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.PooledObjectState;
import org.apache.commons.pool2.impl.DefaultPooledObject;

/**
 * Opens, checks and closes the G1 pool's connections, and remembers every open one so that closing the client
 * closes them all, borrowed ones included. The first connection may be given: the one whose welcome told the
 * client which generation the server speaks.
 */
public final class ConnectionFactory extends BasePooledObjectFactory<HpxConnection> {

    // commons-pool's create() takes no argument: the borrowing call's deadline comes this way.
    private static final ThreadLocal<Deadline> DEADLINE = new ThreadLocal<>();
    // And whether no call waits for the connection being made: the pool's refill, for calls that wait for any.
    private static final ThreadLocal<Boolean> REFILL = new ThreadLocal<>();

    private final ClientSettings settings;
    private final BroadcastDispatcher broadcasts;
    private final OpenSockets sockets;
    private final Set<HpxConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger opening = new AtomicInteger();
    private final Runnable failedOpen;
    // Made a connection at once, so that it counts as open, and is closed with the others, before it is pooled.
    private final AtomicReference<HpxConnection> seed;
    private volatile Welcome lastWelcome;

    /** @param failedOpen run when a connection could not be made for the pool (on the thread that tried) */
    ConnectionFactory(ClientSettings settings, BroadcastDispatcher broadcasts, OpenSockets sockets, Link seed,
            Runnable failedOpen) {
        this.failedOpen = failedOpen;
        this.settings = settings;
        this.broadcasts = broadcasts;
        this.sockets = sockets;
        this.seed = new AtomicReference<>(seed == null ? null : new HpxConnection(seed, settings, broadcasts));
        this.lastWelcome = seed == null ? null : seed.welcome;
        if (seed != null) {
            open.add(this.seed.get());
        }
    }

    /** Runs {@code borrow} with {@code deadline} bounding any connection it opens. */
    <T> T within(Deadline deadline, java.util.function.Supplier<T> borrow) {
        // Restored, not removed: a listener may make a call of its own while a connection is being opened.
        Deadline outer = DEADLINE.get();
        DEADLINE.set(deadline);
        try {
            return borrow.get();
        } finally {
            if (outer == null) {
                DEADLINE.remove();
            } else {
                DEADLINE.set(outer);
            }
        }
    }

    /** Runs the pool's refill ({@code addition}) with {@code deadline} bounding its connect. */
    void refill(Deadline deadline, Runnable addition) {
        REFILL.set(Boolean.TRUE);
        try {
            within(deadline, () -> {
                addition.run();
                return null;
            });
        } finally {
            REFILL.remove();
        }
    }

    @Override
    public HpxConnection create() {
        // The refill's connection goes idle, where a waiting call takes it, or a close destroys it: none waits for it.
        boolean forCall = REFILL.get() == null;
        if (forCall) {
            opening.incrementAndGet();
        }
        boolean made = false;
        try {
            HpxConnection connection = made();
            made = true;
            return connection;
        } finally {
            if (forCall) {
                opening.decrementAndGet();
            }
            if (!made) {
                failedOpen.run();
            }
        }
    }

    /**
     * Whether a connection is being made for a call: commons-pool counts it nowhere until it is made, and then hands
     * it to that call, even in a pool closed meanwhile.
     */
    boolean opening() {
        return opening.get() > 0;
    }

    private HpxConnection made() {
        HpxConnection given = seed.getAndSet(null);
        if (given != null) {
            // It sat unused since the client started: the server may have left it meanwhile (a restart's
            // broadcast, then the close), and commons-pool fails a new object that fails its check at once.
            if (given.unusable() == null) {
                return given;
            }
            forget(given);
        }
        HpxConnection connection = new HpxConnection(link(), settings, broadcasts);
        lastWelcome = connection.welcome();
        open.add(connection);
        if (sockets.isClosed()) {
            connection.close();
        }
        return connection;
    }

    /** A connection outside the pool, closed with the others when the client closes. */
    HpxConnection createUnpooled(Deadline deadline, Consumer<Socket> attempt) {
        HpxConnection connection = new HpxConnection(sockets.open(settings, deadline, attempt)
                .speaking(HpxProtocol.G1, settings), settings, broadcasts);
        // A watch's earlier connections, which closed when it reconnected: nothing else lets go of them.
        open.removeIf(HpxConnection::isClosed);
        open.add(connection);
        return connection;
    }

    private Link link() {
        Deadline deadline = DEADLINE.get();
        if (deadline == null) {
            // commons-pool replaces a connection dropped at its return, for a call that waits, on the returning
            // thread: that call has ended and must not wait for a connect. The pool's refill makes it instead.
            throw new IllegalStateException("an HPX connection is opened only for a call, within its deadline");
        }
        return sockets.open(settings, deadline).speaking(HpxProtocol.G1, settings);
    }

    @Override
    public PooledObject<HpxConnection> wrap(HpxConnection connection) {
        return new DefaultPooledObject<>(connection);
    }

    /**
     * On return only whether the call closed the connection (so that it is retired there, without a replacement
     * opened on the failing call's thread); on borrow the full check, which reads what the server sent meanwhile.
     * A borrow's failed check throws why: commons-pool fails a borrow whose new connection fails it at once, with
     * what it threw as the cause (LockstepPool reports it), and ignores it for an idle one, taking the next.
     */
    @Override
    public boolean validateObject(PooledObject<HpxConnection> pooled) {
        if (pooled.getState() == PooledObjectState.RETURNING) {
            return !pooled.getObject().isClosed();
        }
        // The evictor's check too: what it reads is delivered once the eviction run is over (LockstepPool), and a clear
        // it causes waits for that (WaiterRescuingPool).
        HpxConnectionException unusable = pooled.getObject().unusable();
        if (unusable != null && pooled.getState() == PooledObjectState.ALLOCATED) {
            throw unusable;
        }
        return unusable == null;
    }

    @Override
    public void destroyObject(PooledObject<HpxConnection> pooled) {
        forget(pooled.getObject());
    }

    void forget(HpxConnection connection) {
        open.remove(connection);
        connection.close();
    }

    Welcome lastWelcome() {
        return lastWelcome;
    }

    /** Whether the first connection, opened before the pool, waits for the first call to take it. */
    boolean holdsSeed() {
        return seed.get() != null;
    }

    /** Closes the first connection if no call has taken it yet. */
    void closeSeed() {
        HpxConnection given = seed.getAndSet(null);
        if (given != null) {
            forget(given);
        }
    }

    void closeAll() {
        closeSeed();
        open.forEach(HpxConnection::close);
        open.clear();
    }
}
