package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxServerDisconnectedException;
import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The G1 pool without a client around it: what a retired pool tells a call, and which connections a call retries. */
@Tag("g1")
class LockstepPoolTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.protocol(Protocol.G1));

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** {@code first}: the pool's first connection, opened before it (as the client's start opens one), or null. */
    private LockstepPool pool(Link first) {
        return new LockstepPool(settings(), fixture.broadcasts, fixture.sockets, fixture.timer, fixture.executor, 2,
                null, first);
    }

    private ClientSettings settings() {
        return PoolFixture.settings(hpx, HpxProtocol.G1);
    }

    private static CompletableFuture<Object> call(LockstepPool pool) {
        return pool.run(exchanger -> CompletableFuture.completedFuture(null), Deadline.after(Duration.ofSeconds(5)),
                true);
    }

    /**
     * A G1 pool retired by a move is closed at a later move once it has no connection left. A call that took it
     * before then (an asynchronous one, queued for a client thread meanwhile) is told to move on, as on a retired G2
     * pool, rather than failing as if the client were closed.
     */
    @Test
    void aCallReachingARetiredPoolClosedSinceIsToldToMoveOn() {
        LockstepPool pool = pool(null);
        pool.retire();
        pool.close();

        assertThatThrownBy(() -> call(pool).join()).hasCauseInstanceOf(TransportRetiredException.class);
    }

    @Test
    void aCallReachingAClosedPoolThatWasNotRetiredFailsAsClosed() {
        LockstepPool pool = pool(null);
        pool.close();

        assertThatThrownBy(() -> call(pool).join()).hasCauseExactlyInstanceOf(HpxConnectionException.class)
                .hasMessageContaining("closed");
    }

    /**
     * The server leaving before a reply makes the pool retry on a connection the call did not open: the server may
     * have left it while it sat in the pool, however briefly. Here the call began, then another part of the client (a
     * broadcast consumer starting it) opened the first connection.
     */
    @Test
    void theFirstConnectionOpenedForAnotherAfterTheCallBeganIsRetried() {
        Deadline call = Deadline.after(Duration.ofSeconds(5));
        Link first = fixture.sockets.open(settings(), Deadline.after(Duration.ofSeconds(5)));
        hpx.server().faults().nextReply(Fault.close());

        try (LockstepPool pool = pool(first)) {
            Envelope reply = pool.run(ex -> handshake(ex, call), call, false).join();

            assertThat(reply.session()).isNotEmpty();
            assertThat(handshakesReceived()).isEqualTo(2);
        }
    }

    /** One the call opened itself was welcomed for the request, which the server may then have carried out. */
    @Test
    void aConnectionTheCallOpenedItselfIsNotSentTheRequestAgain() {
        Deadline call = Deadline.after(Duration.ofSeconds(5));
        hpx.server().faults().nextReply(Fault.close());

        try (LockstepPool pool = pool(null)) {
            assertThatThrownBy(() -> pool.run(ex -> handshake(ex, call), call, false).join())
                    .hasCauseInstanceOf(HpxServerDisconnectedException.class);
            assertThat(handshakesReceived()).isEqualTo(1);
        }
    }

    private static CompletableFuture<Envelope> handshake(Exchanger ex, Deadline call) {
        return ex.exchange("handshake", "", Credentials.handshakeData(null), ReplyReading.TREE, call);
    }

    private long handshakesReceived() {
        return hpx.server().receivedMessages().size();
    }
}
