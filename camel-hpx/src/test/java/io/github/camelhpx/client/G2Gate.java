package io.github.camelhpx.client;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.camelhpx.testkit.FunctionSpec;

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
            if (!latch.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            return call.arg("value");
        });
    }

    void open() {
        latch.countDown();
    }
}
