package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One G2 client socket (§9): welcome first, then any number of requests in flight. The connection's thread
 * reads and decodes frames; with {@code concurrentReplies == 1} it also answers each before reading the next
 * (one at a time, in order), otherwise up to that many are answered at once by workers and replies may
 * overtake each other. Writes are serialised by a lock because workers and broadcasts share the socket.
 */
final class G2Connection implements ClientConnection, Runnable {

    private final long id;
    private final Socket socket;
    private final HpxTestServer server;
    private final G2MessageHandler handler;
    private final G2FrameReader reader;
    private final int concurrency;
    private final Semaphore inFlight;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Counted down on close: wakes delay faults without interrupting anyone. */
    private final CountDownLatch closedSignal = new CountDownLatch(1);
    private final AtomicInteger answered = new AtomicInteger();
    /** Frames held back by a reorder fault, and how many more to hold before sending them shuffled. */
    private final List<byte[]> held = new ArrayList<>();
    private int holdMore;
    private volatile boolean closed;
    private volatile OutputStream out;
    private volatile String lastSession = "";
    private ExecutorService workers;

    G2Connection(long id, Socket socket, HpxTestServer server, G2MessageHandler handler, int maxFrameBytes,
                 boolean splitAtFirstEof, int concurrentReplies) {
        this.id = id;
        this.socket = socket;
        this.server = server;
        this.handler = handler;
        this.reader = new G2FrameReader(maxFrameBytes, splitAtFirstEof);
        this.concurrency = concurrentReplies;
        this.inFlight = new Semaphore(concurrentReplies);
    }

    @Override
    public void start(String threadName) {
        if (concurrency > 1) {
            AtomicInteger n = new AtomicInteger();
            workers = Executors.newFixedThreadPool(concurrency, r -> {
                Thread t = new Thread(r, threadName + "-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        Thread t = new Thread(this, threadName);
        t.setDaemon(true);
        server.connectionStarting(t);
        t.start();
    }

    @Override
    public void run() {
        try {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            out = socket.getOutputStream();
            ObjectNode welcome = G2Codec.root(null, "", server.serverName(), G2Functions.serverInfo(server), null);
            deliver(welcome, server.faults().pollWelcome(), false);
            while (!closed) {
                G2FrameReader.Frame frame;
                while (!closed && (frame = reader.next()) != null) {
                    dispatch(frame);
                }
                if (closed || reader.fill(in) < 0) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the peer went away, the server closed us, or a frame was too large: all end the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
            server.connectionEnded(this);
        }
    }

    private void dispatch(G2FrameReader.Frame frame) throws InterruptedException {
        if (workers == null) {
            answer(frame);
            return;
        }
        // at most `concurrency` requests in flight: the reader waits, so a flood cannot pile up in memory
        inFlight.acquire();
        try {
            workers.execute(() -> {
                try {
                    answer(frame);
                } finally {
                    inFlight.release();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.release();
        }
    }

    private void answer(G2FrameReader.Frame frame) {
        G2Reply reply = handler.handle(id, frame);
        if (reply.error() == null && !reply.session().isEmpty()) {
            lastSession = reply.session();
        }
        ObjectNode root = G2Codec.root(reply.id(), reply.session(), server.serverName(), reply.data(), reply.error());
        try {
            deliver(root, server.faults().pollReply(), true);
        } catch (IOException e) {
            close();
            return;
        }
        // counted always, so that a limit set later also counts the requests answered before it
        int count = answered.incrementAndGet();
        int closeAfter = server.faults().closeAfter();
        if (closeAfter > 0 && count >= closeAfter) {
            close();
        }
        if (reply.after() != null) {
            reply.after().run();
        }
    }

    /** Sends one frame, altered by the fault if there is one. */
    private void deliver(ObjectNode root, Fault fault, boolean isReply) throws IOException {
        Fault.Kind kind = fault == null ? null : fault.kind();
        if (kind == Fault.Kind.DELAY) {
            try {
                if (closedSignal.await(fault.delayDuration().toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                return;
            }
        }
        if (kind == Fault.Kind.NO_REPLY) {
            return;
        }
        if (kind == Fault.Kind.CLOSE) {
            close();
            return;
        }
        writeLock.lock();
        try {
            if (kind == Fault.Kind.UNSOLICITED) {
                write(G2Codec.frame(G2Codec.root(null, root.path("session").asText(""), server.serverName(),
                        (JsonNode) fault.unsolicitedData(), null)));
            }
            byte[] frame;
            if (kind == Fault.Kind.GARBAGE || kind == Fault.Kind.GZIP_BOMB) {
                frame = G2FaultFrames.garbage();
            } else if (kind == Fault.Kind.OVERSIZED) {
                frame = G2FaultFrames.oversized(root, fault.size());
            } else if (kind == Fault.Kind.LYING_LENGTH) {
                frame = G2FaultFrames.lyingLength(root, (int) fault.size());
            } else {
                frame = G2Codec.frame(root);
            }
            if (kind == Fault.Kind.CUT_MID_FRAME) {
                write(java.util.Arrays.copyOf(frame, Math.max(1, frame.length / 2)));
                close();
                return;
            }
            if (kind == Fault.Kind.REORDER && isReply) {
                holdMore = (int) fault.size();
            }
            if (holdMore > 0) {
                held.add(frame);
                if (--holdMore == 0) {
                    releaseShuffled();
                }
                return;
            }
            write(frame);
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends the held frames in a random order that differs from the original one. */
    private void releaseShuffled() throws IOException {
        List<byte[]> order = new ArrayList<>(held);
        held.clear();
        List<byte[]> original = List.copyOf(order);
        Collections.shuffle(order);
        if (order.equals(original)) {
            Collections.rotate(order, 1);
        }
        for (byte[] f : order) {
            write(f);
        }
    }

    private void write(byte[] frame) throws IOException {
        OutputStream o = out;
        if (closed || o == null) {
            return;
        }
        // payload and <EOF> in one write, so Nagle never splits them
        o.write(frame);
        o.flush();
    }

    /** A broadcast: no {@code __id__}, the session of this connection's last reply, no faults. */
    @Override
    public void broadcast(Object data) {
        BroadcastWrite.underLock(writeLock,
                () -> write(G2Codec.frame(G2Codec.root(null, lastSession, server.serverName(), (JsonNode) Json.toJson(data), null))),
                this);
    }

    @Override
    public Socket socket() {
        return socket;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closedSignal.countDown();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        ExecutorService w = workers;
        if (w != null) {
            // no interrupt: a worker may be the one closing (serverquit), and delays wake on closedSignal;
            // the permits free a reader waiting for a slot, which then sees the connection closed
            w.shutdown();
            inFlight.release(concurrency);
        }
    }
}
