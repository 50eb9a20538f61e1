package io.github.camelhpx.client.internal;

import java.net.Socket;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.camelhpx.client.BroadcastListener;
import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxServerDisconnectedException;
import io.github.camelhpx.client.ServerAddress;
import io.github.camelhpx.client.Welcome;

import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.DefaultEvictionPolicy;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * The G1 transport: a pool of lock-step connections, each lent to one call at a time for all its steps. An
 * asynchronous call runs on the client's executor, since a G1 call holds a thread for its whole exchange.
 */
public final class LockstepPool implements Transport {

    private final ClientSettings settings;
    private final ConnectionFactory connections;
    private final GenericObjectPool<HpxConnection> pool;
    private final BlockingCalls calls;
    private final BroadcastDispatcher broadcasts;
    private final BroadcastListener clearOnBroadcast;
    private volatile boolean retired;

    public LockstepPool(ClientSettings settings, BroadcastDispatcher broadcasts, OpenSockets sockets,
            ScheduledExecutorService timer, Executor executor,
            int poolSize, Duration idleTimeout, Link seed) {
        this.settings = settings;
        this.calls = new BlockingCalls(new Handoff(executor, timer, sockets, () -> Link.address(settings)));
        this.connections = new ConnectionFactory(settings, broadcasts, sockets, seed, this::closeIfRetiredAndNoneIsOut);
        this.pool = new WaiterRescuingPool<>(connections, poolConfig(poolSize, idleTimeout), addition -> onOwnThread(
                "hpx-pool-refill", () -> connections.refill(Deadline.after(settings.connectTimeout()), addition)),
                this::deliverEvictorsReads);
        // The server closes every connection after a broadcast: idle ones are dead, and reading their copies is
        // pointless. (A G2 connection's reader sees its own close.) One read by the evictor's check clears the pool
        // once the eviction run is over (WaiterRescuingPool).
        this.broadcasts = broadcasts;
        ServerAddress server = settings.server();
        this.clearOnBroadcast = broadcast -> {
            if (!server.equals(broadcast.server())) {
                // Another server's (the one moved from, still answering a call): this one's connections live on.
                return;
            }
            pool.clear();
            // Unused since the client started, it is as dead, and its copy as pointless to read.
            connections.closeSeed();
        };
        broadcasts.addImmediate(clearOnBroadcast);
    }

    @Override
    public HpxProtocol protocol() {
        return HpxProtocol.G1;
    }

    @Override
    public <T> CompletableFuture<T> run(Function<Exchanger, CompletableFuture<T>> work, Deadline deadline,
            boolean async) {
        return calls.run(() -> runHere(work, deadline), deadline, async);
    }

    /** Runs {@code work} on a connection; the broadcasts it read reach the listeners once it is back in the pool. */
    private <T> T runHere(Function<Exchanger, CompletableFuture<T>> work, Deadline deadline) {
        try {
            return runOnConnection(work, deadline);
        } finally {
            broadcasts.deliverRecorded();
        }
    }

    private <T> T runOnConnection(Function<Exchanger, CompletableFuture<T>> work, Deadline deadline) {
        boolean retried = false;
        while (true) {
            HpxConnection connection = borrow(deadline);
            long borrowedAt = System.nanoTime();
            boolean reused = connection.satIdleBefore(deadline);
            try {
                return work.apply(connection).join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                // A pooled connection the server closed or reset while it sat idle: the request reached no live peer.
                // Not when it answered an earlier exchange of this call (the handshake): the server was there.
                boolean stale = cause instanceof HpxServerDisconnectedException gone && !gone.isMidMessage() && reused
                        && !connection.answeredSince(borrowedAt);
                if (!stale || retried || !settings.retryOnConnectionFailure()) {
                    throw cause instanceof RuntimeException r ? r : e;
                }
                // What closed this one (a restart, a NAT's purge) likely closed the other idle ones too: the one
                // retry goes over a new connection, or one another call has just used.
                pool.clear();
                retried = true;
            } finally {
                release(connection);
            }
        }
    }

    @Override
    public ServerConnection openListening(Deadline deadline, Consumer<Socket> attempt) {
        return connections.createUnpooled(deadline, attempt);
    }

    @Override
    public Welcome lastWelcome() {
        return connections.lastWelcome();
    }

    @Override
    public ClientSettings settings() {
        return settings;
    }

    @Override
    public int openConnections() {
        // The first connection too, before a call takes it into the pool: a client that only works in users' sessions
        // holds it as long as it runs.
        return pool.getNumActive() + pool.getNumIdle() + (connections.holdsSeed() ? 1 : 0);
    }

    @Override
    public boolean drained() {
        // Not while a call opens one: commons-pool gives it to the call even in a closed pool.
        return openConnections() == 0 && !connections.opening();
    }

    @Override
    public int busyConnections() {
        return pool.getNumActive();
    }

