package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A misbehaving server gets a typed error, bounded memory, and a client that goes on working. */
class FaultTest {

    private static final long MAX_MESSAGE = 256 * 1024;

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(FaultTest::configure);

    private HpxTestServer g2;
    private HpxClient client;

    private static void configure(HpxTestServer.Builder b) {
        b.function(FunctionSpec.echo());
    }

    @BeforeEach
    void connect() {
        connect(hpx.server());
    }

    private void connect(HpxTestServer server) {
        // Time for a connect, a handshake and a retry on a loaded machine: the faults that must time out are longer.
        client = TestClients.to(server).poolSize(1).requestTimeout(Duration.ofSeconds(2))
                .maxMessageSize(MAX_MESSAGE).build();
        client.authenticate();
    }

    /** For the G2 counterparts: the client talks to a G2 server of this class's configuration instead. */
    private HpxTestServer connectToG2() {
        client.close();
        g2 = TestClients.startG2(FaultTest::configure);
        connect(g2);
        return g2;
    }

    @AfterEach
    void close() {
        client.close();
        if (g2 != null) {
            g2.close();
        }
    }

    private void assertNextCallWorks() {
        assertThat(client.call("echo", Map.of("value", "next")).asText()).isEqualTo("next");
    }

    // G1: the timed-out connection is closed and the next call opens another. In G2 it stays open and the late reply
    // is dropped by id, while an in-order server keeps the next call on it waiting (G2MultiplexingTest).
    @Test
    @Tag("g1")
    void slowReplyTimesOutAndTheLateReplyNeverReachesTheNextCaller() {
        hpx.server().faults().nextReply(Fault.delay(Duration.ofSeconds(5)));

        assertThatThrownBy(() -> client.call("echo", Map.of("value", "late")))
                .isInstanceOfSatisfying(HpxTimeoutException.class, e -> assertThat(e.getCode()).isEqualTo(102));

        assertNextCallWorks();
    }

    @Test
    void missingReplyTimesOut() {
        hpx.server().faults().nextReply(Fault.noReply());

        assertThatThrownBy(() -> client.call("echo", Map.of("value", 1))).isInstanceOf(HpxTimeoutException.class);
        assertNextCallWorks();
    }

    @Test
    void frameCutInHalfIsADisconnectAndIsNotRetried() {
        hpx.server().faults().nextReply(Fault.cutMidFrame());

        assertThatThrownBy(() -> client.call("echo", Map.of("value", 1)))
                .isInstanceOfSatisfying(HpxServerDisconnectedException.class, e -> {
                    assertThat(e.isMidMessage()).isTrue();
                    assertThat(e.getCode()).isEqualTo(502);
                });
        assertThat(hpx.server().receivedMessages()).hasSize(2);
        assertNextCallWorks();
    }

    /** Closes the connection instead of the next reply; the call must still get its reply, on connection 2. */
    private List<Tuple> sessionsOfACallRetriedOnANewConnection(HpxTestServer server) {
        server.faults().nextReply(Fault.close());

        assertThat(client.call("echo", Map.of("value", "retried")).asText()).isEqualTo("retried");

        return server.receivedMessages().stream().map(m -> tuple(m.connectionId(), m.session())).toList();
    }

    @Test
    @Tag("g1")
    void connectionClosedWithoutAReplyIsRetriedOnceOnANewConnection() {
        String before = client.sessionId();

        List<Tuple> sent = sessionsOfACallRetriedOnANewConnection(hpx.server());

        // The session died with its only connection (as on the real server): the retry re-authenticates first.
        assertThat(sent).containsExactly(tuple(1L, ""), tuple(1L, before), tuple(2L, before), tuple(2L, ""),
                tuple(2L, client.sessionId()));
    }

    @Test
    @Tag("g2")
    void g2ConnectionClosedWithoutAReplyIsRetriedOnceOnANewConnectionInTheSameSession() {
        HpxTestServer server = connectToG2();
        String before = client.sessionId();

        List<Tuple> sent = sessionsOfACallRetriedOnANewConnection(server);

        // A G2 session outlives its connections: the retry goes out at once with the same session.
        assertThat(sent).containsExactly(tuple(1L, ""), tuple(1L, before), tuple(2L, before));
        assertThat(client.sessionId()).isEqualTo(before);
        assertThat(server.sessionIds()).containsExactly(before);
    }

    @Test
    void secondCloseInARowIsReported() {
        hpx.server().faults().nextReply(Fault.close());
        hpx.server().faults().nextReply(Fault.close());

        assertThatThrownBy(() -> client.call("echo", Map.of("value", 1)))
                .isInstanceOfSatisfying(HpxServerDisconnectedException.class, e -> assertThat(e.isMidMessage()).isFalse());
        assertNextCallWorks();
    }

