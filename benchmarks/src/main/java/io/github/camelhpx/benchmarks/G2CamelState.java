package io.github.camelhpx.benchmarks;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link CamelState} against the G2 server: {@code direct:version → hpx:get_version?protocol=g2} with the
 * component's default, asynchronous producer (the request is written from the route's thread, the reply
 * completes on the connection's reader, and the exchange continues there), and {@code direct:versionSync}, the same
 * with {@code synchronous=true} (the route's thread makes a blocking call, and may read its reply itself).
 */
@State(Scope.Benchmark)
public class G2CamelState {

    public CamelContext context;
    public ProducerTemplate template;
    public Endpoint route;
    public Endpoint syncRoute;

    @Setup(Level.Trial)
    public void start(G2ServerState server) throws Exception {
        String uri = "hpx:get_version?host=" + ServerState.HOST + "&port=" + server.port() + "&protocol=g2";
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:version").to(uri);
                from("direct:versionSync").to(uri + "&synchronous=true");
            }
        });
        context.start();
        template = context.createProducerTemplate();
        route = context.getEndpoint("direct:version");
        syncRoute = context.getEndpoint("direct:versionSync");
        for (Endpoint e : new Endpoint[] {route, syncRoute}) {
            Object reply = template.requestBody(e, (Object) null);
            if (reply == null || !reply.toString().contains("core")) {
                throw new IllegalStateException("unexpected get_version reply through " + e + ": " + reply);
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        context.close();
    }
}
