package io.github.camelhpx.client;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

/**
 * A server-side gate for G2 tests: the function {@code hold(value)} blocks in the server until {@link #open()}
 * (at most {@link #MAX_WAIT_SECONDS}, so a failing test never leaves a server thread behind), then echoes its
 * value. With {@code concurrentReplies(n)} up to n calls are held at once on one connection: a way to have
 * exactly that many requests in flight without timing.
 */
final class G2Gate {

    static final long MAX_WAIT_SECONDS = 10;

    private final CountDownLatch latch = new CountDownLatch(1);
    private final String name;

    G2Gate() {
        this("hold");
    }

    /** A gate whose function has another name, for a second gate on the same server. */
    G2Gate(String name) {
        this.name = name;
    }

    /** The {@code hold(value)} function to register on the server. */
    FunctionSpec function() {
        return FunctionSpec.of(name).param("value").handler(call -> {
            await();
            return call.arg("value");
        });
    }

    /** Blocks a server thread until the gate opens (at most {@link #MAX_WAIT_SECONDS}). */
    void await() throws InterruptedException {
        if (!latch.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gate never opened");
        }
    }

    void open() {
        latch.countDown();
    }

    /**
     * An embedded G2 server answering up to {@code concurrentReplies} calls of a connection at once: echo, and the
     * gates' functions.
     */
    static HpxTestServerExtension server(int concurrentReplies, G2Gate... gates) {
        return HpxTestServerExtension.create(b -> {
            b.protocol(Protocol.G2).concurrentReplies(concurrentReplies).function(FunctionSpec.echo());
            for (G2Gate gate : gates) {
                b.function(gate.function());
            }
        });
    }

    /**
     * Whether {@code thread}, making a blocking call, waits in its client's queue of calls waiting for a request slot
     * (nothing of its request written yet).
     */
    static boolean waitsForASlot(Thread thread) {
        return thread.getState() == Thread.State.TIMED_WAITING
                && Stream.of(thread.getStackTrace()).anyMatch(frame -> frame.getClassName().endsWith(".SlotQueue"));
    }

    /** The {@code call} messages {@code server} received: no handshake or other command. */
    static long calls(HpxTestServer server) {
        return server.receivedMessages().stream().filter(m -> "call".equals(m.root().path("command").asText())).count();
    }
}
