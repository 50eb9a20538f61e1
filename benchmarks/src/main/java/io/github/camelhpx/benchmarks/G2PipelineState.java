package io.github.camelhpx.benchmarks;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLongArray;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The pipelining limit: one bare G2 socket ({@link BareG2}) keeping {@value #IN_FLIGHT} {@code get_version}
 * requests in flight. The benchmark's thread is the writer: it takes a slot, records the request's id in it and
 * sends the request; a reader thread reads each reply as far as its {@code __id__}, checks that it answers the
 * request in its slot and frees the slot. In the steady state requests sent per second are replies per second.
 */
@State(Scope.Benchmark)
public class G2PipelineState {

    /** Requests in flight: the client's default {@code maxInFlight}, and the client benchmark's callers. */
    public static final int IN_FLIGHT = 16;

    private BareG2 bare;
    private byte[] getVersion;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final AtomicLongArray ids = new AtomicLongArray(IN_FLIGHT);
    private Thread reader;
    private volatile boolean closing;
    private volatile Throwable failure;
    private long next = 1_000;

    @Setup(Level.Trial)
    public void open(G2ServerState server) {
        bare = BareG2.connect(ServerState.HOST, server.port());
        getVersion = bare.call(Calls.GET_VERSION);
        bare.call(getVersion);
        reader = new Thread(this::read, "bare-g2-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends one request once a slot is free. */
    public long send() throws IOException, InterruptedException {
        slots.acquire();
        Throwable failed = failure;
        if (failed != null) {
            throw new IllegalStateException("the reader failed", failed);
        }
        long id = ++next;
        ids.set((int) (id % IN_FLIGHT), id);
        bare.send(id, getVersion);
        return id;
    }

    private void read() {
        try {
            while (!closing) {
                long id = bare.receive();
                if (!ids.compareAndSet((int) (id % IN_FLIGHT), id, 0)) {
                    throw new IllegalStateException("reply " + id + " answers no request in flight");
                }
                slots.release();
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                failure = e;
                slots.release(IN_FLIGHT);
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        closing = true;
        bare.close();
        reader.join(5_000);
    }
}
