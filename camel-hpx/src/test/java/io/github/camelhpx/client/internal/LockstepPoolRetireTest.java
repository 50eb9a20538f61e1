package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;


import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A G1 pool retired by a move is closed at a later move once it has no connection left. A call that took it
 * before then (an asynchronous one, queued for a client thread meanwhile) is told to move on, as on a retired G2
 * pool, rather than failing as if the client were closed.
 */
@Tag("g1")
class LockstepPoolRetireTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.protocol(Protocol.G1));

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    private LockstepPool pool() {
        return new LockstepPool(PoolFixture.settings(hpx, HpxProtocol.G1), fixture.broadcasts, fixture.sockets,
                fixture.timer, fixture.executor, 2, null, null);
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
