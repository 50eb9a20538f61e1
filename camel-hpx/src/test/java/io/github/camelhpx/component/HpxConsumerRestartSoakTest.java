package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.camelhpx.client.SoakStats;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code from("hpx:broadcast")} across 10 server kills ({@code -Dhpx.soak.restarts=N} for more): after each, the
 * consumer reconnects, the next broadcast arrives exactly once, it holds the same number of connections and
 * threads as after its first connect, and stopping the route leaves none of them behind.
 */
class HpxConsumerRestartSoakTest extends HpxCamelTestSupport {

    private static final Pattern RECONNECTED = Pattern.compile("Reconnected to HPX server");

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create();

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Test
    void reconnectsAfterEveryKillWithNoDuplicateBroadcastAndNoLeakedThread() throws Exception {
        int kills = SoakStats.intProperty("hpx.soak.restarts", 10);
        // Threads of earlier tests may end at any time: only those started from here on are counted.
        Set<Thread> earlier = Set.copyOf(Thread.getAllStackTraces().keySet());
        List<String> clientBefore = clientThreads();
        List<Long> reconnectMillis = new ArrayList<>();
        List<String> consumerConnected = null;
        try (LogCapture logs = new LogCapture(Level.INFO)) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("hpx:broadcast?reconnectDelay=20&maxReconnectDelay=200").routeId("broadcasts")
                            .to("mock:broadcasts");
                }
            });
            await().until(() -> server().sessionIds().size() == 1 && consumerThreads(earlier).contains("watch"));
            // Before the first kill the session's handshake connection may still be open beside the watch's
            int connectionsAtStart = server().openConnections();
            Integer connectionsAfterKill = null;

            for (int kill = 1; kill <= kills; kill++) {
                int expected = kill;
                long t0 = System.nanoTime();
                // A crash: every connection closes without a broadcast; then the server is back on the same port
                server().stop();
                server().start();
                await().atMost(Duration.ofSeconds(10)).until(() -> count(RECONNECTED, logs.text()) == expected);
                reconnectMillis.add((System.nanoTime() - t0) / 1_000_000);
                if (connectionsAfterKill == null) {
                    connectionsAfterKill = server().openConnections();
                    assertThat(connectionsAfterKill).isBetween(1, connectionsAtStart);
                }
                int connections = connectionsAfterKill;
                await().until(() -> server().openConnections() == connections);

                server().broadcast(2);

                await().until(() -> broadcasts().getReceivedCounter() == expected);
                await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                        .until(() -> broadcasts().getReceivedCounter() == expected);
                assertThat(server().openConnections()).as("connections after kill %d", kill).isEqualTo(connections);
                if (consumerConnected == null) {
                    // The delivery thread is made for the first broadcast
                    consumerConnected = consumerThreads(earlier);
                }
                assertThat(consumerThreads(earlier)).as("consumer threads after kill %d", kill)
                        .isEqualTo(consumerConnected);
                assertThat(clientThreads().size()).as("client threads after kill %d: %s", kill, clientThreads())
                        .isLessThanOrEqualTo(clientBefore.size() + 5);
            }
            System.out.println("SOAK consumer " + server().protocol() + " kills=" + kills + " reconnects="
                               + count(RECONNECTED, logs.text()) + " broadcasts=" + broadcasts().getReceivedCounter()
                               + " connections=" + connectionsAfterKill + " threads=" + consumerConnected + " reconnectMs="
                               + reconnectMillis);
        }
        assertThat(broadcasts().getReceivedExchanges()).hasSize(kills)
                .allSatisfy(e -> assertThat(e.getMessage().getHeader(HpxConstants.BROADCAST)).isEqualTo("ServerRestart"));

        context.getRouteController().stopRoute("broadcasts");
        context.removeRoute("broadcasts");

        await().atMost(Duration.ofSeconds(5)).until(() -> server().openConnections() == 0);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(consumerThreads(earlier)).isEmpty();
            assertThat(clientThreads()).isSubsetOf(clientBefore);
        });
    }

    private MockEndpoint broadcasts() {
        return getMockEndpoint("mock:broadcasts");
    }

    private static int count(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * The consumer's threads ({@code watch}: its watch, {@code delivery}: the one broadcasts go through the route
     * on) and the readers of G2 connections, one entry per thread not in {@code earlier}: what must not grow from one
     * kill to the next.
     */
    private static List<String> consumerThreads(Set<Thread> earlier) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(thread -> !earlier.contains(thread)).map(Thread::getName)
                .map(name -> name.contains("HpxBroadcastWatch") ? "watch"
                        : name.contains("HpxBroadcast") ? "delivery"
                        : name.startsWith("hpx-reader") ? "reader" : null)
                .filter(java.util.Objects::nonNull).sorted().toList();
    }

    /** The client's pool threads ({@code hpx-client-N}, made as needed up to its pool size) and its timer. */
    private static List<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("hpx-client")).sorted().toList();
    }
}
