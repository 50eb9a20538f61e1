package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxSessionLostException;
import io.github.camelhpx.client.HpxWrongCredentialsException;
import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A gateway route: users log in through hpx:handshake, and their calls run in their own sessions through one
 * client (G1: a pool of 4, G2: one multiplexed connection) on endpoints with sessionFromHeader.
 */
class HpxUserSessionsTest extends HpxCamelTestSupport {

    private static final int USERS = 20;
    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = 25;
    private static final String LOCALE = "client.translation_locale";

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(b -> {
        b.guestsAllowed(false);
        for (int u = 0; u < USERS; u++) {
            b.user(user(u), password(u));
        }
    });

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    private static String user(int u) {
        return String.format("user%02d", u);
    }

    private static String password(int u) {
        return "pw-" + u + "-never-shown";
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HpxConfiguration hpx = context.getComponent("hpx", HpxComponent.class).getConfiguration();
        hpx.setPoolSize(protocol() == Protocol.G2 ? 1 : 4);
        // A second hpx component, as an application may add for another account on the same server.
        HpxComponent admin = new HpxComponent();
        admin.setConfiguration(hpx.copy());
        context.addComponent("hpxadmin", admin);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:login").to("hpx:handshake?allowServerCommands=true");
                from("direct:loginNotAllowed").to("hpx:handshake");
                from("direct:loginRedelivered").onException(HpxConnectionException.class).maximumRedeliveries(1)
                        .redeliveryDelay(0).end()
                        .to("hpx:handshake?allowServerCommands=true&retryOnConnectionFailure=false");
                from("direct:loginOnce").to("hpx:handshake?allowServerCommands=true&retryOnConnectionFailure=false");
                from("direct:ownThenUser").to("hpx:get_version?user=" + user(2) + "&password=" + password(2))
                        .setBody(constant(Map.of("cfg", Map.of(LOCALE, "none"))))
                        .to("hpx:get_config?sessionFromHeader=true");
                from("direct:otherComponentThenUser").to("hpxadmin:get_version?user=" + user(6) + "&password="
                                                        + password(6))
                        .setBody(constant(Map.of("cfg", Map.of(LOCALE, "none"))))
                        .to("hpx:get_config?sessionFromHeader=true");
                from("direct:ownOnly").routeId("ownOnly").to("hpx:get_version?user=" + user(7) + "&password="
                                                                + password(7));
                from("direct:getLocale").setBody(constant(Map.of("cfg", Map.of(LOCALE, "none"))))
                        .to("hpx:get_config?sessionFromHeader=true");
                from("direct:setLocale").setBody(simple("{\"cfg\": {\"" + LOCALE + "\": \"${header.locale}\"}}"))
                        .to("hpx:set_config?sessionFromHeader=true");
                from("direct:whoAmI").to("hpx:get_user?sessionFromHeader=true");
                from("direct:logout").to("hpx:dropauth?sessionFromHeader=true&allowServerCommands=true");
                from("direct:twoInARow").setBody(constant(Map.of("cfg", Map.of(LOCALE, "none"))))
                        .to("hpx:get_config?user=" + user(0) + "&password=" + password(0))
                        .setBody(constant(Map.of("cfg", Map.of(LOCALE, "none"))))
                        .to("hpx:get_config?user=" + user(1) + "&password=" + password(1));
            }
        };
    }

    private String login(int u) {
        Exchange done = template.request("direct:login", e -> {
            e.getMessage().setHeader(HpxConstants.USER, user(u));
            e.getMessage().setHeader(HpxConstants.PASSWORD, password(u));
        });
        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getHeaders()).doesNotContainKey(HpxConstants.PASSWORD);
        return done.getMessage().getHeader(HpxConstants.SESSION_ID, String.class);
    }

    private Exchange inSession(String route, String session, Map<String, Object> headers) {
        return template.request(route, e -> {
            e.getMessage().setHeaders(new java.util.HashMap<>(headers));
            e.getMessage().setHeader(HpxConstants.SESSION_ID, session);
        });
    }

    private String locale(String session) {
        Exchange done = inSession("direct:getLocale", session, Map.of());
        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getHeader(HpxConstants.SESSION_ID)).isEqualTo(session);
        return done.getMessage().getBody(JsonNode.class).get(LOCALE).asText();
    }

    private void setLocale(String session, String value) {
        assertThat(inSession("direct:setLocale", session, Map.of("locale", value)).getException()).isNull();
    }

    /**
     * A login that a connection failure ends is redelivered by the route's error handler: the producer removed the
     * password's header, but Camel redelivers the message as it came to the endpoint, so the user is logged in.
     */
    @Test
    void aHandshakeRedeliveredAfterAConnectionFailureLogsTheUserIn() {
        server().faults().nextReply(Fault.close());

        Exchange done = template.request("direct:loginRedelivered", e -> {
            e.getMessage().setHeader(HpxConstants.USER, user(3));
            e.getMessage().setHeader(HpxConstants.PASSWORD, password(3));
        });

        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getHeaders()).as("redelivered").containsEntry(Exchange.REDELIVERED, true);
        assertThat(server().sessionIds()).contains(done.getMessage().getHeader(HpxConstants.SESSION_ID, String.class));
        assertThat(done.getMessage().getHeaders()).doesNotContainKey(HpxConstants.PASSWORD);
    }

    /**
     * A login that fails for good carries its password neither in its message's headers nor in its properties, which
     * are what goes on with the exchange (to a dead letter queue, a log), unless a route asks for the original message.
     */
    @Test
    void aFailedHandshakeKeepsItsPasswordOutOfItsExchange() {
        server().faults().nextReply(Fault.close());

        Exchange done = template.request("direct:loginOnce", e -> {
            e.getMessage().setHeader(HpxConstants.USER, user(4));
            e.getMessage().setHeader(HpxConstants.PASSWORD, password(4));
        });

        assertThat(done.getException()).isInstanceOf(HpxConnectionException.class);
        assertThat(done.getMessage().getHeaders()).doesNotContainKey(HpxConstants.PASSWORD);
        assertThat(String.valueOf(done.getProperties())).doesNotContain(password(4));
    }

    @Test
    void aHandshakeWithoutAPasswordHeaderFailsAndLogsNobodyIn() {
        // HPX 0.x lets the user "default" in with a null password even when the server disabled that user.
        java.util.Set<String> before = java.util.Set.copyOf(server().sessionIds());

        Exchange done = template.request("direct:login", e -> e.getMessage().setHeader(HpxConstants.USER, "default"));

        assertThat(done.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(HpxConstants.PASSWORD);
        // Sessions of earlier tests may still die meanwhile: no new one is what counts.
        assertThat(server().sessionIds()).isSubsetOf(before);
    }

    @Test
    void callsOfTwentyUsersFromSixteenThreadsEachRunInTheirUsersSession() throws Exception {
        List<String> sessions = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            sessions.add(login(u));
            setLocale(sessions.get(u), "locale-of-" + user(u));
        }
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Callable<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(() -> {
                    int own = 0;
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        int u = (thread * 7 + i) % USERS;
                        boolean mine = locale(sessions.get(u)).equals("locale-of-" + user(u));
                        if (protocol() == Protocol.G2) {
                            Exchange who = inSession("direct:whoAmI", sessions.get(u), Map.of());
                            mine &= who.getMessage().getBody(JsonNode.class).get("name").asText().equals(user(u));
                        }
                        own += mine ? 1 : 0;
                    }
                    return own;
                });
            }
            int own = 0;
            for (Future<Integer> result : threads.invokeAll(workers)) {
                own += result.get();
            }

            assertThat(own).isEqualTo(THREADS * CALLS_PER_THREAD);
            assertThat(sessions).doesNotHaveDuplicates();
            if (protocol() == Protocol.G2) {
                assertThat(server().openConnections()).isEqualTo(1);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aLoggedOutUsersNextCallFailsTypedWhileTheOthersGoOn() {
        String alice = login(2);
        String bob = login(3);
        setLocale(bob, "bob");

        Exchange logout = inSession("direct:logout", alice, Map.of());
        assertThat(logout.getException()).isNull();
        assertThat(logout.getMessage().getHeaders()).doesNotContainKey(HpxConstants.SESSION_ID);
        // G1 logs out by closing the session's connection: the server forgets the session once it sees the close.
        await().atMost(Duration.ofSeconds(5)).until(() -> !server().sessionIds().contains(alice));
        Exchange afterLogout = inSession("direct:getLocale", alice, Map.of());

        assertThat(afterLogout.getException()).isInstanceOf(HpxSessionLostException.class)
                .hasMessageNotContaining(alice);
        assertThat(locale(bob)).isEqualTo("bob");
        assertThat(server().sessionIds()).contains(bob);
    }

    @Test
    void anExpiredSessionFailsTypedWithoutALoginAsAnybodyElse() {
        String carol = login(4);
        server().expireSession(carol);
        java.util.Set<String> sessionsBefore = java.util.Set.copyOf(server().sessionIds());

        Exchange expired = inSession("direct:getLocale", carol, Map.of());

        assertThat(expired.getException()).isInstanceOf(HpxSessionLostException.class);
        // No new session; those of earlier tests may still die meanwhile.
        assertThat(server().sessionIds()).isSubsetOf(sessionsBefore);
    }

    @Test
    void twoEndpointsInARowEachCallInTheirOwnSession() {
        Exchange first = template.request("direct:login", e -> {
            e.getMessage().setHeader(HpxConstants.USER, user(5));
            e.getMessage().setHeader(HpxConstants.PASSWORD, password(5));
        });
        String userFive = first.getMessage().getHeader(HpxConstants.SESSION_ID, String.class);
        setLocale(userFive, "five");

        Exchange done = inSession("direct:twoInARow", userFive, Map.of());

        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getBody(JsonNode.class).get(LOCALE).asText()).isNotEqualTo("five");
        String second = done.getMessage().getHeader(HpxConstants.SESSION_ID, String.class);
        assertThat(second).isNotNull().isNotEqualTo(userFive);
    }

    @Test
    void aCallWithoutTheSessionHeaderFailsAndSendsNothing() {
        server().clearReceivedMessages();

        Exchange done = template.request("direct:getLocale", null);

        assertThat(done.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(HpxConstants.SESSION_ID);
        assertThat(server().receivedMessages()).isEmpty();
    }

    @Test
    void aWrongPasswordFailsTypedAndNeitherPasswordNorSessionIsLogged() throws Exception {
        String shown;
        String session;
        Exchange wrong;
        try (LogCapture logs = new LogCapture(Level.DEBUG)) {
            session = login(6);
            locale(session);
            wrong = template.request("direct:login", e -> {
                e.getMessage().setHeader(HpxConstants.USER, user(6));
                e.getMessage().setHeader(HpxConstants.PASSWORD, password(7));
            });
            shown = logs.text() + wrong.getException() + context.getEndpoints();
        }

        assertThat(wrong.getException()).isInstanceOf(HpxWrongCredentialsException.class);
        assertThat(wrong.getMessage().getHeaders()).doesNotContainKey(HpxConstants.PASSWORD);
        assertThat(shown).contains("handshake").doesNotContain(password(6)).doesNotContain(password(7))
                .doesNotContain(session);
    }

    @Test
    void aLoginNeedsTheOptInAndAUserAndDropsThePasswordHeaderWhenRefused() {
        Exchange noUser = template.request("direct:login",
                e -> e.getMessage().setHeader(HpxConstants.PASSWORD, password(3)));
        Exchange notAllowed = template.request("direct:loginNotAllowed", e -> {
            e.getMessage().setHeader(HpxConstants.USER, user(3));
            e.getMessage().setHeader(HpxConstants.PASSWORD, password(3));
        });

        assertThat(noUser.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(HpxConstants.USER);
        assertThat(notAllowed.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowServerCommands");
        // A failed exchange goes on to error handlers, dead letters and tracers: the password must not go with it.
        assertThat(noUser.getMessage().getHeaders()).doesNotContainKey(HpxConstants.PASSWORD);
        assertThat(notAllowed.getMessage().getHeaders()).doesNotContainKey(HpxConstants.PASSWORD);
    }

    /**
     * The header is an output of every hpx call: after an endpoint without sessionFromHeader it holds the
     * component's own session, which must not pass for the user's at the next endpoint. Nor a session of another hpx
     * component of the context (direct:otherComponentThenUser): before, the call ran in that account.
     */
    @ParameterizedTest
    @ValueSource(strings = {"direct:ownThenUser", "direct:otherComponentThenUser"})
    void theComponentsOwnSessionInTheHeaderIsNeverTakenForAUsers(String route) {
        String userSession = login(4);
        server().clearReceivedMessages();

        Exchange done = inSession(route, userSession, Map.of());

        assertRefusedAsAnOwnSession(done);
    }

    /**
     * Nor the session of a shared client closed since: a G2 server keeps it. Before, it was taken for a user's once
     * its client had closed.
     */
    @Test
    void theSessionOfAClosedClientIsNeverTakenForAUsers() throws Exception {
        Exchange own = template.request("direct:ownOnly", e -> { });
        String session = own.getMessage().getHeader(HpxConstants.SESSION_ID, String.class);
        assertThat(session).isNotNull();
        context.getRouteController().stopRoute("ownOnly");
        assertThat(context.getComponent("hpx", HpxComponent.class).openClients().keySet())
                .noneMatch(key -> user(7).equals(key.user()));
        server().clearReceivedMessages();

        Exchange done = inSession("direct:getLocale", session, Map.of());

        assertRefusedAsAnOwnSession(done);
    }

    /** The call failed before anything of it was sent: its session header held a session of the component's own. */
    private void assertRefusedAsAnOwnSession(Exchange done) {
        assertThat(done.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("component's own");
        assertThat(server().receivedMessages()).extracting(m -> m.data().toString())
                .noneMatch(data -> data.contains("get_config"));
    }
}
