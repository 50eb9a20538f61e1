package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * A G1 pool retired by a move is closed at a later move once it has no connection left. A call that took it
 * before then (an asynchronous one, queued for a client thread meanwhile) is told to move on, as on a retired G2
 * pool, rather than failing as if the client were closed.
 */
@Tag("g1")
class LockstepPoolRetireTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.protocol(Protocol.G1));

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        timer.shutdownNow();
        executor.shutdownNow();
    }

    private LockstepPool pool() {
        ObjectMapper mapper = new ObjectMapper();
        ClientSettings settings = new ClientSettings(hpx.host(), hpx.port(), "retire-test", HpxProtocol.G1,
                Duration.ofSeconds(5), Duration.ofSeconds(5), null, 1 << 20, 6, 16, true, mapper,
                new ObjectMapper(new MessagePackFactory()), false);
        return new LockstepPool(settings, new BroadcastDispatcher(() -> null), new OpenSockets(), timer, executor, 2,
                null, null);
    }

    private static CompletableFuture<Object> call(LockstepPool pool) {
        return pool.run(exchanger -> CompletableFuture.completedFuture(null), Deadline.after(Duration.ofSeconds(5)),
                true);
    }

    @Test
    void aCallReachingARetiredPoolClosedSinceIsToldToMoveOn() {
        LockstepPool pool = pool();
        pool.retire();
        pool.close();

        assertThatThrownBy(() -> call(pool).join()).hasCauseInstanceOf(TransportRetiredException.class);
    }

    @Test
    void aCallReachingAClosedPoolThatWasNotRetiredFailsAsClosed() {
        LockstepPool pool = pool();
        pool.close();

        assertThatThrownBy(() -> call(pool).join()).hasCauseExactlyInstanceOf(HpxConnectionException.class)
                .hasMessageContaining("closed");
    }
}
