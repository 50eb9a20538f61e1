package io.github.camelhpx.client.internal;

import java.net.Socket;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxServerDisconnectedException;
import io.github.camelhpx.client.Welcome;

import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * The G1 transport: a pool of lock-step connections, each lent to one call at a time for all its steps. An
 * asynchronous call runs on the client's executor, since a G1 call holds a thread for its whole exchange.
 */
public final class LockstepPool implements Transport {

    private final ClientSettings settings;
    private final ConnectionFactory connections;
    private final GenericObjectPool<HpxConnection> pool;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final OpenSockets sockets;

    public LockstepPool(ClientSettings settings, BroadcastDispatcher broadcasts, OpenSockets sockets,
            ScheduledExecutorService timer, Executor executor,
            int poolSize, Duration idleTimeout, Link seed) {
        this.settings = settings;
        this.executor = executor;
        this.timer = timer;
        this.sockets = sockets;
        this.connections = new ConnectionFactory(settings, broadcasts, sockets, seed);
        this.pool = new GenericObjectPool<>(connections, poolConfig(poolSize, idleTimeout));
    }

    @Override
    public HpxProtocol protocol() {
        return HpxProtocol.G1;
    }

    @Override
    public <T> CompletableFuture<T> run(Function<Exchanger, CompletableFuture<T>> work, Deadline deadline,
            boolean async) {
        if (!async) {
            try {
                return CompletableFuture.completedFuture(runHere(work, deadline));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        AtomicBoolean started = new AtomicBoolean();
        try {
            executor.execute(() -> {
                if (!started.compareAndSet(false, true)) {
                    return;
                }
                try {
                    result.complete(runHere(work, deadline));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            // A call still queued for a thread at its deadline ends then; a running one ends by its own waits.
            ScheduledFuture<?> expiry = timer.schedule(() -> {
                if (started.compareAndSet(false, true)) {
                    result.completeExceptionally(deadline.expired(Link.address(settings), "waiting for a client thread",
                            null));
                }
            }, Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
            result.whenComplete((done, failure) -> expiry.cancel(false));
            return result;
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new HpxConnectionException(sockets.isClosed()
                    ? "HPX client is closed" : "too many HPX calls queued for the client's threads: " + e.getMessage(), e));
        }
    }

    private <T> T runHere(Function<Exchanger, CompletableFuture<T>> work, Deadline deadline) {
        boolean retried = false;
        while (true) {
            HpxConnection connection = borrow(deadline);
            boolean reused = connection.hasExchanged();
            try {
                return work.apply(connection).join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                // A pooled connection the server closed or reset while it sat idle: the request reached no live peer.
                boolean stale = cause instanceof HpxServerDisconnectedException gone && !gone.isMidMessage() && reused;
                if (!stale || retried || !settings.retryOnConnectionFailure()) {
                    throw cause instanceof RuntimeException r ? r : e;
                }
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
    public int openConnections() {
        return pool.getNumActive() + pool.getNumIdle();
    }

    @Override
    public int busyConnections() {
        return pool.getNumActive();
    }

    @Override
    public void clearIdle() {
        pool.clear();
    }

    @Override
    public void close() {
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
                    throw new HpxConnectionException("cannot open an HPX connection: " + e.getMessage(), e);
                }
            });
        } catch (NoSuchElementException e) {
            throw deadline.expired(Link.address(settings), "waiting for a free connection", e);
        } catch (IllegalStateException e) {
            throw new HpxConnectionException("HPX client is closed", e);
        }
    }

    private void release(HpxConnection connection) {
        try {
            pool.returnObject(connection);
        } catch (Exception e) {
            connections.forget(connection);
        }
    }

    private static GenericObjectPoolConfig<HpxConnection> poolConfig(int size, Duration idleTimeout) {
        GenericObjectPoolConfig<HpxConnection> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(size);
        config.setMaxIdle(size);
        config.setTestOnBorrow(true);
        config.setTestOnReturn(true);
        config.setBlockWhenExhausted(true);
        config.setJmxEnabled(false);
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
