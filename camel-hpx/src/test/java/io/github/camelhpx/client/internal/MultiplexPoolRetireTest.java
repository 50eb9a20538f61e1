package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A G2 pool retired by a move closes its connections as their calls end; a call that reaches it afterwards is
 * refused before it picks a connection (the client runs it on the server it moved to), so that no such call opens a
 * connection on a retired pool, and none is closed under a call about to send on it.
 */
@Tag("g2")
class MultiplexPoolRetireTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.protocol(Protocol.G2)
            .function(FunctionSpec.echo()));

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    private MultiplexPool pool() {
        return new MultiplexPool(PoolFixture.settings(hpx, HpxProtocol.G2), fixture.broadcasts, fixture.sockets,
                fixture.timer, fixture.executor, 2, null);
    }

    private static CompletableFuture<Envelope> login(MultiplexPool pool) {
        return pool.exchange("handshake", "", JsonNodeFactory.instance.objectNode(), ReplyReading.TREE,
                Deadline.after(Duration.ofSeconds(5)));
    }

    @Test
    void aCallReachingARetiredPoolOpensNothingAndIsToldToMoveOn() {
        try (MultiplexPool pool = pool()) {
            assertThat(login(pool).join().session()).isNotEmpty();
            assertThat(pool.openConnections()).isEqualTo(1);

            pool.retire();
            await().atMost(Duration.ofSeconds(5)).until(() -> pool.openConnections() == 0);

            assertThatThrownBy(() -> login(pool).join()).hasCauseInstanceOf(TransportRetiredException.class);
            assertThat(pool.openConnections()).isZero();
            await().until(() -> hpx.server().openConnections() == 0);
        }
    }

    /**
     * A pool retired while a call that took it before the move opens a connection is not drained: a later move, which
     * closes the drained pools it retired, would leave that connection open in a pool nothing closes.
     */
    @Test
    void aRetiredPoolIsNotDrainedWhileACallOpensAConnectionOnIt() {
        try (MultiplexPool pool = pool()) {
            // Long, within the call's 5 s: only a look before the welcome comes shows the open under way.
            hpx.server().faults().nextWelcome(Fault.delay(Duration.ofSeconds(3)));
            CompletableFuture<Envelope> opening = login(pool);
            await().until(() -> hpx.server().openConnections() == 1);

            pool.retire();

            assertThat(pool.drained()).as("a connection is being opened").isFalse();
            assertThat(opening.join().session()).isNotEmpty();
            await().atMost(Duration.ofSeconds(10)).until(pool::drained);
            await().until(() -> hpx.server().openConnections() == 0);
        } finally {
            hpx.server().faults().clear();
        }
    }

    /** Calls waiting for a request slot when the pool is retired are told to move on at once, none of them sent. */
    @Test
    void callsWaitingForASlotOfAPoolRetiredAreToldToMoveOnAtOnce() throws Exception {
        ClientSettings base = PoolFixture.settings(hpx, HpxProtocol.G2);
        ClientSettings oneSlot = new ClientSettings(base.host(), base.port(), base.clientName(), base.protocol(),
                base.connectTimeout(), base.requestTimeout(), base.sslContext(), base.maxMessageSize(),
                base.compressionLevel(), 1, base.retryOnConnectionFailure(), base.mapper(), base.msgpackMapper(),
                base.dumpFailedFrames(), base.failover(), base.idleWatchDelay());
        try (MultiplexPool pool = new MultiplexPool(oneSlot, fixture.broadcasts, fixture.sockets, fixture.timer,
                fixture.executor, 1, null)) {
            login(pool).join();
            hpx.server().faults().nextReply(Fault.delay(Duration.ofSeconds(2)));
            CompletableFuture<Envelope> slow = login(pool);
            List<CompletableFuture<Envelope>> waiting = List.of(login(pool), login(pool), login(pool));
            await().until(() -> hpx.server().receivedMessages().size() == 2);
            assertThat(waiting).noneMatch(CompletableFuture::isDone);

            pool.retire();

            for (CompletableFuture<Envelope> call : waiting) {
                assertThatThrownBy(() -> call.get(1, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(TransportRetiredException.class);
            }
            assertThat(slow.join().session()).isNotEmpty();
            assertThat(hpx.server().receivedMessages()).hasSize(2);
        } finally {
            hpx.server().faults().clear();
        }
    }

    @Test
    void aRetiredPoolKeepsAConnectionUntilItsCallIsAnswered() {
        try (MultiplexPool pool = pool()) {
            login(pool).join();
            hpx.server().faults().nextReply(Fault.delay(Duration.ofMillis(600)));
            CompletableFuture<Envelope> slow = login(pool);

            pool.retire();

            assertThat(slow.join().session()).isNotEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> pool.openConnections() == 0);
        } finally {
            hpx.server().faults().clear();
        }
    }
}
