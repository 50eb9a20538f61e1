package io.github.camelhpx.example;

import io.github.camelhpx.testkit.HpxTestServer;

import org.apache.camel.builder.RouteBuilder;

/**
 * What the embedded server does during the demo, so that the consumers have something to show: it queues a
 * notification, restarts (a broadcast, every connection closed, every session forgotten), and once the
 * broadcast consumer has reconnected queues another notification, which reaches the new session.
 */
public class EmbeddedServerEvents extends RouteBuilder {

    private final HpxTestServer server;

    public EmbeddedServerEvents(HpxTestServer server) {
        this.server = server;
    }

    @Override
    public void configure() {
        from("timer:server-events?repeatCount=1&delay={{hpx.demo.eventsDelay}}").routeId("server")
                .process(exchange -> exchange.getMessage().setBody(
                        server.pushNotificationToAll("Welcome", "Your library is ready")))
                .log("Embedded server queued notification ${body}")
                .delay(simple("{{hpx.demo.eventsDelay}}"))
                .log("Embedded server restarts")
                .process(exchange -> server.restart())
                .delay(simple("{{hpx.demo.eventsDelay}}"))
                .process(exchange -> exchange.getMessage().setBody(
                        server.pushNotificationToAll("Back again", "The server restarted; this is a new session")))
                .log("Embedded server queued notification ${body}");
    }
}
