package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** G2: many calls in flight on one connection, each reply matched to its caller by {@code __id__}. */
@Tag("g2")
class G2MultiplexingTest {

    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = 1000;
    /** One reorder fault, then this many replies sent as they come (a fault each, an empty delay). */
    private static final int REORDER_EVERY = 25;
    /**
     * Faults cover the first replies only: until then at most 5 of the 16 threads can have finished, so at least
     * 11 callers are still sending and a held group (at most 5, or 9 when two holds overlap under load) always
     * gets the replies it waits for. A hold near the end, with fewer callers left than it holds, would never end.
     */
    private static final int FAULTED_REPLIES = 6000;

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .protocol(Protocol.G2)
            .concurrentReplies(8)
            .function(FunctionSpec.echo()));

    @Test
    void aBlockingCallOnAReaderThreadIsRefusedBeforeAnythingIsSent() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).build()) {
            client.authenticate();
            // The reply comes late, so that what is chained to it runs on the reader that reads it.
            server.faults().nextReply(Fault.delay(Duration.ofSeconds(2)));
            var refused = client.executeAsync(HpxRequest.function("get_version", Map.of())).thenApply(version -> {
                assertThat(HpxClient.onReaderThread()).isTrue();
                try {
                    return client.call("echo", Map.of("value", "never sent"));
                } catch (IllegalStateException e) {
                    return e;
                }
            });

            assertThat(refused.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
            assertThat(server.receivedMessages()).noneMatch(m -> String.valueOf(m.data()).contains("never sent"));
        }
    }

    /**
     * authenticate() waits for a handshake's reply, which the reader may be the one to read: refused there at once, as
     * a blocking call is. Before, with no session, it held the reader until its deadline and timed out.
     */
    @Test
    void anAuthenticationOnAReaderThreadIsRefused() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).requestTimeout(Duration.ofSeconds(3)).build()) {
            client.authenticate();
            // The logout's reply comes late, read by the reader, and the client has no session after it.
            server.faults().nextReply(Fault.delay(Duration.ofMillis(1500)));
            var outcome = client.executeAsync(HpxRequest.command(ServerCommand.DROP_AUTH)).thenApply(dropped -> {
                assertThat(HpxClient.onReaderThread()).isTrue();
                try {
                    return client.authenticate();
                } catch (RuntimeException e) {
                    return e;
                }
            });

            assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
            assertThat(client.authenticate()).isNotNull();
        }
    }

    @Test
    void sixteenThreadsShareOneConnectionAndEveryReplyReachesItsOwnCallerThoughRepliesOvertakeEachOther()
            throws Exception {
        HpxTestServer server = hpx.server();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (HpxClient client = TestClients.to(server).poolSize(1).build()) {
            client.authenticate();
            int reorders = queueReorderFaults(server, new Random(42));

            List<Callable<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(() -> {
                    int matched = 0;
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        String request = "t" + thread + ":" + i;
                        if (client.call("echo", Map.of("value", request)).asText().equals(request)) {
                            matched++;
                        }
                    }
                    return matched;
                });
            }
            int matched = 0;
            for (Future<Integer> result : threads.invokeAll(workers, 60, TimeUnit.SECONDS)) {
                matched += result.get();
            }

            assertThat(matched).isEqualTo(THREADS * CALLS_PER_THREAD);
            assertThat(reorders).isEqualTo(FAULTED_REPLIES / REORDER_EVERY);
            // every reorder fault and its followers were consumed: the replies really were shuffled
            assertThat(server.faults().pendingReplyFaults()).isZero();
            assertThat(client.protocol()).isEqualTo(HpxProtocol.G2);
            assertThat(client.openConnections()).isEqualTo(1);
            assertThat(server.openConnections()).isEqualTo(1);
            assertThat(server.receivedMessages()).extracting(ReceivedMessage::connectionId).containsOnly(1L);
            assertThat(server.sessionIds()).containsExactly(client.sessionId());
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Queues reorder faults of 2 to 5 replies, each followed by plain replies (an empty delay consumes a fault
     * without changing the frame), so that holds rarely overlap. Returns the number of reorder faults.
     */
    private static int queueReorderFaults(HpxTestServer server, Random random) {
        int cycles = FAULTED_REPLIES / REORDER_EVERY;
        for (int c = 0; c < cycles; c++) {
            server.faults().reorderReplies(2 + random.nextInt(4));
            for (int i = 1; i < REORDER_EVERY; i++) {
                server.faults().nextReply(Fault.delay(Duration.ZERO));
            }
        }
        return cycles;
    }

    @Test
    void lateReplyAfterATimeoutIsDroppedAndTheNextCallOnTheSameConnectionGetsItsOwn() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).requestTimeout(Duration.ofSeconds(10)).build()) {
            client.authenticate();
            server.faults().nextReply(Fault.delay(Duration.ofSeconds(3)));

            long start = System.nanoTime();
            assertThatThrownBy(() -> client.execute(HpxRequest.function("echo", Map.of("value", "late"))
                    .timeout(Duration.ofMillis(300))))
                    .isInstanceOfSatisfying(HpxTimeoutException.class, e -> assertThat(e.getCode()).isEqualTo(102));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).as("ended by its own deadline, not by the late reply")
                    .isGreaterThanOrEqualTo(290).isLessThan(2500);

            // Sent while the late reply is still due: the late one arrives first, on the same connection.
            assertThat(client.call("echo", Map.of("value", "next")).asText()).isEqualTo("next");
            assertThat(client.call("echo", Map.of("value", "and next")).asText()).isEqualTo("and next");

            assertThat(client.openConnections()).isEqualTo(1);
            assertThat(server.receivedMessages()).extracting(ReceivedMessage::connectionId).containsOnly(1L);
            assertThat(server.receivedMessages()).hasSize(4);
        }
    }

    @Test
    void lateReplyOfTheSameShapeNeverCompletesABoundCall() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).build()) {
            client.authenticate();
            server.faults().nextReply(Fault.delay(Duration.ofMillis(1000)));

            assertThatThrownBy(() -> client.execute(HpxRequest.function("echo", Map.of("value", 111))
                    .as(Integer.class).timeout(Duration.ofMillis(200))))
                    .isInstanceOf(HpxTimeoutException.class);

            assertThat(client.call("echo", Map.of("value", 222), Integer.class)).isEqualTo(222);
            assertThat(client.openConnections()).isEqualTo(1);
        }
    }
}
