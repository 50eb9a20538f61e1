package io.github.camelhpx.component;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's recipe for more than one node: two CamelContexts in one JVM elect a leader with the file cluster
 * service; only the leader's hpx:get_notification and hpx:broadcast consumers run, and stopping it moves them to
 * the other node. Both use one HPX session (sessionId), which each keeps open with a keep-alive route, so the
 * notifications queued in it during the handover are each delivered once, in order, by one node or the other.
 */
// The recipe hands over a session's notification queue, an HPX 0.x (G1) function.
@Tag("g1")
class HpxClusterTest {

    private static final String PASSWORD = "clu5ter-pa55";
    private static final int MAX_NOTIFICATIONS = 1_000;

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(server -> server
            .guestsAllowed(false)
            .user("bob", PASSWORD));

    @TempDir
    Path locks;

    private final List<Delivery> notifications = new CopyOnWriteArrayList<>();
    private final List<Delivery> broadcasts = new CopyOnWriteArrayList<>();
    private final List<String> keepAlives = new CopyOnWriteArrayList<>();
    private final List<CamelContext> nodes = new ArrayList<>();
    private final ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor();

    private HpxClient holder;

    @AfterEach
    void stopNodes() {
        pusher.shutdownNow();
        nodes.forEach(CamelContext::stop);
        if (holder != null) {
            holder.close();
        }
    }

    @Test
    void onlyTheLeaderConsumesAndItsSuccessorTakesOverTheSessionsQueue() throws Exception {
        // HPX forgets a session when its last connection closes: the client that opened it holds it until the
        // nodes hold it, with the keep-alive route each runs whether it leads or not and the leader's consumers. It
        // stays until the successor's consumers run: the test's own broadcasts (sent without closing, which a real
        // server never does) leave an unread frame on the follower's idle keep-alive connection, which its first
        // poll then retires as left by the server, and for a few milliseconds, until its broadcast consumer has
        // connected, the follower may hold no connection of the session.
        String session;
        CamelContext a;
        CamelContext b;
        holder = HpxClient.builder().host(hpx.host()).port(hpx.port()).credentials("bob", PASSWORD).build();
        session = holder.authenticate();
        a = node("node-a", session);
        await().until(() -> started(a, "notifications") && started(a, "broadcasts"));
        b = node("node-b", session);
        await().until(() -> keepAlives.contains("node-a") && keepAlives.contains("node-b"));

        List<Integer> pushed = new CopyOnWriteArrayList<>();
        pusher.scheduleAtFixedRate(() -> {
            if (pushed.size() < MAX_NOTIFICATIONS) {
                pushed.add(hpx.server().pushNotification(session, "Notice", "queued in " + session));
            }
        }, 0, 10, MILLISECONDS);
        await().until(() -> notifications.size() >= 10);
        broadcastUntilReceivedBy("node-a");
        await().during(Duration.ofMillis(300)).until(() -> !started(b, "notifications") && !started(b, "broadcasts"));
        assertThat(notifications).extracting(Delivery::node).containsOnly("node-a");
        assertThat(broadcasts).extracting(Delivery::node).containsOnly("node-a");

        a.stop();   // a plain stop, while notifications keep arriving in the session's queue
        int broadcastsBeforeHandover = broadcasts.size();

        await().until(() -> started(b, "notifications") && started(b, "broadcasts"));
        await().until(() -> ((HpxBroadcastConsumer) b.getRoute("broadcasts").getConsumer()).isConnected());
        holder.close();
        await().until(() -> notifications.stream().filter(delivery -> delivery.node().equals("node-b")).count() >= 10);
        pusher.shutdown();
        assertThat(pusher.awaitTermination(5, SECONDS)).isTrue();
        await().until(() -> notifications.size() >= pushed.size());
        await().during(Duration.ofMillis(300)).until(() -> notifications.size() == pushed.size());
        assertThat(notifications).extracting(Delivery::value).containsExactlyElementsOf(pushed);
        int handover = notifications.indexOf(notifications.stream()
                .filter(delivery -> delivery.node().equals("node-b")).findFirst().orElseThrow());
        assertThat(notifications.subList(0, handover)).extracting(Delivery::node).containsOnly("node-a");
        assertThat(notifications.subList(handover, notifications.size())).extracting(Delivery::node)
                .containsOnly("node-b");

        broadcastUntilReceivedBy("node-b");
        assertThat(broadcasts.subList(broadcastsBeforeHandover, broadcasts.size())).extracting(Delivery::node)
                .containsOnly("node-b");
        assertThat(hpx.server().sessionIds()).containsExactly(session);
    }

    /** A broadcast reaches the connections open when it is sent: repeated until the node's consumer listens. */
    private void broadcastUntilReceivedBy(String node) {
        await().pollInterval(Duration.ofMillis(200)).until(() -> {
            if (broadcasts.stream().anyMatch(delivery -> delivery.node().equals(node))) {
                return true;
            }
            hpx.server().broadcast(2);
            return false;
        });
    }

    private CamelContext node(String name, String session) throws Exception {
        FileLockClusterService cluster = new FileLockClusterService();
        cluster.setId(name);
        cluster.setRoot(locks.toString());
        cluster.setAcquireLockDelay(1, MILLISECONDS);
        cluster.setAcquireLockInterval(100, MILLISECONDS);

        CamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName(name);
        context.addService(cluster);
        HpxConfiguration hpxConfiguration = context.getComponent("hpx", HpxComponent.class).getConfiguration();
        hpxConfiguration.setHost(hpx.host());
        hpxConfiguration.setPort(hpx.port());
        hpxConfiguration.setUser("bob");
        hpxConfiguration.setPassword(PASSWORD);
        hpxConfiguration.setSessionId(session);
        hpxConfiguration.setConnectTimeout(5_000);
        hpxConfiguration.setRequestTimeout(5_000);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                // On every node, leader or not: keeps a connection, and so the session, open (and in use). Often
                // here: the test's restart broadcasts leave the server running, and a node's connection that took
                // one is retired on its next use; the session must not hang on the leader's connections alone then.
                from("timer:hpx-session?delay=0&period=200").routeId("session")
                        .to("hpx:get_version")
                        .process(exchange -> keepAlives.add(name));
                from("hpx:get_notification?initialDelay=0&delay=20").routeId("notifications")
                        .routePolicy(ClusteredRoutePolicy.forNamespace("hpx"))
                        .process(exchange -> notifications.add(new Delivery(name,
                                exchange.getMessage().getBody(JsonNode.class).path("id").intValue())));
                from("hpx:broadcast").routeId("broadcasts")
                        .routePolicy(ClusteredRoutePolicy.forNamespace("hpx"))
                        .process(exchange -> broadcasts.add(new Delivery(name,
                                exchange.getMessage().getBody(JsonNode.class).intValue())));
            }
        });
        nodes.add(context);
        context.start();
        return context;
    }

    private static boolean started(CamelContext context, String routeId) {
        return context.getRouteController().getRouteStatus(routeId) == ServiceStatus.Started;
    }

    /** What a node's consumer emitted: a notification's id, or a broadcast's data. */
    private record Delivery(String node, int value) {
    }
}
