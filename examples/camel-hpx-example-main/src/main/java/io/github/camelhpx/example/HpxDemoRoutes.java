package io.github.camelhpx.example;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxFunctionException;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * One pass over the hpx component: a call, a batch, arguments from the URI, and an error handled by a route;
 * and two consumers that run all along: the server's broadcasts, and its notifications, polled.
 */
public class HpxDemoRoutes extends RouteBuilder {

    @Override
    public void configure() {
        onException(HpxFunctionException.class).handled(true)
                .log(LoggingLevel.WARN, "Handled by onException: ${exception.message}");

        // A multicast, so that each step starts from the timer's empty body rather than the previous reply.
        from("timer:demo?repeatCount=1&delay=0").routeId("demo")
                .multicast().to("direct:version", "direct:batch", "direct:search", "direct:missing");

        from("direct:version").routeId("version")
                .to("hpx:get_version")
                // Not the session id (header CamelHpxSessionId): whoever holds it acts as this client.
                .log("Connected to ${header.CamelHpxServerName} (HPX ${header.CamelHpxServerVersion}): get_version = ${body}");

        from("direct:batch").routeId("batch")
                .setBody(constant(List.of(
                        Map.of("fname", "get_count", "item_type", "Gallery"),
                        Map.of("fname", "get_tags_count"),
                        Map.of("fname", "get_item", "item_id", 0))))
                .to("hpx:batch")
                .log("Batch of 3 calls, ${header.CamelHpxBatchFailures} failed: ${body}");

        from("direct:search").routeId("search")
                .to("hpx:search_items?arg.search_query={{hpx.demo.query}}&arg.limit=3")
                .transform().body(JsonNode.class, HpxDemoRoutes::titles)
                .log("search_items '{{hpx.demo.query}}' found: ${body}");

        from("direct:missing").routeId("missing")
                .to("hpx:get_item?arg.item_id=0")
                .log("Not reached: get_item refuses id 0");

        // Its own connection, listening; after the server went away it reconnects, waiting 0.5 s, then 1 s, ...
        from("hpx:broadcast?reconnectDelay=500&maxReconnectDelay=10000").routeId("broadcast")
                .log("${header.CamelHpxBroadcast} broadcast from ${header.CamelHpxServerName} (data ${body})");

        // Every half second: each notification queued for the session, once, oldest first.
        from("hpx:get_notification?delay=500").routeId("notice")
                .log("Notification ${body}");
    }

    private static List<String> titles(JsonNode galleries) {
        List<String> titles = new ArrayList<>();
        galleries.forEach(gallery -> titles.add(gallery.path("titles").path(0).path("name").asText()));
        return titles;
    }
}
