package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the component shows of its shared clients and broadcast consumers: endpoint and consumer attributes in JMX,
 * and Camel's dev console {@code hpx}, in text and JSON; the session only as present or absent.
 */
class HpxObservabilityTest extends HpxCamelTestSupport {

    private static final String PASSWORD = "0bs-pa55-w0rd";

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .guestsAllowed(false)
            .user("bob", PASSWORD));

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withEnableJMX();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HpxConfiguration hpx = context.getComponent("hpx", HpxComponent.class).getConfiguration();
        hpx.setUser("bob");
        hpx.setPassword(PASSWORD);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:version").routeId("version").to("hpx:get_version");
                from("direct:missing").routeId("missing").to("hpx:no_such_function");
                from("hpx:broadcast?reconnectDelay=50&maxReconnectDelay=100").routeId("broadcasts").to("mock:broadcasts");
            }
        };
    }

    @BeforeEach
    void twoCallsAndAFailure() {
        await().until(() -> consumerAttribute("Connected").equals(true));
        template.request("direct:version", null);
        template.request("direct:version", null);
        assertThat(template.request("direct:missing", null).getException()).isNotNull();
    }

    private String generation() {
        return protocol() == Protocol.G2 ? "G2" : "G1";
    }

    @Test
    void everyEndpointOfTheSharedClientShowsItsNumbersInJmx() throws Exception {
        for (String uri : Set.of("hpx://get_version", "hpx://no_such_function", "hpx://broadcast*")) {
            ObjectName endpoint = mbean("type=endpoints,name=\"" + uri + "\"");
            Map<String, Object> shown = attributes(endpoint, "Server", "User", "ProtocolGeneration", "Session",
                    "ConnectionsOpen", "ConnectionsBusy", "ConnectionsIdle", "CallsInFlight", "CallsCompleted",
                    "CallsFailed", "Logins", "LastError", "LastErrorTime");

            assertThat(shown).as(uri)
                    .containsEntry("Server", server().host() + ":" + server().port())
                    .containsEntry("User", "bob")
                    .containsEntry("ProtocolGeneration", generation())
                    .containsEntry("Session", "present")
                    .containsEntry("ConnectionsBusy", 0)
                    .containsEntry("CallsInFlight", 0L)
                    .containsEntry("CallsCompleted", 2L)
                    .containsEntry("CallsFailed", 1L)
                    .containsEntry("Logins", 1L);
            assertThat((int) shown.get("ConnectionsOpen")).isPositive().isEqualTo(shown.get("ConnectionsIdle"));
            assertThat((String) shown.get("LastError")).startsWith("HpxFunctionException: ").contains("no_such_function");
            assertThat((String) shown.get("LastErrorTime")).isNotBlank();
            assertThat(shown.values()).noneSatisfy(value -> assertThat(String.valueOf(value)).containsAnyOf(secrets()));
        }
    }

    @Test
    void theBroadcastConsumerCountsItsReconnectsInJmx() throws Exception {
        assertThat(consumerAttribute("Reconnects")).isEqualTo(0L);

        server().restart();

        await().untilAsserted(() -> {
            assertThat(consumerAttribute("Reconnects")).isEqualTo(1L);
            assertThat(consumerAttribute("Connected")).isEqualTo(true);
        });
    }

    @Test
    void theDevConsoleListsTheClientsAndTheBroadcastConsumers() {
        DevConsoleRegistry consoles = DevConsoleRegistry.get(context);
        // What Camel Main does with camel.main.devConsoleEnabled=true: every console its service files name.
        consoles.loadDevConsoles(true);
        DevConsole console = consoles.getConsole("hpx").orElseThrow();

        JsonObject json = (JsonObject) console.call(DevConsole.MediaType.JSON);
        String text = (String) console.call(DevConsole.MediaType.TEXT);

        JsonArray clients = json.getCollection("clients");
        assertThat(clients).hasSize(1);
        JsonObject client = (JsonObject) clients.get(0);
        assertThat(client.getString("client")).isEqualTo("hpx client bob@" + server().host() + ":" + server().port());
        assertThat(client.getString("protocol")).isEqualTo(generation());
        assertThat(client.getString("session")).isEqualTo("present");
        assertThat(client.getLong("callsCompleted")).isEqualTo(2);
        assertThat(client.getLong("callsFailed")).isEqualTo(1);
        assertThat(client.getString("lastError")).contains("no_such_function");
        assertThat(client.<List<String>>getCollection("endpoints"))
                .contains("hpx://get_version", "hpx://no_such_function")
                .anySatisfy(uri -> assertThat(uri).startsWith("hpx://broadcast"));
        JsonArray consumers = json.getCollection("consumers");
        assertThat(consumers).singleElement().satisfies(consumer -> {
            assertThat(((JsonObject) consumer).getString("routeId")).isEqualTo("broadcasts");
            assertThat(((JsonObject) consumer).getBoolean("connected")).isTrue();
            assertThat(((JsonObject) consumer).getLong("reconnects")).isZero();
        });
        assertThat(text).contains("Client hpx client bob@", "    protocol: " + generation(), "    session: present",
                "    callsCompleted: 2", "    endpoints: ", "hpx://get_version",
                "Broadcast consumer of route broadcasts", "    reconnects: 0");
        assertThat(text + json.toJson()).doesNotContain(secrets());
    }

    private String[] secrets() {
        Set<String> sessions = server().sessionIds();
        assertThat(sessions).isNotEmpty();
        return Stream.concat(sessions.stream(), Stream.of(PASSWORD))
                .toArray(String[]::new);
    }

    private Object consumerAttribute(String attribute) throws Exception {
        for (ObjectName consumer : mbeanServer().queryNames(pattern("type=consumers,*"), null)) {
            if ("broadcasts".equals(mbeanServer().getAttribute(consumer, "RouteId"))) {
                return mbeanServer().getAttribute(consumer, attribute);
            }
        }
        throw new AssertionError("no MBean of the broadcast consumer");
    }

    private ObjectName mbean(String keys) throws Exception {
        Set<ObjectName> names = mbeanServer().queryNames(pattern(keys), null);
        assertThat(names).as(keys).hasSize(1);
        return names.iterator().next();
    }

    private Map<String, Object> attributes(ObjectName name, String... attributes) throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String attribute : attributes) {
            values.put(attribute, mbeanServer().getAttribute(name, attribute));
        }
        return values;
    }

    private ObjectName pattern(String keys) throws Exception {
        return new ObjectName("org.apache.camel:context=" + context.getManagementName() + "," + keys);
    }

    private MBeanServer mbeanServer() {
        return context.getManagementStrategy().getManagementAgent().getMBeanServer();
    }
}
