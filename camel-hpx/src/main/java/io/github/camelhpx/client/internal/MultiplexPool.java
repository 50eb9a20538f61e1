package io.github.camelhpx.client.internal;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxClientBusyException;
import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxServerDisconnectedException;
import io.github.camelhpx.client.Welcome;

/**
 * The G2 transport: up to {@code poolSize} multiplexed connections, each carrying up to {@code maxInFlight}
 * requests. Each request goes to the connection with the fewest in flight; a new connection is opened only
 * when every open one is busy, since the server handles one request at a time per connection. When every slot of a
 * full pool is taken, calls wait for the next one freed in a {@link SlotQueue}. A retry after a break does the same
 * with the connections opened since the break.
 */
public final class MultiplexPool implements Transport, Exchanger {

    private static final Duration RETIRE_CHECK = Duration.ofMillis(100);

    private final ClientSettings settings;
    private final BroadcastDispatcher broadcasts;
    private final OpenSockets sockets;
    private final ScheduledExecutorService timer;
    private final Handoff handoff;
    private final int poolSize;
    private final List<MultiplexedConnection> connections = new CopyOnWriteArrayList<>();
    private volatile Welcome lastWelcome;
    /** When a connection of this pool last broke, in {@link System#nanoTime()}. */
    private volatile long lastBreak = System.nanoTime();
    private volatile ScheduledFuture<?> retiring;
    private volatile boolean retired;
    /** Calls between their look at {@code retired} and their request's registration on a connection. */
    private final AtomicInteger entering = new AtomicInteger();
    private final SlotQueue waiters;
    private volatile boolean closed;
    /**
     * The open under way, completed when it ended (opened or not); {@code null} while none is. The call that claims it
     * opens, one at a time, so that callers racing for a connection open one; the others wait for it (a blocking
     * caller on its own thread, a call handed to the executor without a thread), then look again.
     */
    private final AtomicReference<CompletableFuture<Void>> openUnderWay = new AtomicReference<>();
    /** Calls waiting for {@link #openUnderWay}: at most {@link SlotQueue#MAX_WAITING}, as for a request slot. */
    private final AtomicInteger waitingForOpen = new AtomicInteger();

    public MultiplexPool(ClientSettings settings, BroadcastDispatcher broadcasts, OpenSockets sockets,
            ScheduledExecutorService timer, Executor executor, int poolSize, Link seed) {
        this.settings = settings;
        this.broadcasts = broadcasts;
        this.sockets = sockets;
        this.timer = timer;
        this.handoff = new Handoff(executor, timer, sockets, () -> Link.address(settings));
        this.poolSize = poolSize;
        this.waiters = new SlotQueue(timer, () -> Link.address(settings), poolSize, settings.maxInFlight());
        if (seed != null) {
            connections.add(adopt(seed, waiters));
        }
    }

    @Override
    public HpxProtocol protocol() {
        return HpxProtocol.G2;
    }

