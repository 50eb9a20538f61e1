package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.Protocol;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The welcome's first byte tells the generation; a client fixed to the other one fails fast and says so. */
@Tag("g2")
class G2ProtocolDetectionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Well below the timeouts: the mismatch is seen in the welcome's first byte. */
    private static final long FAST_MILLIS = 2_000;

    private static HpxTestServer server(Protocol protocol) {
        return HpxTestServer.builder().protocol(protocol).function(FunctionSpec.echo()).build().start();
    }

    private static HpxClient client(HpxTestServer server, HpxProtocol protocol) {
        return TestClients.to(server).protocol(protocol).connectTimeout(TIMEOUT).requestTimeout(TIMEOUT).build();
    }

    @Test
    void autoFollowsAG2Server() {
        try (HpxTestServer server = server(Protocol.G2); HpxClient client = client(server, HpxProtocol.AUTO)) {
            assertThat(client.protocol()).isEqualTo(HpxProtocol.AUTO);

            assertThat(client.call("echo", Map.of("value", "g2")).asText()).isEqualTo("g2");
            assertThat(client.protocol()).isEqualTo(HpxProtocol.G2);
            assertThat(client.call("get_version").path("core").toString()).isEqualTo("[1,0,0]");
            assertThat(server.receivedMessages()).allSatisfy(m -> assertThat(m.root().has("__id__")).isTrue());
        }
    }

    @Test
    void autoFollowsAG1Server() {
        try (HpxTestServer server = server(Protocol.G1); HpxClient client = client(server, HpxProtocol.AUTO)) {
            assertThat(client.call("echo", Map.of("value", "g1")).asText()).isEqualTo("g1");
            assertThat(client.protocol()).isEqualTo(HpxProtocol.G1);
            assertThat(client.call("get_version").path("core").toString()).isEqualTo("[0,3,0]");
            assertThat(server.receivedMessages()).allSatisfy(m -> assertThat(m.root().has("__id__")).isFalse());
        }
    }

    @Test
    void autoFollowsAServerUpgradedAtItsAddress() {
        assertFollowsTheChange(Protocol.G1, Protocol.G2);
    }

    @Test
    void autoFollowsAServerRolledBackAtItsAddress() {
        assertFollowsTheChange(Protocol.G2, Protocol.G1);
    }

    private static void assertFollowsTheChange(Protocol was, Protocol now) {
        HpxTestServer before = HpxTestServer.builder().protocol(was).user("bob", "s3cret")
                .function(FunctionSpec.echo()).build().start();
        try (HpxClient client = client(before, HpxProtocol.AUTO)) {
            assertThat(client.call("echo", Map.of("value", "before")).asText()).isEqualTo("before");
            before.close();
            try (HpxTestServer after = HpxTestServer.builder().protocol(now).port(before.port()).user("bob", "s3cret")
                    .function(FunctionSpec.echo()).build().start()) {

                // A user's login first: in G1 it opens a connection of its own, outside the pool.
                String session = client.login("bob", "s3cret");
                assertThat(client.execute(HpxRequest.function("echo", Map.of("value", "user")).inSession(session))
                        .asText()).isEqualTo("user");
                assertThat(client.call("echo", Map.of("value", "after")).asText()).isEqualTo("after");
                assertThat(client.protocol()).isEqualTo(HpxProtocol.valueOf(now.name()));
                client.close();
                // Nothing left open: the connection that found the new generation was closed, not leaked.
                await().atMost(5, TimeUnit.SECONDS).until(() -> after.openConnections() == 0);
            }
        } finally {
            before.close();
        }
    }

    /** The call fails with why the new generation could not be reached, and says the server's generation changed. */
    @Test
    void aCallThatCannotFollowTheNewGenerationSaysTheGenerationChanged() {
        HpxTestServer before = server(Protocol.G1);
        try (HpxClient client = client(before, HpxProtocol.AUTO)) {
            assertThat(client.call("echo", Map.of("value", "before")).asText()).isEqualTo("before");
            before.close();
            try (HpxTestServer after = HpxTestServer.builder().protocol(Protocol.G2).port(before.port())
                    .function(FunctionSpec.echo()).build().start()) {
                // The welcome that shows the change comes as usual; the connection in the new generation is refused.
                after.faults().nextWelcome(Fault.delay(Duration.ZERO)).nextWelcome(Fault.close());

                assertThatThrownBy(() -> client.call("echo", Map.of("value", "after")))
                        .isInstanceOf(HpxConnectionException.class)
                        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                                .isInstanceOf(HpxProtocolException.class)
                                .extracting(Throwable::getMessage).asString().contains("now speaks G2, not G1"));
            }
        } finally {
            before.close();
        }
    }

    @Test
    void clientFixedToG1RefusesAG2ServerFast() {
        try (HpxTestServer server = server(Protocol.G2); HpxClient client = client(server, HpxProtocol.G1)) {
            assertMismatchFailsFast(server, client);
        }
    }

    @Test
    void clientFixedToG2RefusesAG1ServerFast() {
        try (HpxTestServer server = server(Protocol.G1); HpxClient client = client(server, HpxProtocol.G2)) {
            assertMismatchFailsFast(server, client);
        }
    }

    @Test
    void fixedGenerationMatchingTheServerWorks() {
        try (HpxTestServer g2 = server(Protocol.G2); HpxClient client = client(g2, HpxProtocol.G2)) {
            assertThat(client.call("echo", Map.of("value", 2)).intValue()).isEqualTo(2);
            assertThat(client.protocol()).isEqualTo(HpxProtocol.G2);
        }
        try (HpxTestServer g1 = server(Protocol.G1); HpxClient client = client(g1, HpxProtocol.G1)) {
            assertThat(client.call("echo", Map.of("value", 1)).intValue()).isEqualTo(1);
            assertThat(client.protocol()).isEqualTo(HpxProtocol.G1);
        }
    }

    private static void assertMismatchFailsFast(HpxTestServer server, HpxClient client) {
        // every way in, and more than once: a refused welcome must leave nothing half-open behind
        for (Runnable call : new Runnable[] {
                client::authenticate,
                () -> client.call("echo", Map.of("value", 1)),
                () -> client.executeAsync(HpxRequest.function("echo", Map.of("value", 1))).join()}) {
            long start = System.nanoTime();
            assertThatThrownBy(call::run)
                    .satisfies(e -> {
                        Throwable failure = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                        assertThat(failure).isInstanceOf(HpxProtocolException.class)
                                .hasMessageContaining("G1").hasMessageContaining("G2");
                    });
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(FAST_MILLIS);
        }
        assertThat(server.receivedMessages()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
    }
}