    @Test
    void garbageIsAProtocolError() {
        hpx.server().faults().nextReply(Fault.garbage());

        assertThatThrownBy(() -> client.call("echo", Map.of("value", 1)))
                .isInstanceOfSatisfying(HpxProtocolException.class, e -> assertThat(e.getCode()).isEqualTo(500));
        assertNextCallWorks();
    }

    @Test
    void oversizedFrameIsRejectedAtTheLimit() {
        hpx.server().faults().nextReply(Fault.oversized((int) MAX_MESSAGE * 4));

        assertThatThrownBy(() -> client.call("echo", Map.of("value", 1)))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("maxMessageSize");
        assertNextCallWorks();
    }

    @Test
    @Tag("g1")
    void gzipBombIsStoppedAtTheLimit() {
        // 8 times the limit, small enough for the server to build well within the request timeout.
        hpx.server().faults().nextReply(Fault.gzipBomb(8 * MAX_MESSAGE));

        assertThatThrownBy(() -> client.call("echo", Map.of("value", 1)))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("decompresses to more than maxMessageSize");
        assertNextCallWorks();
    }

    /** G2's counterpart of the gzip bomb: a string header that declares far more than maxMessageSize. */
    @Test
    @Tag("g2")
    void aLengthDeclaredBeyondTheLimitIsStoppedAtItsHeader() {
        hpx.server().faults().nextReply(Fault.lyingLength(Integer.MAX_VALUE));

        assertThatThrownBy(() -> client.call("echo", Map.of("value", 1)))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("maxMessageSize");
        assertNextCallWorks();
    }

    @Test
    void rawAndTypedRepliesMeetTheSameFaultsWithTheSameErrors() {
        List<Runnable> calls = List.of(
                () -> client.callAllRaw(List.of(FunctionCall.of("echo", Map.of("value", 1)))),
                () -> client.call("echo", Map.of("value", 1), Integer.class));
        for (Runnable call : calls) {
            if (hpx.server().protocol() == Protocol.G1) {
                // G2 frames are not compressed: no bomb to defuse.
                hpx.server().faults().nextReply(Fault.gzipBomb(8 * MAX_MESSAGE));
                assertThatThrownBy(call::run).isInstanceOf(HpxProtocolException.class)
                        .hasMessageContaining("decompresses to more than maxMessageSize");
            }
            hpx.server().faults().nextReply(Fault.oversized((int) MAX_MESSAGE * 4));
            assertThatThrownBy(call::run).isInstanceOf(HpxProtocolException.class).hasMessageContaining("maxMessageSize");
            hpx.server().faults().nextReply(Fault.garbage());
            assertThatThrownBy(call::run).isInstanceOf(HpxProtocolException.class);
            hpx.server().faults().nextReply(Fault.cutMidFrame());
            assertThatThrownBy(call::run).isInstanceOfSatisfying(HpxServerDisconnectedException.class,
                    e -> assertThat(e.isMidMessage()).isTrue());
            if (hpx.server().protocol() == Protocol.G1) {
                // In G2 the one connection stays busy with the late reply (see slowReplyTimesOut...).
                hpx.server().faults().nextReply(Fault.delay(Duration.ofSeconds(5)));
                assertThatThrownBy(call::run).isInstanceOf(HpxTimeoutException.class);
            }
            assertNextCallWorks();
        }
    }

    @Test
    void serverGoneIsAConnectionError() {
        hpx.server().close();
        client.close();
        try (HpxClient fresh = TestClients.to(hpx.server()).build()) {
            assertThatThrownBy(fresh::authenticate)
                    .isInstanceOfSatisfying(HpxConnectionException.class, e -> assertThat(e.getCode()).isEqualTo(501));
        }
    }

    @Test
    void closingTheClientFailsEveryPendingCallInsteadOfLeavingItHanging() {
        hpx.server().faults().nextReply(Fault.delay(Duration.ofSeconds(30)));
        List<CompletableFuture<JsonNode>> calls = IntStream.range(0, 4)
                .mapToObj(i -> client.executeAsync(HpxRequest.function("echo", Map.of("value", i)))).toList();
        await().until(() -> hpx.server().receivedMessages().size() == 2);

        client.close();

        for (CompletableFuture<JsonNode> call : calls) {
            assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(HpxConnectionException.class);
        }
        assertThat(client.executeAsync(HpxRequest.function("echo", Map.of("value", 9)))).isCompletedExceptionally();
    }

    @Test
    void closingTheClientReleasesEverySocket() {
        assertThat(hpx.server().openConnections()).isEqualTo(1);

        client.close();

        await().until(() -> hpx.server().openConnections() == 0);
        assertThatThrownBy(() -> client.call("get_version")).isInstanceOf(HpxConnectionException.class);
    }
}
