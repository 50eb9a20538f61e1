package io.github.camelhpx.client.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.msgpack.jackson.dataformat.MessagePackFactory;

/** What a pool tested without a client needs from one: settings, a timer and an executor, stopped after the test. */
final class PoolFixture implements AutoCloseable {

    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final ExecutorService executor = Executors.newCachedThreadPool();
    final BroadcastDispatcher broadcasts = new BroadcastDispatcher(() -> null);
    final OpenSockets sockets = new OpenSockets();

    /** Settings for {@code hpx}'s server in {@code protocol}, with timeouts of 5 s. */
    static ClientSettings settings(HpxTestServerExtension hpx, HpxProtocol protocol) {
        return new ClientSettings(hpx.host(), hpx.port(), "pool-test", protocol, Duration.ofSeconds(5),
                Duration.ofSeconds(5), null, 1 << 20, 6, 16, true, new ObjectMapper(),
                new ObjectMapper(new MessagePackFactory()), false, false, Duration.ofMillis(50));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        executor.shutdownNow();
    }
}
