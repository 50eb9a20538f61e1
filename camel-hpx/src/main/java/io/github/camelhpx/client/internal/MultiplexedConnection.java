package io.github.camelhpx.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.Broadcast;
import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxProtocolException;
import io.github.camelhpx.client.HpxServerDisconnectedException;
import io.github.camelhpx.client.HpxTimeoutException;
import io.github.camelhpx.client.ServerCommand;
import io.github.camelhpx.client.Welcome;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One G2 socket carrying several requests at once, each with its own {@code __id__}. Callers write their request
 * on their own thread, or queue it for the thread writing already (see {@link #write}); one reader thread per
 * connection completes each request's future by id, in whatever order the replies come. A reply whose id matches
 * nothing in flight (a late reply after a timeout, an unsolicited frame) is logged and dropped; a broadcast goes to
 * the {@link BroadcastDispatcher}. When the connection breaks, every request in flight fails at once with the cause.
 * <p>
 * The futures of asynchronous calls complete on the reader thread: what a caller chains to them without an
 * executor runs there, and holds up every other reply of the connection while it runs.
 * <p>
 * A blocking caller (one that started its call with {@link Deadline#startAwaitedHere}) reads its own reply when the
 * socket is free: waking a caller from another thread costs more than the rest of a call on a small machine. Whoever
 * reads holds the read role. The reader thread leaves the socket to blocking callers while nothing else is in flight,
 * and takes it back for requests they leave in flight, for late replies, for a listening connection, and after the
 * settings' {@code idleWatchDelay} (50 ms) without a read, so that a broadcast or a close on an idle connection is seen
 * soon. What a caller reads for others (their replies, broadcasts) it copies and hands to the reader thread to decode
 * and deliver, so that nothing but its own call runs on it (decoding a big tree, or a user's deserializer, could hold
 * it past its deadline), and waits (within its deadline) for the reader to have run it before its own reply completes,
 * so that they come in the order the reader alone would give. A caller reads with socket timeouts that end at its
 * deadline, and looks between them whether it was interrupted; the frame decoder keeps a frame cut short, and the
 * reader goes on where the caller stopped. The price: a socket once read with a timeout stays non-blocking in the JDK,
 * and each read or write that would block costs a failed call and a {@code poll} more. Not over TLS, whose reads a
 * timeout may break, nor on a virtual thread, whose interrupt would close the socket under every other call.
 */
public final class MultiplexedConnection implements ServerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(MultiplexedConnection.class);
    private static final String STALLED_WRITE = "writing the request (the server stopped reading)";
    private static final long WRITE_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * How many requests a caller's thread writes in a turn, its own included, before it leaves what is still queued to
     * the client's executor (more while its own is still to come; see {@link #writeQueued} for those it leaves
     * whatever the count): small writes take a few microseconds each, less than waking a thread to make them. As many
     * as a connection carries by default: with 8, 16 blocking callers on one connection had a client thread spend
     * 0.4 µs of CPU a call on what they left (of 27-33 µs a call in all), with 16 under 0.1 µs.
     */
    public static final int WRITES_PER_TURN = 16;
    /** The longest a caller's read waits before it looks whether its thread was interrupted, or its call ended. */
    private static final int CALLER_READ_SLICE_MILLIS = 100;

    private final Link link;
    private final MsgpackCodec codec;
    private final ClientSettings settings;
    private final BroadcastDispatcher broadcasts;
    private final Runnable onBreak;
    /** Writes what a caller's thread left queued, and fails requests whose write failed on another caller's thread. */
    private final Handoff handoff;
    /** The pool's calls waiting for a slot of any of its connections; {@code null} on a connection of no pool's. */
    private final SlotQueue waiters;
    private final Map<Long, Pending> inFlight = new ConcurrentHashMap<>();
    /**
     * Requests that timed out and are still being answered: the server works through them before the next. Each
     * keeps its slot until its reply comes, so that no more than {@code maxInFlight} requests ever wait at the
     * server: callers whose requests time out would otherwise pile up a backlog that every later call waits behind.
     */
    private final Map<Long, Pending> late = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Semaphore slots;
    private final ReentrantLock writing = new ReentrantLock();
    /** Requests waiting to be written, in the order they came: whoever holds {@code writing} writes them. */
    private final Queue<Outgoing> outgoing = new ConcurrentLinkedQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread reader;
    private final Sweeper sweeper;
    private final ScheduledExecutorService timer;
    private final long openedAt = System.nanoTime();
    private volatile HpxException closedBy;
    // Set before closedBy: whether the connection failed, rather than being closed on purpose.
    private volatile boolean broken;
    /** Whether the requests in flight were failed after the connection ended: the sweeps stop then. */
    private volatile boolean drained;
    /** The request whose frame is being written, if one is; written under {@code writing}. */
    private volatile Pending writingNow;
    // The request whose write outlived its deadline, when that ended the connection. Written before closedBy, and
    // read after it: it fails with its own timeout on whichever thread fails it.
    private Pending timedOutWriting;
    /** For the {@link BroadcastDispatcher}: read on the reader only. */
    private long seenUntil;
    /** Guards the read role, the work handed to the reader thread, and when the reader last left the socket. */
    private final Object readRole = new Object();
    private volatile boolean roleTaken;
    /** The socket's read timeout as last set, by the holder of the read role; -1 before the first. */
    private int readTimeoutMillis = -1;
    private final ArrayDeque<Runnable> handedOver = new ArrayDeque<>();
    private long quietSince = System.nanoTime();
    /**
     * A request no caller reads for is in flight: the reader thread takes the socket. (Not every request in flight:
     * that of a caller about to read for itself would draw the reader in before it.)
     */
    private volatile boolean readerNeeded;
    /** A blocking caller found the role taken: the reader leaves the socket once nothing is in flight. */
    private volatile boolean callerWaited;
    private volatile boolean listening;
    private final boolean callersRead;
    /** How long the reader thread leaves an idle socket to blocking callers before it reads it while idle. */
    private final long idleWatchNanos;
    /** The reader thread ran the last work handed to it: what comes later runs where it is handed. */
    private boolean readerEnded;

    /**
     * {@code onBreak} runs once when the connection fails (not when closed), before the requests in flight fail;
     * {@code waiters} are offered each slot given back, or {@code null}.
     */
    MultiplexedConnection(Link link, ClientSettings settings, BroadcastDispatcher broadcasts,
            ScheduledExecutorService timer, Handoff handoff, Runnable onBreak, SlotQueue waiters) {
        this.link = link;
        this.onBreak = onBreak;
        this.handoff = handoff;
        this.waiters = waiters;
        this.codec = (MsgpackCodec) link.codec;
        this.settings = settings;
        this.broadcasts = broadcasts;
        this.timer = timer;
        this.sweeper = new Sweeper(timer, this::sweep);
        // Fair: a call waiting for a slot gets the next one freed before any call that comes after it.
        this.slots = new Semaphore(settings.maxInFlight(), true);
        this.seenUntil = link.openedAt;
        this.callersRead = !link.overTls();
        this.idleWatchNanos = settings.idleWatchDelay().toNanos();
        this.reader = new ReaderThread(this::readLoop, "hpx-reader-" + Link.address(settings));
        reader.start();
    }

    private static final int HELD = 0;
    private static final int LATE = 1;
    private static final int FREED = 2;

    private final class Pending {

        private final long id;
        private final ReplyReading reading;
        private final CompletableFuture<Envelope> reply = new Reply();
        private final Deadline deadline;
        /** Who holds its slot: the request ({@link #HELD}), its late reply ({@link #LATE}), or no one. */
        private final AtomicInteger slot = new AtomicInteger(HELD);
        /** Whether its frame may have gone out, so that a reply may come after it timed out. */
        private volatile boolean sent;
        /** The deadline its write armed the watchdog with (nanoTime), once it is written. */
        private volatile long writeDeadline;

        Pending(long id, ReplyReading reading, Deadline deadline) {
            this.id = id;
            this.reading = reading;
            this.deadline = deadline;
        }

        /** Gives its place in flight back, and its slot unless its late reply holds it now. */
        void free() {
            inFlight.remove(id, this);
            if (slot.compareAndSet(HELD, FREED)) {
                giveSlotBack();
            }
        }

        /** Hands its slot to its late reply; false when it was given back already. */
        boolean holdSlotForReply() {
            return slot.compareAndSet(HELD, LATE);
        }

        /** Its late reply came, or will not: the slot is given back. */
        void answeredLate() {
            if (slot.compareAndSet(LATE, FREED)) {
                giveSlotBack();
            }
        }

        /**
         * Frees the request before it completes: what completing it runs on the reader (a session renewal that
         * sends a handshake on this connection) may need its slot, and would wait for it on the very thread that
         * must read the answer. (A cancel bypasses these two; {@link #exchange} frees on any completion too.)
         */
        private final class Reply extends CompletableFuture<Envelope> {

            @Override
            public boolean complete(Envelope value) {
                if (isDone()) {
                    return false;
                }
                free();
                return super.complete(value);
            }

            @Override
            public boolean completeExceptionally(Throwable failure) {
                if (isDone()) {
                    return false;
                }
                free();
                return super.completeExceptionally(failure);
            }
        }

        long id() {
            return id;
        }

        ReplyReading reading() {
            return reading;
        }

        CompletableFuture<Envelope> reply() {
            return reply;
        }

        Deadline deadline() {
            return deadline;
        }

        /** The deadline, in {@link System#nanoTime()}. */
        long expiresAt() {
            return deadline.at();
        }
    }

    @Override
    public HpxProtocol protocol() {
        return HpxProtocol.G2;
    }

    @Override
    public Welcome welcome() {
        return link.welcome;
    }

    @Override
    public boolean isClosed() {
        return closedBy != null;
    }

    /** When the connection was made, in {@link System#nanoTime()}. */
    long openedAt() {
        return openedAt;
    }

    /**
     * The request slots taken: by requests sent and not yet answered, those that timed out included, and by one a
     * call is about to send (taken before its request is registered, so that other calls see the slot gone at once).
     */
    int slotsTaken() {
        return settings.maxInFlight() - slots.availablePermits();
    }

    /**
     * Whether a request awaits its reply within its deadline (one that timed out no longer does), or a call holds a
     * slot to send one (taken for it, or handed to it by the pool's {@link SlotQueue}, and not yet registered).
     */
    boolean awaitsReplies() {
        return !inFlight.isEmpty() || slotsTaken() > late.size();
    }

    /**
     * Writes the request from the calling thread and returns its reply's future, which the reader completes, or which
     * a blocking caller has read and completed itself by the time this returns. Waits for a free slot when
     * {@code maxInFlight} requests are in flight, no longer than the deadline. (A connection of its own, e.g. a broadcast
     * watch's: a pool's calls take their slots with {@link #takeSlot}, or from the pool's {@link SlotQueue}.)
     */
    @Override
    public CompletableFuture<Envelope> exchange(String command, String session, JsonNode data, ReplyReading reading,
            Deadline deadline) {
        try {
            // A free slot is taken without waiting, as takeSlot does, so that an interrupted thread (a route being
            // stopped, sending stop_command) can still send; it takes one even before calls waiting for one.
            boolean now = Thread.currentThread().isInterrupted() ? slots.tryAcquire() : takeSlot();
            if (!now && !slots.tryAcquire(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS)) {
                return CompletableFuture.failedFuture(deadline.expired(Link.address(settings),
                        "waiting for one of the connection's " + settings.maxInFlight() + " request slots", null));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new HpxConnectionException("interrupted while waiting to send", e));
        }
        return sendOnSlot(command, session, data, reading, deadline);
    }

    /**
     * Takes a request slot for {@link #sendOnSlot} without waiting: false when none is free now, or when calls wait for
     * one (a slot freed is theirs: taken here, later calls would go ahead of them, and could keep them waiting past
     * their deadlines).
     */
    boolean takeSlot() {
        return !slots.hasQueuedThreads() && slots.tryAcquire();
    }

    /**
     * Gives a slot back: to a call waiting on this connection if one does, else to the call of the pool's
     * {@link SlotQueue} that waited longest.
     */
    void giveSlotBack() {
        slots.release();
        if (waiters != null && !waiters.isEmpty()) {
            waiters.offerGivenBack(this);
        }
    }

    /** Gives a slot back to this connection only: for the {@link SlotQueue}, which offers it itself. */
    void releaseSlot() {
        slots.release();
    }

    /** As {@link #exchange}, on a slot {@link #takeSlot} took for this request. */
    CompletableFuture<Envelope> sendOnSlot(String command, String session, JsonNode data, ReplyReading reading,
            Deadline deadline) {
        Pending pending = new Pending(ids.incrementAndGet(), reading, deadline);
        inFlight.put(pending.id(), pending);
        pending.reply().whenComplete((reply, failure) -> pending.free());
        HpxException closed = closedBy;
        if (closed != null) {
            pending.reply().completeExceptionally(notSent(closed));
            return pending.reply();
        }
        try {
            sweeper.by(pending.expiresAt());
        } catch (RejectedExecutionException e) {
            pending.reply().completeExceptionally(new HpxConnectionException("HPX client is closed", e));
            return pending.reply();
        }
        write(pending, command, session, data);
        // Not while its request is still queued: a failure of its write (on another thread) would not end its read.
        boolean read = deadline.isAwaitedHere() && pending.sent && !pending.reply().isDone() && readOwnReply(pending);
        if (!read && !pending.reply().isDone() && !roleTaken) {
            // A caller that holds the role sees this request when it lets go (put before roleTaken is read).
            readerNeeded = true;
            wakeReader();
        }
        return pending.reply();
    }

    /**
     * Reads frames on the calling thread until its own reply came, or its deadline passed, if it can take the role;
     * returns whether it read, or found another reading.
     */
    private boolean readOwnReply(Pending own) {
        if (!callersRead || VirtualThreads.isCurrent() || Thread.currentThread().isInterrupted()) {
            return false;
        }
        synchronized (readRole) {
            if (roleTaken || closedBy != null) {
                callerWaited = true;
                return true;
            }
            roleTaken = true;
            // It reads what made the reader needed; what it leaves in flight makes it needed again when it lets go.
            readerNeeded = false;
        }
        try {
            FrameBuffer.Frame frame;
            Runnable beforeOwn = NOTHING;
            while (!own.reply().isDone() && (frame = readWithin(own)) != null) {
                // Its own reply completes here; what is for others goes to the reader thread, and reaches them first.
                Runnable forOthers = received(frame, own, beforeOwn);
                if (forOthers != NOTHING) {
                    hand(forOthers);
                    beforeOwn = () -> awaitHanded(own);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            fail(readFailure(e));
        } finally {
            synchronized (readRole) {
                leaveSocket();
            }
        }
        return true;
    }

    /**
     * Sets the socket's read timeout, unless it is set so already: a caller reads with the one its deadline leaves,
     * the reader thread with none, and successive callers far from their deadlines with the same one, set once.
     * By the holder of the read role only.
     */
    private void readTimeout(int millis) throws SocketException {
        if (millis != readTimeoutMillis) {
            link.socket.setSoTimeout(millis);
            readTimeoutMillis = millis;
        }
    }

    /**
     * Gives the read role up; under {@code readRole}. What is still due (a request put in flight after the last look,
     * which found the role taken and woke nobody; a late reply) makes the reader thread needed.
     */
    private void leaveSocket() {
        roleTaken = false;
        quietSince = System.nanoTime();
        if (!inFlight.isEmpty() || !late.isEmpty()) {
            readerNeeded = true;
            readRole.notifyAll();
        }
    }

    /**
     * The next frame, or {@code null} when {@code own}'s deadline passed first, or its call ended otherwise (what came
     * of the frame stays buffered).
     */
    private FrameBuffer.Frame readWithin(Pending own) throws IOException {
        if (own.deadline().remainingNanos() <= 0) {
            return null;
        }
        try {
            return FailedFrames.readFrame(settings, link, new InputWithin(own));
        } catch (SocketTimeoutException e) {
            if (link.deadlines.passed()) {
                // Not this read's timeout: a write outlived its deadline, which ends the connection.
                throw e;
            }
            return null;
        }
    }

    /**
     * The link's input, each read bounded by what is left of a caller's deadline: a frame's bytes may trickle in,
     * each read getting some, past it. It also ends when the caller's call ended otherwise: its write failed on the
     * thread that made it (a refused hand-over), after the caller saw its request taken.
     */
    private final class InputWithin extends InputStream {

        private final Pending own;

        InputWithin(Pending own) {
            this.own = own;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                long left = own.deadline().remainingNanos();
                if (left <= 0 || own.reply().isDone() || Thread.currentThread().isInterrupted()) {
                    // The caller ends now; the reader goes on with what is left of the frame.
                    throw new SocketTimeoutException("the caller's deadline passed, its call ended, or it was"
                            + " interrupted");
                }
                // In slices: a socket read does not end when its thread is interrupted.
                readTimeout((int) Math.min(CALLER_READ_SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
                try {
                    return link.in.read(b, off, len);
                } catch (SocketTimeoutException e) {
                    if (link.deadlines.passed()) {
                        throw e;
                    }
                }
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    private void hand(Runnable work) {
        synchronized (readRole) {
            if (!readerEnded) {
                handedOver.add(work);
                readRole.notifyAll();
                return;
            }
        }
        // Read before the end, handed after the reader's last look: an answer all the same.
        work.run();
    }

    private void wakeReader() {
        synchronized (readRole) {
            readRole.notifyAll();
        }
    }

    /**
     * Queues the request, then writes what is queued if the write lock is free. A caller that finds another's write
     * under way leaves its request to that writer, which looks at the queue again once it lets go, and returns at once:
     * no thread waits for the lock (16 blocking callers on one connection parked for it in 6 calls of 10, each park a
     * wake-up and two context switches more). The requests go out in the order their callers came, but for a caller's
     * own, which its thread writes ahead of a request due later (see {@link #writeQueued}).
     */
    private void write(Pending pending, String command, String session, JsonNode data) {
        Outgoing request = new Outgoing(pending, command, session, data);
        outgoing.add(request);
        writeQueued(request);
    }

    /**
     * Writes queued requests while the write lock is free and something is queued. A caller's thread ({@code mine}: its
     * request) writes others' only when they are due no later than its own call, with the write's grace, and only
     * before its own deadline (a write stuck behind a server slow to read then holds it no longer than its own would),
     * at most {@link #WRITES_PER_TURN} in all unless its own is still to come; its own it writes in any case, ahead of
     * the first it may not write, which it leaves with the rest to the executor. The executor's thread ({@code mine}
     * null) writes until nothing is queued. What is left is handed over before any failure completes: failures complete
     * once the thread has done writing, others' on the executor when the thread is a caller's, as what they run (a
     * route's error handling) must not hold up this caller.
     */
    private void writeQueued(Outgoing mine) {
        Pending own = mine == null ? null : mine.pending;
        int budget = WRITES_PER_TURN;
        boolean ownTaken = false;
        boolean leftOver = false;
        List<Outgoing> failed = null;
        while (!leftOver && !outgoing.isEmpty() && writing.tryLock()) {
            try {
                Outgoing next;
                while ((next = outgoing.peek()) != null) {
                    if (next.pending.reply().isDone()) {
                        // Ended while queued (its deadline, the connection's end): nothing of it goes out.
                        outgoing.poll();
                        continue;
                    }
                    if (own != null && next.pending != own && !mayWrite(next.pending, own, budget, ownTaken)) {
                        leftOver = true;
                        // Behind a request due later its own would wait for the executor, and go out no sooner.
                        next = !ownTaken && outgoing.remove(mine) ? mine : null;
                        if (next == null) {
                            break;
                        }
                    } else {
                        outgoing.poll();
                    }
                    ownTaken |= next == mine;
                    budget--;
                    try {
                        next.failure = writeLocked(next.pending, next.command, next.session, next.data);
                    } finally {
                        // Not before: a close by the watchdog during the write must find which request it stalled.
                        writingNow = null;
                    }
                    if (next.failure != null) {
                        (failed == null ? failed = new ArrayList<>() : failed).add(next);
                    }
                    if (leftOver) {
                        break;
                    }
                }
            } finally {
                writing.unlock();
            }
        }
        if (leftOver) {
            handTheRest();
        }
        if (failed != null) {
            // Its own last: what it runs may be this very caller going on.
            failed.stream().filter(request -> request != mine)
                    .forEach(own == null ? this::failWrite : this::failElsewhere);
            failed.stream().filter(request -> request == mine).forEach(this::failWrite);
        }
    }

    /**
     * Whether a caller's thread, writing for {@code own}, may write another's request {@code next} in this turn:
     * {@code ownTaken} when it has written its own (or tried to).
     */
    private boolean mayWrite(Pending next, Pending own, int budget, boolean ownTaken) {
        boolean ownDone = ownTaken || own.sent || own.reply().isDone();
        // Not once its own deadline passed: a write it starts then is armed for up to WRITE_GRACE beyond it.
        return (budget > 0 || !ownDone) && next.expiresAt() - own.expiresAt() - WRITE_GRACE_NANOS <= 0
                && own.expiresAt() - System.nanoTime() > 0;
    }

    /**
     * Hands what is still queued to the executor, within the latest deadline among it: requests queued later are
     * written by their own callers, or by the writer they found. Should the executor refuse, what is queued fails so,
     * never sent; should the deadline pass first, each request queued here was ended by its own deadline already.
     */
    private void handTheRest() {
        Deadline latest = null;
        for (Outgoing request : outgoing) {
            if (latest == null || request.pending.expiresAt() - latest.at() > 0) {
                latest = request.pending.deadline();
            }
        }
        if (latest == null) {
            return;
        }
        handoff.submit(() -> {
            writeQueued(null);
            return WRITE_HANDED;
        }, latest).whenComplete((written, refused) -> {
            if (refused instanceof HpxConnectionException refusal && !(refused instanceof HpxTimeoutException)) {
                refuseQueued(refusal);
            }
        });
    }

    /**
     * Fails what is queued, never sent, because the executor refused to write it; under the write lock, so that a
     * request a writer has taken is written. A writer that holds the lock looks at the queue again once it lets go.
     */
    private void refuseQueued(HpxConnectionException refusal) {
        List<Outgoing> refused = new ArrayList<>();
        while (!outgoing.isEmpty() && writing.tryLock()) {
            try {
                Outgoing request;
                while ((request = outgoing.poll()) != null) {
                    request.failure = new Failure(refusal, true);
                    refused.add(request);
                }
            } finally {
                writing.unlock();
            }
        }
        refused.forEach(this::failWrite);
    }

    /** Fails another caller's request whose write failed on the executor, or here when the executor cannot. */
    private void failElsewhere(Outgoing request) {
        handoff.submit(() -> {
            failWrite(request);
            return WRITE_HANDED;
        }, request.pending.deadline()).whenComplete((done, refused) -> {
            if (refused != null) {
                failWrite(request);
            }
        });
    }

    private void failWrite(Outgoing request) {
        Pending pending = request.pending;
        pending.reply().completeExceptionally(request.failure.cause());
        if (request.failure.neverSent()) {
            // After: a sweep that came first made it late, and one that comes later finds it gone from inFlight.
            settleLate(pending.id());
        }
    }

    /** A request waiting to be written; {@code failure}: why its write failed, set by its writer. */
    private static final class Outgoing {
        final Pending pending;
        final String command;
        final String session;
        final JsonNode data;
        Failure failure;

        Outgoing(Pending pending, String command, String session, JsonNode data) {
            this.pending = pending;
            this.command = command;
            this.session = session;
            this.data = data;
        }
    }

    /** Why a request's write failed; {@code neverSent}: it expired, marked sent, before a byte of it went out. */
    private record Failure(HpxException cause, boolean neverSent) {
    }

    /** Writes the request under the write lock; returns why it failed, or {@code null}. */
    private Failure writeLocked(Pending pending, String command, String session, JsonNode data) {
        HpxException closed = closedBy;
        if (closed != null) {
            // Ended while the request waited to be written: nothing of it goes out.
            return new Failure(notSent(closed), false);
        }
        try {
            GrowableBuffer frame = codec.encode(pending.id(), command, session, settings.clientName(), data);
            // Before the last look at the deadline: a sweep from now on counts on a reply that may still come.
            pending.sent = true;
            long now = System.nanoTime();
            if (pending.expiresAt() - now <= 0) {
                // Armed, a deadline already passed would close the connection under every other request.
                return new Failure(pending.deadline().expired(Link.address(settings), "waiting to send", null), true);
            }
            HpxException refused = send(frame, pending);
            // A thread of the client's was to write it, and none did: nothing of it went out.
            return refused == null ? null : new Failure(refused, true);
        } catch (HpxException e) {
            // Refused before a byte went out: this request fails, the connection goes on.
            return new Failure(e, false);
        } catch (IOException e) {
            HpxServerDisconnectedException gone = new HpxServerDisconnectedException("HPX connection to "
                    + Link.address(settings) + " was gone when the request was sent: " + e, false, e);
            // The break first, under the lock, where it is the write under way: this request's retry must find it
            // recorded. The others fail on the reader. This one fails with what ended the connection first (a close
            // of the client is no break to retry).
            fail(gone);
            HpxException reason = closedBy;
            return new Failure(pending == timedOutWriting ? stalled(pending, reason) : reason, false);
        } catch (RuntimeException e) {
            // None of the above: whether any of it went out is not known, so the connection cannot go on. A failure
            // rather than a throw, as the thread may be writing another caller's request.
            fail(new HpxProtocolException("HPX request could not be written: " + e, e));
            return new Failure(closedBy, false);
        }
    }

    /**
     * Writes the frame, payload and delimiter in one write (with two, Nagle and delayed ACKs stall every call); under
     * the write lock. A virtual thread has a thread of the client's write it, and waits for that write to end whatever
     * interrupts it, with the lock and the frame kept: the JDK closes the socket of a virtual thread interrupted while
     * its write waits (a server slow to read), under every other request of the connection. Returns why such a write
     * was never made (the executor refused it, or the deadline passed in its queue), or {@code null}.
     */
    private HpxException send(GrowableBuffer frame, Pending pending) throws IOException {
        Deadline deadline = pending.deadline();
        if (!VirtualThreads.isCurrent() || deadline.isHandedHere()) {
            writeOut(frame, pending);
            return null;
        }
        CompletableFuture<Void> written = handoff.submit(() -> {
            try {
                writeOut(frame, pending);
                return WRITE_HANDED;
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }, deadline);
        try {
            // join, not get: an interrupt does not end the wait.
            written.join();
            return null;
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException failed) {
                throw failed;
            }
            if (e.getCause() instanceof HpxException refused) {
                return refused;
            }
            throw e;
        }
    }

    /**
     * A server that stops reading fills the socket's buffers and would block the write for good: the watchdog closes
     * the connection if the write outlives the request's deadline. A request written with less than WRITE_GRACE left
     * gets that long, so that a writer descheduled for a moment does not close the connection under every other
     * request (its own reply still times out at its deadline). Armed and disarmed by the thread that writes: a write
     * that waits for a thread of the executor, or a virtual caller that waits to be woken after it, is no write the
     * server stopped reading.
     */
    private void writeOut(GrowableBuffer frame, Pending pending) throws IOException {
        long graceEnds = System.nanoTime() + WRITE_GRACE_NANOS;
        pending.writeDeadline = pending.expiresAt() - graceEnds < 0 ? graceEnds : pending.expiresAt();
        writingNow = pending;
        link.deadlines.deadline(pending.writeDeadline);
        try {
            link.out.write(frame.array(), 0, frame.size());
            link.out.flush();
        } finally {
            link.deadlines.deadline(DeadlineInputStream.NONE);
        }
    }

    private static final CompletableFuture<Void> WRITE_HANDED = CompletableFuture.completedFuture(null);

    @Override
    public <T> CompletableFuture<T> await(CompletableFuture<T> other, Deadline deadline) {
        return deadline.bound(other, timer, Link.address(settings), "waiting for the session");
    }

    /** Fails the requests whose deadline has passed; returns the earliest deadline of the others. */
    private long sweep(long now) {
        long next = Sweeper.NONE;
        for (Pending pending : inFlight.values()) {
            if (pending.expiresAt() - now <= 0) {
                expire(pending);
            } else if (next == Sweeper.NONE || pending.expiresAt() - next < 0) {
                next = pending.expiresAt();
            }
        }
        return drained ? Sweeper.NONE : next;
    }

    private void expire(Pending pending) {
        // A request never sent gets no reply: it gives its slot back now.
        if (!pending.sent) {
            if (inFlight.remove(pending.id(), pending)) {
                pending.reply().completeExceptionally(pending.deadline().expired(Link.address(settings),
                        "waiting to send", null));
            }
            return;
        }
        if (!pending.holdSlotForReply()) {
            return;
        }
        // Late before it leaves inFlight, so the reader drops its reply quietly whenever it comes.
        late.put(pending.id(), pending);
        if (inFlight.remove(pending.id(), pending)) {
            if (late.size() >= settings.maxInFlight()) {
                // Nothing more could be sent until the server answers requests that all outlived their deadlines.
                // Closed before the caller learns of its timeout, so that its next call goes on a new connection.
                fail(new HpxConnectionException("HPX server " + Link.address(settings) + " answered none of the "
                        + late.size() + " requests that timed out on a connection, which was closed so that calls"
                        + " go on a new one", null));
            }
            pending.reply().completeExceptionally(pending.deadline().expired(Link.address(settings),
                    pending == writingNow ? STALLED_WRITE : "waiting for the reply", null));
        } else {
            // Its reply was read first, and completes it: the slot is the late record's to give back.
            settleLate(pending.id());
        }
    }

    /** A late request's reply came, or never will: its slot is given back. */
    private boolean settleLate(long id) {
        Pending pending = late.remove(id);
        if (pending == null) {
            return false;
        }
        pending.answeredLate();
        return true;
    }

    private void readLoop() {
        // The link comes with its deadline disarmed; from now on only writes arm it.
        try {
            Runnable handed;
            while ((handed = nextTurn()) != null) {
                if (handed != TAKE_SOCKET) {
                    handed.run();
                    continue;
                }
                // A caller that read last left its socket timeout set: the reader's reads wait as long as it takes.
                readTimeout(0);
                do {
                    received(FailedFrames.readFrame(settings, link), null, NOTHING).run();
                } while (!mayLeaveSocket());
                // Not when a read failed: the role is kept until the failure has ended the connection, so that no
                // caller reads on from a decoder left in the middle of a broken frame.
                synchronized (readRole) {
                    callerWaited = false;
                    leaveSocket();
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            fail(readFailure(e));
        } finally {
            try {
                if (closedBy != null) {
                    // Closed first, whoever ended the connection: a writer that comes after the look at what was sent
                    // must find the link closed, or a request told it was not sent could go out still.
                    link.close();
                    try {
                        // Replies a caller read before the end are answers all the same.
                        runHandedOver();
                    } finally {
                        failInFlight();
                    }
                }
            } finally {
                ended.countDown();
            }
        }
    }

    private static final Runnable NOTHING = () -> {
    };
    /** The reader thread's turn to read: never handed over. */
    private static final Runnable TAKE_SOCKET = () -> {
    };

    /**
     * Waits for the reader thread's next turn: work a caller handed over, or {@link #TAKE_SOCKET} once it holds the
     * read role; {@code null} when the connection ended.
     */
    private Runnable nextTurn() {
        synchronized (readRole) {
            while (closedBy == null) {
                if (!handedOver.isEmpty()) {
                    return handedOver.poll();
                }
                long quietFor = System.nanoTime() - quietSince;
                if (!roleTaken && (readerNeeded || listening || !callersRead || quietFor >= idleWatchNanos)) {
                    roleTaken = true;
                    readerNeeded = false;
                    return TAKE_SOCKET;
                }
                try {
                    // Timed even while a caller reads: one that ends with nothing left in flight does not wake this.
                    TimeUnit.NANOSECONDS.timedWait(readRole, roleTaken ? idleWatchNanos : idleWatchNanos - quietFor);
                } catch (InterruptedException e) {
                    // Set by work run here (a continuation), not a request to stop: the connection's end wakes this.
                }
            }
            return null;
        }
    }

    /** Whether the reader thread may leave the socket to blocking callers: one waited, and nothing else is due. */
    private boolean mayLeaveSocket() {
        return callerWaited && !listening && inFlight.isEmpty() && late.isEmpty() && closedBy == null;
    }

    private void runHandedOver() {
        Runnable work;
        while (true) {
            synchronized (readRole) {
                work = handedOver.poll();
                if (work == null) {
                    readerEnded = true;
                    return;
                }
            }
            work.run();
        }
    }

    /** What a read that broke off with {@code e} means for the connection. */
    private HpxException readFailure(Throwable e) {
        if (e instanceof HpxException failure) {
            return failure;
        }
        if (e instanceof SocketException && !codec.hasBufferedBytes()) {
            return new HpxServerDisconnectedException("HPX server " + Link.address(settings)
                    + " reset the connection before replying: " + e.getMessage(), false, e);
        }
        if (e instanceof IOException io) {
            return Link.transportFailure(settings, io);
        }
        return new HpxProtocolException("HPX reply could not be read: " + e, e);
    }

    /**
     * Takes a frame on the thread that read it. The reply to {@code own} is decoded and completes here; what delivers
     * the rest (a reply to another request, a broadcast) is returned, decoded already when the reader thread read it,
     * to be decoded by the reader thread when a caller did. A request stays in flight until its reply completes it, so
     * that a sweep still ends one whose reply waits to be delivered. {@code beforeOwn} runs before {@code own}'s
     * reply completes.
     */
    private Runnable received(FrameBuffer.Frame frame, Pending own, Runnable beforeOwn) {
        JsonNode id = codec.peekId(frame);
        Pending pending = id != null && id.canConvertToLong() ? inFlight.get(id.asLong()) : null;
        if (pending == null && isLate(id)) {
            codec.releaseFrame();
            LOG.debug("Dropping the late reply to HPX request {}, which timed out", id);
            return NOTHING;
        }
        if (own != null && pending != own) {
            // A caller decodes its own reply only: another's (a big tree, a user's deserializer) could hold it past
            // its deadline. The reader thread decodes a copy, since the caller reads on into the decoder's buffer.
            FrameBuffer.Frame copy = frame.detach();
            codec.releaseFrame();
            long readAt = System.nanoTime();
            if (pending == null) {
                return () -> unasked(copy, readAt, false).run();
            }
            // Decoded while still in flight, as the reader's own reads are: a sweep ends it at its deadline meanwhile.
            return () -> delivery(pending, answer(pending, copy, false)).run();
        }
        if (pending == null) {
            return unasked(frame, System.nanoTime(), true);
        }
        Runnable delivery = delivery(pending, answer(pending, frame, true));
        if (pending != own) {
            return delivery;
        }
        beforeOwn.run();
        delivery.run();
        return NOTHING;
    }

    /** What completes {@code pending} with {@code completion}, unless it timed out meanwhile. */
    private Runnable delivery(Pending pending, Runnable completion) {
        return () -> {
            if (inFlight.remove(pending.id(), pending)) {
                completion.run();
            } else {
                // Timed out meanwhile: this was its late reply.
                settleLate(pending.id());
            }
        };
    }

    /**
     * Waits, within the caller's deadline, until the reader thread has run what the caller handed it: what was read
     * before a reply (a broadcast, another call's reply) reaches its listeners and callers before that reply's
     * caller goes on, as when the reader reads it all. Handed work never waits for the read role the caller holds.
     * A request that ends meanwhile (the connection closed, its deadline swept) ends the wait too.
     */
    private void awaitHanded(Pending own) {
        CountDownLatch ran = new CountDownLatch(1);
        hand(ran::countDown);
        own.reply().whenComplete((reply, failure) -> ran.countDown());
        try {
            ran.await(Math.max(0, own.deadline().remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether {@code id} is of a request that timed out, now answered at last; it no longer counts as in flight, and
     * its slot is given back.
     */
    private boolean isLate(JsonNode id) {
        return id != null && id.canConvertToLong() && settleLate(id.asLong());
    }

    /**
     * Decodes a reply; returns what completes its request. {@code buffered}: the frame is the decoder's, whose buffer
     * is then released, rather than a copy.
     */
    private Runnable answer(Pending pending, FrameBuffer.Frame frame, boolean buffered) {
        Envelope reply;
        try {
            reply = FailedFrames.read(settings, link, pending.reading(), frame);
        } catch (HpxException e) {
            // The frame's bounds were sound, only its content is not: this request fails, the others go on.
            release(buffered);
            return () -> pending.reply().completeExceptionally(e);
        } catch (RuntimeException | Error e) {
            Fatal.rethrowIfFatal(e);
            HpxProtocolException failure = new HpxProtocolException("HPX reply could not be read: " + e, e);
            if (buffered) {
                // The read broke off inside the decoder's frame, so the connection cannot go on. It is failed first: a
                // caller woken by this request's failure must not send its next call on it. A copy leaves the decoder
                // sound.
                fail(failure);
            }
            return () -> pending.reply().completeExceptionally(failure);
        }
        release(buffered);
        return () -> pending.reply().complete(reply);
    }

    /**
     * Decodes a message that answers no request, read at {@code readAt}; returns what delivers it. {@code buffered} as
     * for {@link #answer}.
     */
    private Runnable unasked(FrameBuffer.Frame frame, long readAt, boolean buffered) {
        Envelope message;
        try {
            message = FailedFrames.read(settings, link, ReplyReading.TREE, frame);
        } catch (HpxException e) {
            LOG.warn("Dropping an undecodable HPX message that answers no request in flight: {}", e.getMessage());
            return NOTHING;
        } catch (RuntimeException | Error e) {
            if (buffered) {
                throw e;
            }
            // A copy leaves the decoder sound: the connection goes on without this message.
            Fatal.rethrowIfFatal(e);
            LOG.warn("Dropping an HPX message that answers no request in flight and could not be read: {}",
                    e.toString());
            return NOTHING;
        } finally {
            release(buffered);
        }
        // When it was read, not when the reader thread delivers it: copies of a broadcast are told by the time.
        return () -> deliver(message, readAt);
    }

    private void release(boolean buffered) {
        if (buffered) {
            codec.releaseFrame();
        }
    }

    /** On the reader thread. */
    private void deliver(Envelope message, long readAt) {
        Optional<ServerCommand> broadcast = message.id() == null ? message.broadcast() : Optional.empty();
        if (broadcast.isPresent()) {
            seenUntil = broadcasts.dispatch(seenUntil, readAt, readAt,
                    // No session: the dispatcher names the client's own (the message's is the last request's).
                    new Broadcast(broadcast.get(), message.data(), message.serverName(), "", settings.server(),
                            HpxProtocol.G2));
        } else {
            // The id as previewed too: the server chose it, and it may be as long as the message.
            LOG.warn("Dropping an HPX reply that answers no request in flight (late, or unasked), __id__ {}: {}",
                    message.id() == null ? null : Envelope.preview(message.id()), Envelope.preview(message.data()));
        }
    }

    /** Ends the connection because it failed with {@code cause}. */
    private void fail(HpxException cause) {
        end(cause, true);
    }

    /**
     * Closes the connection and fails every request in flight with {@code cause}; the first cause wins. When the
     * watchdog closed it because a write outlived its deadline, that request times out and the others fail with
     * the reason, whichever thread saw the close first. {@code broke}: the connection failed (rather than being
     * closed on purpose), which the pool is told of.
     * <p>
     * The requests in flight of a broken connection are failed on the reader, whose read the close ends at once:
     * not on another thread that saw the break (a caller's write), where their retries would run before that
     * thread's own call could end. Their deadlines still hold until then. A close on purpose fails them at once:
     * they are not retried, and the client's timer may be stopping.
     */
    private void end(HpxException cause, boolean broke) {
        Pending stuck = writingNow;
        // Only writes arm the link's deadline: when it has passed, a write outlived it. Not the one under way now,
        // unless its own deadline passed: it began after the watchdog closed the connection under an earlier one.
        boolean stalled = link.deadlines.passed();
        if (stuck != null && stuck.writeDeadline - System.nanoTime() > 0) {
            stuck = null;
        }
        HpxException failure = cause;
        if (stalled) {
            failure = new HpxConnectionException("HPX server " + Link.address(settings) + " stopped reading requests: "
                    + "one could not be written within its deadline, and the connection was closed", cause);
        }
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            if (broke) {
                // Before closedBy is seen: a request failed by it and retried must find the break recorded.
                onBreak.run();
                broken = true;
            }
            if (stalled) {
                timedOutWriting = stuck;
            }
            closedBy = failure;
        }
        link.close();
        // A reader thread that left the socket to callers waits for its turn, not on the socket.
        wakeReader();
        if (stalled && stuck != null && !writing.isHeldByCurrentThread()) {
            // Its writer fails it itself, once it has let go of the write lock.
            stuck.reply().completeExceptionally(stalled(stuck, cause));
        }
        if (!broke || Thread.currentThread() == reader || ended.getCount() == 0) {
            failInFlight();
        }
    }

    /** Fails every request still in flight with the reason the connection ended. */
    private void failInFlight() {
        drained = true;
        sweeper.cancel();
        List<Pending> failed = new ArrayList<>(inFlight.values());
        inFlight.clear();
        late.keySet().forEach(this::settleLate);
        HpxException reason = closedBy;
        Pending writer = timedOutWriting;
        // A writer that marks its request sent after this look finds the link closed: nothing of it goes out.
        failed.forEach(p -> p.reply().completeExceptionally(
                p == writer ? stalled(p, reason) : p.sent ? reason : notSent(reason)));
    }

    /** The failure of the request whose write outlived its deadline: its own timeout. */
    private HpxException stalled(Pending writer, HpxException cause) {
        return writer.deadline().expired(Link.address(settings), STALLED_WRITE, cause);
    }

    /**
     * The failure of a request the connection ended before it was sent, e.g. one that waited for a slot: after a
     * break, one the pool may retry on another connection, as nothing of it reached the server; after a close on
     * purpose, that close.
     */
    private HpxException notSent(HpxException cause) {
        return broken ? new NotSentException("HPX connection to " + Link.address(settings)
                + " ended before the request was sent: " + cause.getMessage(), cause) : cause;
    }

    @Override
    public void listen() {
        listening = true;
        wakeReader();
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw closedBy != null ? closedBy : new HpxConnectionException("interrupted while listening", null);
    }

    @Override
    public void close() {
        end(new HpxConnectionException("HPX connection is closed", null), false);
        codec.close();
    }
}
