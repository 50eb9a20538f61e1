package io.github.camelhpx.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client socket with its own thread, mirroring the real server's per-client loop: welcome first, then
 * read, split at {@code <EOF>}, handle, reply. Sends are serialised by a lock because broadcasts come from
 * other threads.
 */
final class Connection implements ClientConnection, Runnable {

    private final long id;
    private final Socket socket;
    private final HpxTestServer server;
    private final MessageHandler handler;
    private final GzipCodec codec;
    private final FrameReader reader;
    private final ByteSink plain = new ByteSink(8 * 1024);
    private final ByteSink json = new ByteSink(8 * 1024);
    private final ByteSink frame = new ByteSink(8 * 1024);
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<FunctionDispatcher.PendingError> staleErrors = new ArrayList<>();
    private volatile boolean closed;
    private volatile Thread thread;
    private volatile Session current;
    private Session attached;
    private volatile OutputStream out;
    private int messagesRead;

    Connection(long id, Socket socket, HpxTestServer server, MessageHandler handler, int maxFrame, long maxDecompressed) {
        this.id = id;
        this.socket = socket;
        this.server = server;
        this.handler = handler;
        this.codec = new GzipCodec(maxDecompressed);
        this.reader = new FrameReader(maxFrame);
    }

    @Override
    public void start(String threadName) {
        Thread t = new Thread(this, threadName);
        t.setDaemon(true);
        thread = t;
        server.connectionStarting(t);
        t.start();
    }

    Thread thread() {
        return thread;
    }

    @Override
    public void run() {
        try {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            out = socket.getOutputStream();
            send("", MetaFunctions.welcome(server), null, server.faults().pollWelcome());
            boolean oneMessagePerRead = server.quirk(Quirk.NO_PIPELINING);
            while (!closed) {
                // the real loop: look for one frame, then block in recv even if more frames are buffered
                if (oneMessagePerRead) {
                    if (reader.nextFrame()) {
                        handleFrame();
                    }
                } else {
                    while (!closed && reader.nextFrame()) {
                        handleFrame();
                    }
                }
                if (closed || reader.fill(in) < 0) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the peer went away, the server closed us, or a frame was too large: all end the connection
        } finally {
            close();
            if (attached != null) {
                server.sessions().detach(attached);
                attached = null;
            }
            // Under the write lock: a broadcast from another thread may be deflating a frame with the codec. Once
            // closed is set, no send begins; one under way ends when the closed socket fails its write.
            writeLock.lock();
            try {
                codec.close();
            } finally {
                writeLock.unlock();
            }
            server.connectionEnded(this);
        }
    }

    private void handleFrame() throws IOException {
        messagesRead++;
        Outcome outcome;
        try {
            outcome = handler.handle(this, reader.buffer(), reader.frameOffset(), reader.frameLength());
        } catch (HpxApiError e) {
            outcome = Outcome.error(currentSessionId(), e);
        } catch (PyCrash e) {
            outcome = Outcome.error(currentSessionId(), new HpxApiError(100, PyCrash.criticalMessage(e.pythonType())));
        } catch (NoReply e) {
            outcome = Outcome.NOTHING;
        } catch (RuntimeException e) {
            outcome = Outcome.error(currentSessionId(),
                    new HpxApiError(100, PyCrash.criticalMessage(e.getClass().getSimpleName())));
        }
        if (outcome.kind == Outcome.Kind.REPLY) {
            send(outcome.session, outcome.data, outcome.error, server.faults().pollReply());
        } else if (outcome.kind == Outcome.Kind.WELCOME) {
            send("", MetaFunctions.welcome(server), null, server.faults().pollReply());
        }
        int closeAfter = server.faults().closeAfter();
        if (closeAfter > 0 && messagesRead >= closeAfter) {
            close();
        }
    }

    /** A broadcast: this connection's session, no faults, the connection stays open. */
    @Override
    public void broadcast(Object data) {
        BroadcastWrite.underLock(writeLock, () -> send(currentSessionId(), Json.toJson(data), null, null), this);
    }

    private void send(String session, Object data, HpxApiError error, Fault fault) throws IOException {
        if (fault != null && fault.kind() == Fault.Kind.DELAY) {
            try {
                TimeUnit.NANOSECONDS.sleep(fault.delayDuration().toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                return;
            }
        }
        writeLock.lock();
        try {
            if (closed || out == null) {
                return;
            }
            json.reset();
            frame.reset();
            Fault.Kind kind = fault == null ? Fault.Kind.DELAY : fault.kind();
            if (kind == Fault.Kind.UNSOLICITED) {
                // the write lock is reentrant and held, so nothing can come between the two frames
                send(currentSessionId(), Json.toJson(fault.unsolicitedData()), null, null);
                json.reset();
                frame.reset();
            }
            switch (kind) {
                case NO_REPLY:
                    return;
                case CLOSE:
                    close();
                    return;
                case GARBAGE:
                    FaultFrames.garbage(frame);
                    break;
                case OVERSIZED:
                    FaultFrames.oversized(session, server.serverName(), fault.size(), json, frame);
                    break;
                case GZIP_BOMB:
                    FaultFrames.gzipBomb(session, server.serverName(), fault.size(), frame);
                    break;
                default:
                    try (OverlappedDeflate deflate = new OverlappedDeflate(codec, json, frame, thread)) {
                        Envelope.write(new PyJsonWriter(json), session, server.serverName(), data, error);
                        deflate.finish();
                    }
            }
            if (kind == Fault.Kind.BROKEN_DEFLATE) {
                // BTYPE (bits 1-2 of the byte after the 10-byte header) = 11, reserved; a '<' cannot become one
                frame.array()[GzipCodec.HEADER_LENGTH] |= 0x06;
            }
            if (kind == Fault.Kind.CUT_MID_FRAME) {
                out.write(frame.array(), 0, Math.max(1, frame.size() / 2));
                out.flush();
                close();
                return;
            }
            // payload and <EOF> in one write, so Nagle never splits them
            out.write(frame.array(), 0, frame.size());
            out.flush();
        } finally {
            writeLock.unlock();
        }
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
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            // wakes a delay fault's sleep
            t.interrupt();
        }
    }

    boolean isClosed() {
        return closed;
    }

    long id() {
        return id;
    }

    GzipCodec codec() {
        return codec;
    }

    ByteSink plainSink() {
        return plain;
    }

    List<FunctionDispatcher.PendingError> staleErrors() {
        return staleErrors;
    }

    Session current() {
        return current;
    }

    void current(Session s) {
        current = s;
    }

    String currentSessionId() {
        Session s = current;
        return s == null ? "" : s.id();
    }

    /** This connection now holds the session's context (and uses it in replies and broadcasts). */
    void attach(Session s) {
        current = s;
        if (attached != s) {
            // the new one first: after a re-login both sessions share one context, which must not die in between
            server.sessions().attach(s);
            if (attached != null) {
                server.sessions().detach(attached);
            }
            attached = s;
        }
    }

    /** The session whose context this connection holds, or null. */
    Session attached() {
        return attached;
    }
}