    @Override
    public void retire() {
        // The pool stays open while a call holds a connection, which it may hand to a call waiting for one. None is
        // kept idle once no call waits (see release).
        retired = true;
        pool.clear();
        connections.closeSeed();
        closeIfRetiredAndNoneIsOut();
    }

    /**
     * Closes the pool once retired, when no call holds or opens a connection of it: none will come back for the calls
     * waiting, and the server may be gone, so none is opened for them either. The close sends them to the server moved
     * to (TransportRetiredException, in borrow); they would wait for their deadlines otherwise. Not while a connection
     * is being opened: a call waiting for that one is not woken by a close (commons-pool), and would then wait on the
     * closed pool; the connection goes to its call, which gives it back to the one waiting. One that fails to open
     * calls this again.
     */
    private void closeIfRetiredAndNoneIsOut() {
        if (retired && pool.getNumActive() == 0 && !connections.opening()) {
            pool.close();
        }
    }

    @Override
    public void close() {
        broadcasts.remove(clearOnBroadcast);
        pool.close();
        connections.closeAll();
    }

    private HpxConnection borrow(Deadline deadline) {
        long waitMillis = Math.max(0, deadline.remaining(deadline.timeout()).toMillis());
        try {
            return connections.within(deadline, () -> {
                try {
                    return pool.borrowObject(Duration.ofMillis(waitMillis));
                } catch (HpxException | IllegalStateException | NoSuchElementException e) {
                    throw e;
                } catch (Exception e) {
                    if (pool.isClosed()) {
                        // Its close woke the calls waiting for a connection (an InterruptedException): handled below.
                        throw new IllegalStateException("closed while the call waited for a connection", e);
                    }
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new HpxConnectionException("interrupted while waiting for a free HPX connection", e);
                    }
                    throw new HpxConnectionException("cannot open an HPX connection: " + e, e);
                }
            });
        } catch (NoSuchElementException e) {
            if (e.getCause() instanceof HpxConnectionException unusable) {
                // The connection opened for this call failed its check (ConnectionFactory.validateObject), and is gone
                // with no return that would close a retired pool.
                closeIfRetiredAndNoneIsOut();
                throw unusable;
            }
            throw deadline.expired(Link.address(settings), "waiting for a free connection", e);
        } catch (IllegalStateException e) {
            // Closed by the client or, once retired, when no call held a connection (closeIfRetiredAndNoneIsOut): a
            // call that took this transport before the move, or waited for a connection, runs on the server moved to.
            if (retired) {
                throw new TransportRetiredException(Link.address(settings));
            }
            throw new HpxConnectionException("HPX client is closed", e);
        }
    }

    /**
     * Returns the connection; one the call closed is dropped there (and replaced only for a call that waits). A
     * retired pool hands it to a call that waits, or closes it with any other idle one, and closes once no call holds
     * a connection. (Returned before the flag is read: a return that misses the flag came before the retirement's own
     * clear and check.)
     */
    private void release(HpxConnection connection) {
        try {
            pool.returnObject(connection);
        } catch (Exception e) {
            connections.forget(connection);
        }
        if (retired) {
            if (pool.getNumWaiters() == 0) {
                pool.clear();
            }
            closeIfRetiredAndNoneIsOut();
        }
    }

    /**
     * No call comes by to deliver what the evictor's checks read: an idle client must hear a restart too. Not on the
     * evictor's thread, shared by every pool, nor before its run ends: a listener calling the server on a pool of one
     * would wait for the very connection under check, and for the rescue of a waiter, which follows the run. Not on
     * the client's executor either, which may run it on the caller's thread or refuse it when busy.
     */
    private void deliverEvictorsReads() {
        if (broadcasts.hasRecorded()) {
            onOwnThread("hpx-broadcast-delivery", broadcasts::deliverRecorded);
        }
    }

    /** For rare work the evictor must not wait for. */
    private static void onOwnThread(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static GenericObjectPoolConfig<HpxConnection> poolConfig(int size, Duration idleTimeout) {
        GenericObjectPoolConfig<HpxConnection> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(size);
        config.setMaxIdle(size);
        config.setTestOnBorrow(true);
        config.setTestOnReturn(true);
        config.setBlockWhenExhausted(true);
        config.setJmxEnabled(false);
        // An instance: left to its class name, the pool loads the policy by reflection, which a native image lacks.
        config.setEvictionPolicy(new DefaultEvictionPolicy<>());
        // Callers get connections in the order they asked: none starves past its deadline while others go round.
        config.setFairness(true);
        if (idleTimeout != null) {
            // A connection idle that long is closed by the evictor: a server or a NAT may drop it silently.
            config.setMinEvictableIdleDuration(idleTimeout);
            config.setTimeBetweenEvictionRuns(idleTimeout.dividedBy(2));
            config.setTestWhileIdle(true);
        }
        return config;
    }
}
