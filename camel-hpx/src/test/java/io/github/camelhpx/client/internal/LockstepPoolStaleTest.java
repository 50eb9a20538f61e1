package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxServerDisconnectedException;
import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * G1: which connection the server leaving before a reply makes the pool retry. One the call did not open may have
 * been left by the server while it sat in the pool, however briefly; one the call opened itself was welcomed for
 * the request, which the server may then have carried out.
 */
@Tag("g1")
class LockstepPoolStaleTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.protocol(Protocol.G1));

    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    /**
     * The call began, then another part of the client (a broadcast consumer starting it) opened the first
     * connection: the call takes it from the pool as any idle one.
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

    private LockstepPool pool(Link first) {
        return new LockstepPool(settings(), fixture.broadcasts, fixture.sockets, fixture.timer, fixture.executor, 2, null,
                first);
    }

    private ClientSettings settings() {
        return PoolFixture.settings(hpx, HpxProtocol.G1);
    }

    private static CompletableFuture<Envelope> handshake(Exchanger ex, Deadline call) {
        return ex.exchange("handshake", "", Credentials.handshakeData(null), ReplyReading.TREE, call);
    }

    private long handshakesReceived() {
        return hpx.server().receivedMessages().size();
    }
}