    @Override
    public <T> CompletableFuture<T> run(Function<Exchanger, CompletableFuture<T>> work, Deadline deadline,
            boolean async) {
        return work.apply(this).handle((result, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            boolean gone = cause instanceof HpxServerDisconnectedException d && !d.isMidMessage();
            // A request never sent cannot run twice, whatever retryOnConnectionFailure says.
            if (gone && (settings.retryOnConnectionFailure() || cause instanceof NotSentException)) {
                // The connection broke before its reply began; the server may be back, but the pool's other
                // connections may be as dead as that one without their readers knowing yet: a new one for the retry.
                return work.apply(new SinceBreak(lastBreak));
            }
            return failure == null ? CompletableFuture.completedFuture(result) : CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(Function.identity());
    }

    @Override
    public CompletableFuture<Envelope> exchange(String command, String session, JsonNode data, ReplyReading reading,
            Deadline deadline) {
        return exchangeOn(ANY, command, session, data, reading, deadline);
    }

    /**
     * Sends a request on the least busy connection that is {@code eligible}; opens one more when every such one is
     * busy and the pool has room (or none is eligible), else waits for the next slot freed on one.
     */
    private CompletableFuture<Envelope> exchangeOn(Predicate<MultiplexedConnection> eligible, String command,
            String session, JsonNode data, ReplyReading reading, Deadline deadline) {
        return offReader(mayWait -> {
            while (true) {
                MultiplexedConnection ready = reusable(eligible);
                if (ready != null && takeSlotNow(ready)) {
                    return ready.sendOnSlot(command, session, data, reading, deadline);
                }
                Function<MultiplexedConnection, CompletableFuture<Envelope>> send = slot -> slot.sendOnSlot(command,
                        session, data, reading, deadline);
                if (ready != null && connections.size() >= poolSize) {
                    return onNextSlot(ready, deadline, eligible, send);
                }
                if (!mayWait) {
                    return null;
                }
                // Every open one busy: one more (unless one was opened meanwhile), or, while another call opens one, a
                // look again once that open ended (the call may take the new connection's slot, or open the next).
                CompletableFuture<Void> claim = new CompletableFuture<>();
                CompletableFuture<Void> underWay = openUnderWay.compareAndExchange(null, claim);
                if (underWay == null) {
                    Choice choice;
                    try {
                        choice = openUnless(eligible, deadline);
                    } finally {
                        openUnderWay.compareAndSet(claim, null);
                        // Whatever came of it: the calls that waited for it look again (a blocking caller on its
                        // thread, the others each on a thread of the executor).
                        claim.complete(null);
                    }
                    return send(choice, deadline, eligible, send);
                }
                if (!deadline.isAwaitedHere()) {
                    return afterOpen(underWay, deadline,
                            () -> exchangeOn(eligible, command, session, data, reading, deadline));
                }
                awaitOpen(underWay, deadline);
                if (retired) {
                    // Retired while it waited: the call moves on to the server the client moved to, opening nothing.
                    throw retiredFailure();
                }
            }
        }, deadline);
    }

    private static final Predicate<MultiplexedConnection> ANY = connection -> true;

    /** Sends on {@code choice}'s connection if a slot of it is free, else on the next slot freed that it {@code takes}. */
    private CompletableFuture<Envelope> send(Choice choice, Deadline deadline, Predicate<MultiplexedConnection> takes,
            Function<MultiplexedConnection, CompletableFuture<Envelope>> send) {
        MultiplexedConnection connection = choice.connection();
        return choice.slotTaken() || takeSlotNow(connection) ? send.apply(connection)
                : onNextSlot(connection, deadline, takes, send);
    }

    /** Takes a free slot of {@code connection}, unless a call waits for one of it: a slot freed is theirs. */
    private boolean takeSlotNow(MultiplexedConnection connection) {
        return (waiters.isEmpty() || !waiters.anyTakes(connection)) && connection.takeSlot();
    }

    /**
     * Sends a request on the next slot freed on a connection it {@code takes}, after the calls that waited longer;
     * {@code seen} is the connection the call found no slot on. A blocking caller waits for it here; an asynchronous call
     * holds no thread until then, and is sent from the client's executor (a slot is freed on a reader, which must not
     * write).
     */
    private CompletableFuture<Envelope> onNextSlot(MultiplexedConnection seen, Deadline deadline,
            Predicate<MultiplexedConnection> takes, Function<MultiplexedConnection, CompletableFuture<Envelope>> send) {
        SlotQueue.Waiter waiter = waiters.join(deadline, takes);
        // A slot freed since the look that found none went to no call. The connection looked at, even when it has
        // left the pool since (it broke): its slots are then the way out, the call not sent and so retried.
        waiters.offer(seen);
        connections.forEach(waiters::offer);
        // After the join: a retirement or a close that failed the calls waiting before it is seen here.
        if (retired) {
            waiters.failAll(this::retiredFailure);
        } else if (closed) {
            waiters.failAll(MultiplexPool::closedFailure);
        }
        if (deadline.isAwaitedHere()) {
            return send.apply(waiters.await(waiter));
        }
        return waiter.thenCompose(slot -> {
            AtomicBoolean sent = new AtomicBoolean();
            CompletableFuture<Envelope> reply = handoff.submit(() -> {
                sent.set(true);
                return send.apply(slot);
            }, deadline);
            // Ended while queued for a thread (its deadline, a refusal): the slot goes to the next call.
            return reply.whenComplete((done, failure) -> {
                if (!sent.get()) {
                    slot.giveSlotBack();
                }
            });
        });
    }

    /** A blocking caller's wait, on its own thread and within its deadline, for {@code underWay} to end. */
    private void awaitOpen(CompletableFuture<Void> underWay, Deadline deadline) {
        try {
            underWay.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw deadline.expired(Link.address(settings), "waiting for a connection being opened", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HpxConnectionException("interrupted while waiting for an HPX connection", e);
        } catch (ExecutionException e) {
            // Never: an open's end completes it normally, opened or not. The caller looks again all the same.
        }
    }

    /** Runs {@code again} on the executor once {@code underWay} ended, within the deadline; no thread waits. */
    private CompletableFuture<Envelope> afterOpen(CompletableFuture<Void> underWay, Deadline deadline,
            Supplier<CompletableFuture<Envelope>> again) {
        if (waitingForOpen.incrementAndGet() > SlotQueue.MAX_WAITING) {
            waitingForOpen.decrementAndGet();
            String waiting = "too many HPX calls (" + SlotQueue.MAX_WAITING
                    + ") wait for a connection being opened to ";
            return CompletableFuture.failedFuture(new HpxClientBusyException(waiting + Link.address(settings), null));
        }
        return deadline.bound(underWay, timer, Link.address(settings), "waiting for a connection being opened")
                .whenComplete((open, failure) -> waitingForOpen.decrementAndGet())
                .thenCompose(open -> handoff.submit(again, deadline));
    }

    private TransportRetiredException retiredFailure() {
        return new TransportRetiredException(Link.address(settings));
    }

    private static HpxConnectionException closedFailure() {
        return new HpxConnectionException("HPX client is closed", null);
    }

    /**
     * The connection a request goes on, and whether its slot there is taken already: on a connection opened for it, it
     * is taken before other calls can see the connection, so that none of them takes it first and leaves this one
     * waiting while the pool could open another; on one found free by the call that claimed an open, before the calls
     * that waited for that open look again.
     */
    private record Choice(MultiplexedConnection connection, boolean slotTaken) {
    }

    @Override
    public <T> CompletableFuture<T> await(CompletableFuture<T> other, Deadline deadline) {
        return deadline.bound(other, timer, Link.address(settings), "waiting for the session");
    }

    /**
     * Runs {@code exchange} here, or on the executor, typed failures as futures; once the pool is retired, fails it
     * with {@link TransportRetiredException} before it picks a connection. While it picks one and sends its request,
     * the retirement's check closes nothing.
     * <p>
     * {@code exchange} is told whether it may wait on this thread (for a connect); when it may not and would have to, it
     * sends nothing and returns {@code null}, and the executor runs it again, free to wait. (A wait for a request slot
     * holds no thread: see {@link SlotQueue}; nor does the executor's wait for a connection that another call opens.)
     * So an asynchronous caller's thread only ever writes a request on a connection open and with a free slot.
     */
    private CompletableFuture<Envelope> offReader(Function<Boolean, CompletableFuture<Envelope>> exchange,
            Deadline deadline) {
        if (Thread.currentThread() instanceof ReaderThread || deadline.isAnotherCallsThread()) {
            // A reader must never wait, nor write: it would hold up the replies that end the wait. Nor a blocking
            // caller that read a reply for itself, on which completing it ran this other call's work.
            return handoff.submit(() -> offReader(exchange, deadline), deadline);
        }
        CompletableFuture<Envelope> sent;
        entering.incrementAndGet();
        try {
            if (retired) {
                throw new TransportRetiredException(Link.address(settings));
            }
            sent = exchange.apply(deadline.mayWaitHere());
        } catch (HpxException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            entering.decrementAndGet();
        }
        return sent != null ? sent : handoff.submit(() -> offReader(exchange, deadline), deadline);
    }

    /**
     * A retry's exchanger: the connections opened since the break, by a retry or any other call, which the retries
     * share as other calls share the pool (the least busy; one more while the pool has room), for each of the retry's
     * exchanges (a renewal, the call). When none is open, one is opened even in a full pool: its other connections may
     * be as dead as the one that broke, without their readers knowing yet.
     * <p>
     * The break's time is the pool's last, which a connection records before failing its requests: the time each
     * failure reached its retry is later, and may be after the first retry's new connection opened.
     */
    private final class SinceBreak implements Exchanger {

        private final long failedAt;

        SinceBreak(long failedAt) {
            this.failedAt = failedAt;
        }

        @Override
        public HpxProtocol protocol() {
            return HpxProtocol.G2;
        }

        @Override
        public CompletableFuture<Envelope> exchange(String command, String session, JsonNode data,
                ReplyReading reading, Deadline deadline) {
            return exchangeOn(this::openedSinceBreak, command, session, data, reading, deadline);
        }

        /**
         * A connection opened since the break, closed since or not: one whose slot a retry may take. (A retry handed a
         * slot of one that broke too fails: it was the call's one retry.)
         */
        private boolean openedSinceBreak(MultiplexedConnection candidate) {
            return candidate.openedAt() - failedAt >= 0;
        }

        @Override
        public <T> CompletableFuture<T> await(CompletableFuture<T> other, Deadline deadline) {
            return MultiplexPool.this.await(other, deadline);
        }
    }

    /**
     * By the call that claimed the open under way, which the claim's end then tells the calls that wait for it: a
     * connection that is {@code eligible} and reusable after all, or a new one with the caller's slot taken.
     */
    private Choice openUnless(Predicate<MultiplexedConnection> eligible, Deadline deadline) {
        MultiplexedConnection existing = reusable(eligible);
        if (existing != null) {
            // Its slot taken before the calls that waited for this open look: they would take it first.
            return new Choice(existing, takeSlotNow(existing));
        }
        MultiplexedConnection opened = adopt(sockets.open(settings, deadline), waiters);
        if (!opened.takeSlot()) {
            opened.close();
            throw new IllegalStateException("a connection just opened has no free request slot");
        }
        publish(opened);
        // Calls that wait for a slot (the pool was full until a connection broke) need not wait for a release here.
        waiters.offer(opened);
        return new Choice(opened, true);
    }

    /** Adds a connection just opened to those calls pick from; the caller holds the open's claim. */
    private void publish(MultiplexedConnection opened) {
        connections.add(opened);
        if (sockets.isClosed() || closed) {
            // The client or the pool closed between adopt's look and the add: its close cleared the list before this
            // one.
            opened.close();
        }
    }

    /**
     * The least busy open connection that is {@code eligible}, or {@code null} when there is none, or it is busy and the
     * pool may open another.
     */
    private MultiplexedConnection reusable(Predicate<MultiplexedConnection> eligible) {
        MultiplexedConnection best = leastBusy(eligible);
        return best != null && (best.slotsTaken() == 0 || connections.size() >= poolSize) ? best : null;
    }

    private MultiplexedConnection leastBusy(Predicate<MultiplexedConnection> eligible) {
        MultiplexedConnection best = null;
        boolean closed = false;
        for (MultiplexedConnection c : connections) {
            if (c.isClosed()) {
                closed = true;
            } else if (eligible.test(c) && (best == null || c.slotsTaken() < best.slotsTaken())) {
                best = c;
            }
        }
        if (closed) {
            // Only then: removeIf takes the list's lock even when it removes nothing, and every request came here.
            connections.removeIf(MultiplexedConnection::isClosed);
        }
        return best;
    }

    /** {@code waiters}: the pool's, for a connection of the pool; {@code null} for one of its own. */
    private MultiplexedConnection adopt(Link opened, SlotQueue waiters) {
        Link link = opened.speaking(HpxProtocol.G2, settings);
        lastWelcome = link.welcome;
        MultiplexedConnection connection = new MultiplexedConnection(link, settings, broadcasts, timer, handoff,
                () -> lastBreak = System.nanoTime(), waiters);
        if (sockets.isClosed()) {
            connection.close();
        }
        return connection;
    }

    @Override
    public ServerConnection openListening(Deadline deadline, Consumer<Socket> attempt) {
        return adopt(sockets.open(settings, deadline, attempt), null);
    }

    @Override
    public Welcome lastWelcome() {
        return lastWelcome;
    }

    @Override
    public ClientSettings settings() {
        return settings;
    }

    @Override
    public int openConnections() {
        connections.removeIf(MultiplexedConnection::isClosed);
        return connections.size();
    }

    @Override
    public boolean drained() {
        // The calls entering first: one that ends its entering published the connection it opened before.
        return entering.get() == 0 && openConnections() == 0;
    }

    @Override
    public int busyConnections() {
        int busy = 0;
        for (MultiplexedConnection c : connections) {
            if (!c.isClosed() && c.slotsTaken() > 0) {
                busy++;
            }
        }
        return busy;
    }

    @Override
    public void retire() {
        retired = true;
        waiters.failAll(this::retiredFailure);
        long every = RETIRE_CHECK.toNanos();
        retiring = timer.scheduleWithFixedDelay(this::closeAnswered, every, every, TimeUnit.NANOSECONDS);
    }

    /**
     * Closes the connections whose requests are all answered (or timed out: a server that went away may never
     * answer them); stops once none is left. A connection has no hook for its last reply, and the check stays
     * off the path of every call.
     */
    private void closeAnswered() {
        if (entering.get() > 0) {
            // A call may be picking a connection, having looked before the pool was retired: the next check.
            return;
        }
        for (MultiplexedConnection c : connections) {
            if (!c.awaitsReplies()) {
                c.close();
            }
        }
        connections.removeIf(MultiplexedConnection::isClosed);
        if (connections.isEmpty()) {
            retiring.cancel(false);
        }
    }

    @Override
    public void close() {
        closed = true;
        waiters.failAll(MultiplexPool::closedFailure);
        ScheduledFuture<?> checks = retiring;
        if (checks != null) {
            checks.cancel(false);
        }
        connections.forEach(MultiplexedConnection::close);
        connections.clear();
    }
}
