package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.github.camelhpx.client.HpxServerMismatchException;
import io.github.camelhpx.client.HpxTimeoutException;
import io.github.camelhpx.client.HpxSessionLostException;
import io.github.camelhpx.client.HpxWrongCredentialsException;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Producer and consumer health checks through Camel's health-check API: DOWN with a reason while the server is
 * away or refuses the login, UP again once a session works; never a credential in what they show.
 */
class HpxHealthCheckTest extends HpxCamelTestSupport {

    private static final String PASSWORD = "n0t-in-any-check";
    private static final String VERSION = "hpx:get_version";
    private static final String REFUSED = "hpx:get_version?password=wrong-password";
    private static final String LOGIN = "hpx:handshake?allowServerCommands=true";
    private static final String IN_SESSION = "hpx:get_version?sessionFromHeader=true";

    /** Holds {@code slow} in the server until the test lets it answer, whatever else the server answers meanwhile. */
    private static final AtomicReference<CountDownLatch> SLOW = new AtomicReference<>(new CountDownLatch(0));

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .guestsAllowed(false)
            .user("bob", PASSWORD)
            .function(FunctionSpec.of("slow").handler(call -> {
                SLOW.get().await(30, TimeUnit.SECONDS);
                return "late";
            })));

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HpxConfiguration hpx = context.getComponent("hpx", HpxComponent.class).getConfiguration();
        hpx.setUser("bob");
        hpx.setPassword(PASSWORD);
        // Camel leaves producer checks off unless asked (camel.health.producersEnabled).
        HealthCheckHelper.getHealthCheckRepository(context, "producers").setEnabled(true);
        HealthCheckHelper.getHealthCheckRepository(context, "consumers");
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:version").routeId("version").to(VERSION);
                from("direct:refused").routeId("refused").to(REFUSED);
                from("direct:login").routeId("login").to(LOGIN);
                from("direct:inSession").routeId("inSession").to(IN_SESSION);
                from("hpx:broadcast?reconnectDelay=50&maxReconnectDelay=100").routeId("broadcasts").to("mock:broadcasts");
                // A polling consumer of a function of the server's generation (get_notification is G1 only).
                String polled = protocol() == Protocol.G1 ? "get_notification" : "get_user";
                from("hpx:" + polled + "?initialDelay=0&delay=50").routeId("notifications").to("mock:notifications");
            }
        };
    }

    @Test
    void everyCheckIsUpOnceTheSessionWorks() {
        await().untilAsserted(() -> {
            assertThat(state("producer:hpx-version")).isEqualTo(HealthCheck.State.UP);
            assertThat(state("consumer:broadcasts")).isEqualTo(HealthCheck.State.UP);
            assertThat(state("consumer:notifications")).isEqualTo(HealthCheck.State.UP);
        });
    }

    @Test
    void checksGoDownWhileTheServerIsAwayAndUpWhenItIsBack() {
        await().until(() -> state("consumer:broadcasts") == HealthCheck.State.UP);

        server().quit();

        await().untilAsserted(() -> {
            assertThat(result("producer:hpx-version")).satisfies(down("cannot be reached"));
            // A producer of users' sessions only reaches the server: it cannot.
            assertThat(result("producer:hpx-inSession")).satisfies(down("cannot be reached"));
            assertThat(result("consumer:broadcasts")).satisfies(down("cannot be reached"));
            assertThat(state("consumer:notifications")).isEqualTo(HealthCheck.State.DOWN);
        });

        server().start();

        await().untilAsserted(() -> {
            assertThat(state("producer:hpx-version")).isEqualTo(HealthCheck.State.UP);
            assertThat(state("producer:hpx-inSession")).isEqualTo(HealthCheck.State.UP);
            assertThat(state("consumer:broadcasts")).isEqualTo(HealthCheck.State.UP);
            assertThat(state("consumer:notifications")).isEqualTo(HealthCheck.State.UP);
        });
    }

    @Test
    void aConsumerWhoseWatchThreadWasInterruptedIsDownAndSaysSo() {
        await().until(() -> state("consumer:broadcasts") == HealthCheck.State.UP);
        server().quit();
        await().until(() -> state("consumer:broadcasts") == HealthCheck.State.DOWN);

        try (LogCapture logs = new LogCapture(Level.WARN)) {
            // e.g. the pool shut down under a consumer that is still started
            Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().endsWith("HpxBroadcastWatch"))
                    .forEach(Thread::interrupt);

            await().untilAsserted(() -> assertThat(logs.text())
                    .contains("No longer listening for the broadcasts of HPX server"));
            server().start();
            // The server is back, and the consumer is not: it says so rather than waiting for broadcasts.
            assertThat(result("consumer:broadcasts")).satisfies(down("No longer listening", "interrupted"));
        }
    }

    @Test
    void aRefusedLoginIsDownWithTheReasonAndNoCredential() {
        HealthCheck.Result result = result("producer:hpx-refused");

        assertThat(result).satisfies(down("refuses the login", "Wrong credentials"));
        String shown = result.getCheck().getId() + result.getMessage().orElse("") + result.getDetails()
                       + result.getError().map(Throwable::toString).orElse("");
        assertThat(shown).doesNotContain("wrong-password").doesNotContain(PASSWORD);
        server().sessionIds().forEach(session -> assertThat(shown).doesNotContain(session));
    }

    @Test
    void aUsersWrongPasswordOrLostSessionLeavesTheProducersUp() {
        Exchange login = template.request("direct:login", e -> {
            e.getMessage().setHeader(HpxConstants.USER, "bob");
            e.getMessage().setHeader(HpxConstants.PASSWORD, "not-bobs-password");
        });
        Exchange call = template.request("direct:inSession",
                e -> e.getMessage().setHeader(HpxConstants.SESSION_ID, "0123456789abcdef0123456789abcdef"));

        assertThat(login.getException()).isInstanceOf(HpxWrongCredentialsException.class);
        assertThat(call.getException()).isInstanceOf(HpxSessionLostException.class);
        assertThat(state("producer:hpx-login")).isEqualTo(HealthCheck.State.UP);
        assertThat(state("producer:hpx-inSession")).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void aGatewaysIdleProducersAreUpWhereTheServerRefusesTheComponentsOwnLogin() throws Exception {
        // No credentials, and the server refuses guests: only the users' logins can succeed.
        context.addComponent("gateway", new HpxComponent());
        String at = at(server());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:gatewayLogin").routeId("gatewayLogin")
                        .to("gateway:handshake?allowServerCommands=true&" + at);
                from("direct:gatewayCall").routeId("gatewayCall")
                        .to("gateway:get_version?sessionFromHeader=true&" + at);
                from("direct:gatewayOwn").routeId("gatewayOwn").to("gateway:get_version?" + at);
            }
        });

        for (int round = 0; round < 2; round++) {
            long guestLogins = guestLogins();
            assertThat(state("producer:hpx-gatewayLogin")).isEqualTo(HealthCheck.State.UP);
            assertThat(state("producer:hpx-gatewayCall")).isEqualTo(HealthCheck.State.UP);
            // Only reached: no login the server refuses at every check.
            assertThat(guestLogins()).isEqualTo(guestLogins);
            // Until the check logs in itself: the first may use what the start left behind, and the checks of a
            // client share their probe for a second (HpxClientProbe).
            await().untilAsserted(() -> {
                assertThat(result("producer:hpx-gatewayOwn")).satisfies(down("refuses the login"));
                assertThat(guestLogins()).isGreaterThan(guestLogins);
            });
        }
    }

    /** Reaching a server is not enough when it speaks another generation than the one the endpoint asks for. */
    @Test
    void aGatewaysProducerFacingAServerOfAnotherGenerationIsDown() throws Exception {
        routeToTheOtherGeneration("otherGeneration", "sessionFromHeader=true&");

        assertThat(result("producer:hpx-otherGeneration")).satisfies(down("cannot be used"));
    }

    /**
     * A producer with its own session, whose calls all fail because the server speaks another generation than the
     * endpoint's: DOWN after a call, and when idle. It was UP, "session established", either way.
     */
    @Test
    void aProducerFacingAServerOfAnotherGenerationIsDown() throws Exception {
        routeToTheOtherGeneration("otherGenerationOwn", "");

        assertThat(result("producer:hpx-otherGenerationOwn")).satisfies(down("speaks " + protocol()));
        Exchange failed = template.request("direct:otherGenerationOwn", null);
        assertThat(failed.getException()).isInstanceOf(HpxServerMismatchException.class);
        assertThat(result("producer:hpx-otherGenerationOwn")).satisfies(down("cannot be used"));
    }

    /**
     * A route {@code routeId} whose producer, of an hpx component of its own, calls this server with {@code options}
     * and the other generation's protocol.
     */
    private void routeToTheOtherGeneration(String routeId, String options) throws Exception {
        String scheme = routeId.toLowerCase(Locale.ROOT);
        context.addComponent(scheme, new HpxComponent());
        String other = protocol() == Protocol.G1 ? "g2" : "g1";
        String at = "host=" + server().host() + "&port=" + server().port() + "&protocol=" + other;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + routeId).routeId(routeId).to(scheme + ":get_version?" + options + at);
            }
        });
    }

    /** The handshakes without credentials the server received: the gateway component's own logins. */
    private long guestLogins() {
        return server().receivedMessages().stream().filter(m -> "".equals(m.session()) && m.data() != null
                && m.data().isObject() && m.data().isEmpty()).count();
    }

    @Test
    void checksAreNamedAfterTheRoutesTheUserWrote() {
        assertThat(checkIds()).contains("producer:hpx-version", "producer:hpx-refused", "consumer:broadcasts",
                "consumer:notifications");
        assertThat(result("producer:hpx-version").getDetails())
                .containsEntry(HpxHealthCheck.ENDPOINT_URI, "hpx://get_version");
        assertThat(result("producer:hpx-refused").getDetails())
                .containsEntry(HpxHealthCheck.ENDPOINT_URI, "hpx://get_version?password=xxxxxx");
    }

    @Test
    void producersThatShareARouteHaveIdsOfTheirOwn() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:pair").routeId("pair")
                        .to("hpx:get_version")
                        .to("hpx:get_count?arg.item_type=Gallery")
                        .to("hpx:get_version?synchronous=true");
                from("direct:inline").routeId("inline").to("hpx:get_version?synchronous=true");
            }
        });

        assertThat(checkIds()).contains("producer:hpx-pair", "producer:hpx-pair-2", "producer:hpx-pair-3",
                "producer:hpx-inline");
        assertThat(result("producer:hpx-pair-2").getDetails())
                .containsEntry(HpxHealthCheck.ENDPOINT_URI, "hpx://get_count?arg.item_type=Gallery");
        assertThat(state("producer:hpx-inline")).isEqualTo(HealthCheck.State.UP);

        context.getRouteController().stopRoute("pair");
        assertThat(checkIds()).noneMatch(id -> id.startsWith("producer:hpx-pair"));
        context.getRouteController().startRoute("pair");
        assertThat(checkIds()).contains("producer:hpx-pair", "producer:hpx-pair-2", "producer:hpx-pair-3");
        assertThat(result("producer:hpx-pair-3").getDetails())
                .containsEntry(HpxHealthCheck.ENDPOINT_URI, "hpx://get_version?synchronous=true");
    }

    @Test
    void aBusyProducerIsCheckedWithoutAnExtraRequest() {
        await().until(() -> state("consumer:broadcasts") == HealthCheck.State.UP);
        template.request("direct:version", null);
        int before = server().receivedMessages().size();

        assertThat(state("producer:hpx-version")).isEqualTo(HealthCheck.State.UP);

        assertThat(server().receivedMessages().stream().skip(before)
                .filter(message -> message.data().toString().contains("get_version")))
                .as("no get_version beyond the consumers' own calls").isEmpty();
    }

    /**
     * Camel runs a round of checks one after another: the idle producers of one client share one probe, rather than
     * each send its own (a round trip each, or a request timeout each while the server does not answer).
     */
    @Test
    void idleProducersOfOneClientShareOneProbe() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:three").routeId("three")
                        .to("hpx:get_count?arg.item_type=Gallery")
                        .to("hpx:get_version?synchronous=true")
                        .to("hpx:get_tags?arg.item_type=Gallery&arg.item_id=1");
            }
        });
        await().until(() -> state("consumer:broadcasts") == HealthCheck.State.UP);
        int before = server().receivedMessages().size();

        for (String check : List.of("producer:hpx-version", "producer:hpx-three", "producer:hpx-three-2",
                "producer:hpx-three-3")) {
            assertThat(state(check)).as(check).isEqualTo(HealthCheck.State.UP);
        }

        // One probe; a second only if the machine stalled past the second a probe is shared for.
        assertThat(server().receivedMessages().stream().skip(before)
                .filter(message -> message.data().toString().contains("get_version"))).hasSizeBetween(1, 2);
    }

    /** A call that ran out of time may have met a slow function: the check asks the server itself. */
    @Test
    void aCallThatTimedOutLeavesTheCheckToAskTheServer() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:slow").routeId("slow").to("hpx:slow?requestTimeout=2000");
            }
        });
        SLOW.set(new CountDownLatch(1));
        Exchange timedOut;
        try {
            timedOut = template.request("direct:slow", null);
        } finally {
            SLOW.get().countDown();
        }

        assertThat(timedOut.getException()).isInstanceOf(ExchangeTimedOutException.class)
                .hasCauseInstanceOf(HpxTimeoutException.class);
        assertThat(result("producer:hpx-slow").getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void checksReportTheServerButNoSession() {
        HealthCheck.Result producer = result("producer:hpx-version");
        await().until(() -> state("consumer:broadcasts") == HealthCheck.State.UP);
        HealthCheck.Result consumer = result("consumer:broadcasts");

        String server = server().host() + ":" + server().port();
        assertThat(producer.getDetails()).containsEntry(HpxHealthCheck.SERVER, server);
        assertThat(consumer.getDetails()).containsEntry(HpxHealthCheck.SERVER, server);
        String shown = producer.getDetails().toString() + producer.getMessage() + consumer.getDetails() + consumer.getMessage();
        assertThat(server().sessionIds()).isNotEmpty().allSatisfy(session -> assertThat(shown).doesNotContain(session));
        assertThat(shown).doesNotContain(PASSWORD);
    }

    @Test
    void theComponentSwitchesTheChecksOff() throws Exception {
        HpxComponent component = context.getComponent("hpx", HpxComponent.class);
        component.setHealthCheckProducerEnabled(false);
        component.setHealthCheckConsumerEnabled(false);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:count").routeId("count").to("hpx:get_count");
                from("hpx:broadcast?reconnectDelay=70").routeId("quiet-broadcasts").to("mock:quiet");
            }
        });
        int before = server().receivedMessages().size();

        assertThat(result("producer:hpx-count")).satisfies(disabled());
        assertThat(result("consumer:quiet-broadcasts")).satisfies(disabled());
        assertThat(server().receivedMessages().stream().skip(before)
                .filter(message -> message.data().toString().contains("get_count"))).isEmpty();
    }

    /** The ids of the checks Camel's registry shows, as a readiness probe with full exposure does. */
    private List<String> checkIds() {
        return HealthCheckHelper.invokeReadiness(context, "full").stream().map(result -> result.getCheck().getId())
                .toList();
    }

    private HealthCheck.State state(String checkId) {
        return result(checkId).getState();
    }

    /** Calls one check, as a readiness probe does. */
    private HealthCheck.Result result(String checkId) {
        Optional<HealthCheck.Result> result = HealthCheckHelper.invoke(context, checkId,
                Map.of(HealthCheck.CHECK_KIND, HealthCheck.Kind.READINESS));
        assertThat(result).as("health check %s", checkId).isPresent();
        return result.get();
    }

    private static Consumer<HealthCheck.Result> disabled() {
        return result -> {
            assertThat(result.getState()).isEqualTo(HealthCheck.State.UNKNOWN);
            assertThat(result.getMessage()).hasValue("Disabled");
        };
    }

    private static Consumer<HealthCheck.Result> down(String... reason) {
        return result -> {
            assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(result.getMessage()).hasValueSatisfying(message -> assertThat(message).contains(reason));
        };
    }
}
