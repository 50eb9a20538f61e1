package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.HpxFaultProxy;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * G2 callers on virtual threads (Java 21 and later; the build's JDK 17 skips these, CI runs them on a newer JDK if the
 * machine has one). The JDK closes the socket of a virtual thread interrupted while it blocks on it: one connection
 * carries many calls, and an interrupted caller must not end it under the others.
 */
@Tag("g2")
@EnabledForJreRange(min = JRE.JAVA_21)
class G2VirtualThreadTest {

    private final G2Gate gate = new G2Gate();

    @RegisterExtension
    final HpxTestServerExtension hpx = G2Gate.server(4, gate);

    /**
     * A virtual thread that makes a blocking call of {@code function} of {@code client}, interrupted first if
     * {@code interrupted}, and puts its outcome, value or failure, there.
     */
    private static Thread virtualCaller(HpxClient client, String function, Object value, boolean interrupted,
            CompletableFuture<Object> outcome) throws ReflectiveOperationException {
        Runnable call = () -> {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            try {
                outcome.complete(client.call(function, Map.of("value", value)));
            } catch (RuntimeException e) {
                outcome.complete(e);
            }
        };
        // Built for Java 17: Thread.ofVirtual().unstarted(call), by reflection.
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        return (Thread) Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class)
                .invoke(builder, call);
    }

    /**
     * The server reads no more of a large request, whose write waits; its virtual caller is interrupted. The write
     * ends once the server reads again, the call fails as interrupted, and the connection goes on: the call held in the
     * server gets its reply, sent once. Both calls are held, so that no reply can be there before the interrupted
     * caller waits for it (a reply there is returned, interrupt or not). Before, the write was on the caller's thread,
     * the JDK closed the socket, and the held call went again on another connection.
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aVirtualCallerInterruptedWhileItsWriteWaitsLeavesTheConnectionToTheOthers() throws Exception {
        String large = TestClients.randomText(4 * 1024 * 1024);
        try (HpxFaultProxy proxy = TestClients.stallingProxy(hpx.server());
             HpxClient client = HpxClient.builder().host(proxy.host()).port(proxy.port())
                     .requestTimeout(Duration.ofSeconds(15)).maxMessageSize(64L * 1024 * 1024).poolSize(1).build()) {
            client.authenticate();
            CompletableFuture<JsonNode> held = client.executeAsync(HpxRequest.function("hold", Map.of("value", "held")));
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread caller = virtualCaller(client, "hold", large, false, outcome);
            caller.start();
            await().until(() -> writeWaits(caller));

            caller.interrupt();
            // The write goes on, as a platform thread's would: the request is whole on the wire, or not there at all.
            proxy.releaseStalls();

            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(HpxConnectionException.class).asString()
                    .contains("interrupted");
            gate.open();
            assertThat(held.get(10, TimeUnit.SECONDS).asText()).isEqualTo("held");
            assertThat(hpx.server().receivedMessages()).filteredOn(m -> String.valueOf(m.data()).contains("\"held\""))
                    .hasSize(1);
            assertThat(client.openConnections()).isEqualTo(1);
        }
    }

    /**
     * A virtual caller whose write waits for a thread of the client's executor, every one busy, fails at its deadline,
     * never sent, and the connection goes on. Before, the watchdog was armed before the write was handed over: it took
     * the wait for a write the server did not read, and closed the connection under the other calls.
     */
    @Test
    void aVirtualCallerWhoseWriteWaitsForABusyExecutorLeavesTheConnectionToTheOthers() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch busy = new CountDownLatch(1);
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).executor(executor)
                .requestTimeout(Duration.ofMillis(500)).build()) {
            client.authenticate();
            CompletableFuture<JsonNode> held = client.executeAsync(HpxRequest.function("hold", Map.of("value", "held"))
                    .timeout(Duration.ofSeconds(10)));
            executor.execute(() -> {
                try {
                    busy.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            virtualCaller(client, "echo", "mine", false, outcome).start();

            // Ended by its deadline, in the executor's queue or in flight, whichever ended it first: never sent.
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(HpxTimeoutException.class);
            busy.countDown();
            gate.open();
            assertThat(held.get(10, TimeUnit.SECONDS).asText()).isEqualTo("held");
            assertThat(hpx.server().receivedMessages()).noneMatch(m -> String.valueOf(m.data()).contains("mine"));
            assertThat(client.openConnections()).isEqualTo(1);
        } finally {
            busy.countDown();
            executor.shutdownNow();
        }
    }

    /** Whether a write of the connection waits for the socket: on {@code caller}, or on a thread it was handed to. */
    private static boolean writeWaits(Thread caller) {
        return Stream.concat(Stream.of(caller), Thread.getAllStackTraces().keySet().stream())
                .map(thread -> List.of(thread.getStackTrace()).toString())
                .anyMatch(stack -> stack.contains("MultiplexedConnection") && stack.contains("implWrite"));
    }

    /**
     * A virtual caller interrupted before its call: the request still goes out (a route being stopped sends its
     * {@code stop_command} so), the wait for its reply fails typed, and the connection goes on. Its reply is held in
     * the server, so that the wait cannot find it there already (a reply there is returned, interrupt or not).
     */
    @Test
    void aVirtualCallerInterruptedBeforeItsCallLeavesTheConnectionToTheOthers() throws Exception {
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).build()) {
            client.authenticate();
            CompletableFuture<JsonNode> held = client.executeAsync(HpxRequest.function("hold", Map.of("value", "held")));
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            virtualCaller(client, "hold", "mine", true, outcome).start();

            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(HpxConnectionException.class).asString()
                    .contains("interrupted");
            await().untilAsserted(() -> assertThat(hpx.server().receivedMessages())
                    .filteredOn(m -> String.valueOf(m.data()).contains("mine")).hasSize(1));
            gate.open();
            assertThat(held.get(10, TimeUnit.SECONDS).asText()).isEqualTo("held");
            assertThat(client.openConnections()).isEqualTo(1);
        }
    }
}
