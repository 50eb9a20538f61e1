package io.github.camelhpx.quarkus.it;

import io.github.camelhpx.component.HpxConstants;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.builder.RouteBuilder;

/**
 * Routes over the hpx component, configured from {@code application.properties} (the server comes from the
 * test resource): a call, a batch, a typed reply, a refused call, and the server's broadcasts.
 */
@ApplicationScoped
public class HpxItRoutes extends RouteBuilder {

    @Inject
    ReceivedBroadcasts broadcasts;

    @Override
    public void configure() {
        from("direct:version").to("hpx:get_version");

        from("direct:batch").to("hpx:batch");

        from("direct:count").to("hpx:get_count?arg.item_type=Gallery&outputClass=" + GalleryCount.class.getName());

        from("direct:missing").to("hpx:get_item?arg.item_id=0");

        from("hpx:broadcast").routeId("broadcasts").process(exchange -> broadcasts.add(
                exchange.getMessage().getHeader(HpxConstants.BROADCAST, String.class)));
    }
}
