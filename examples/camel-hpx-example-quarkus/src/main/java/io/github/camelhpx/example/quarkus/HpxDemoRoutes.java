package io.github.camelhpx.example.quarkus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxFunctionException;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * One pass over the hpx component, then the health report: a call, a batch, arguments from the URI, the YAML route
 * {@code count} (routes/count.yaml), and an error handled by a route; and a consumer of the server's broadcasts.
 */
public class HpxDemoRoutes extends RouteBuilder {

    @Override
    public void configure() {
        onException(HpxFunctionException.class).handled(true)
                .log(LoggingLevel.WARN, "Handled by onException: ${exception.message}");

        // A multicast (one step after the other), so that each step starts from the demo's empty body rather than
        // the previous reply. The last step reads the health checks through /q/health.
        from("direct:demo").routeId("demo")
                .multicast().to("direct:version", "direct:batch", "direct:search", "direct:count", "direct:missing",
                        "direct:health");

        from("direct:version").routeId("version")
                .to("hpx:get_version")
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
                .transform().body(JsonNode.class, galleries -> String.join(", ", titles(galleries)))
                .log("search_items '{{hpx.demo.query}}' found: ${body}");

        from("direct:missing").routeId("missing")
                .to("hpx:get_item?arg.item_id=0")
                .log("Not reached: get_item refuses id 0");

        // The server's broadcasts (ServerQuit, ServerRestart) as they come; this consumer has a health check too.
        from("hpx:broadcast").routeId("broadcasts")
                .log("The HPX server broadcast ${header.CamelHpxBroadcast}");

        from("direct:health").routeId("health")
                .setBody(method(HealthReport.class, "summary"))
                .log("${bean:healthReport?method=url} says ${body}");
    }

    private static List<String> titles(JsonNode galleries) {
        List<String> titles = new ArrayList<>();
        galleries.forEach(gallery -> titles.add(gallery.path("titles").path(0).path("name").asText()));
        return titles;
    }
}
