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
 * A Camel context with the routes {@code direct:version → hpx:get_version} (the component's default: the call
 * runs on a client thread and the exchange continues there) and
 * {@code direct:versionSync → hpx:get_version?synchronous=true}, and a {@link ProducerTemplate} shared by
 * every benchmark thread. Both endpoints share one client with a pool of 4.
 */
@State(Scope.Benchmark)
public class CamelState {

    public CamelContext context;
    public ProducerTemplate template;
    public Endpoint route;
    public Endpoint syncRoute;
    public Endpoint hpx;

    @Setup(Level.Trial)
    public void start(ServerState server) throws Exception {
        String uri = "hpx:get_version?host=" + ServerState.HOST + "&port=" + server.port() + "&poolSize="
                + ClientState.POOL_SIZE;
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
        hpx = context.getEndpoint(uri);
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
