package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.tracing.InjectAdapter;
import org.apache.camel.tracing.SpanAdapter;
import org.apache.camel.tracing.SpanDecorator;
import org.apache.camel.tracing.SpanKind;
import org.apache.camel.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** camel-tracing finds HpxSpanDecorator, whose spans name the HPX function and the server, and no secret. */
class HpxSpanDecoratorTest extends HpxCamelTestSupport {

    private static final String PASSWORD = "trac3d-but-n0t-shown";

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .serverName("traced_server")
            .user("bob", PASSWORD));

    private final RecordingTracer tracer = new RecordingTracer();

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getPropertiesComponent().addInitialProperty("fnPrefix", "get_");
        tracer.init(context);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:version").routeId("version").to("hpx:get_version?user=bob&password=" + PASSWORD);
                from("direct:dynamic").routeId("dynamic").toD("hpx:${header.fn}?user=bob&password=" + PASSWORD);
                from("direct:placeholder").toD("hpx:{{fnPrefix}}${header.fn}?user=bob&password=" + PASSWORD);
                // The endpoint's URI is message data: never evaluated.
                from("direct:recipients").routeId("recipients").recipientList(header("target"));
            }
        };
    }

    @Test
    void aCallsSpanNamesTheFunctionAndTheServerButNoSecret() {
        Exchange reply = template.request("direct:version", null);
        String session = reply.getMessage().getHeader(HpxConstants.SESSION_ID, String.class);

        RecordedSpan span = tracer.clientSpan();
        assertThat(span.operationName).isEqualTo("get_version");
        assertThat(span.tags).containsEntry("hpx.function", "get_version")
                .containsEntry("hpx.protocol", protocol().name())
                .containsEntry("hpx.server.name", "traced_server")
                .containsEntry("server.address", server().host() + ":" + server().port())
                .containsEntry("component", "camel-hpx");
        assertThat(span.tags.values()).isNotEmpty().allSatisfy(value -> assertThat(value.toString())
                .doesNotContain(PASSWORD).doesNotContain(session));
    }

    @Test
    void aToDSpanNamesTheFunctionTheExpressionNames() {
        template.request("direct:dynamic", e -> e.getMessage().setHeader("fn", "get_config"));

        RecordedSpan span = tracer.clientSpan();
        assertThat(span.operationName).isEqualTo("get_config");
        assertThat(span.tags).containsEntry("hpx.function", "get_config");
    }

    /** A toD whose function has a property placeholder: the span names the function all the same. */
    @Test
    void aToDWithAPlaceholderNamesTheFunction() {
        template.request("direct:placeholder", e -> e.getMessage().setHeader("fn", "config"));

        assertThat(tracer.clientSpan().operationName).isEqualTo("get_config");
    }

    /**
     * A recipient list's hpx endpoint whose path, made of message data, holds an expression: the span shows it as
     * it is. It was evaluated, so that data could put the environment, or what a bean returns, into the traces.
     */
    @Test
    void aPathMadeOfMessageDataIsNotEvaluated() {
        template.request("direct:recipients", e -> {
            e.getMessage().setHeader("target", "hpx:${header.leaked}?user=bob&password=" + PASSWORD);
            e.getMessage().setHeader("leaked", "not-for-traces");
        });

        RecordedSpan span = tracer.clientSpan();
        assertThat(span.operationName).isEqualTo("${header.leaked}");
        assertThat(span.tags.values()).allSatisfy(value -> assertThat(value.toString()).doesNotContain("not-for-traces"));
    }

    /** A span as the tracer finished it. */
    static final class RecordedSpan implements SpanAdapter {

        final String operationName;
        final SpanKind kind;
        final Map<String, Object> tags = new ConcurrentHashMap<>();

        RecordedSpan(String operationName, SpanKind kind) {
            this.operationName = operationName;
            this.kind = kind;
        }

        @Override
        public void setComponent(String component) {
            tags.put("component", component);
        }

        @Override
        public void setError(boolean error) {
            tags.put("error", error);
        }

        @Override
        public void setTag(String key, String value) {
            tags.put(key, value);
        }

        @Override
        public void setTag(String key, Number value) {
            tags.put(key, value);
        }

        @Override
        public void setTag(String key, Boolean value) {
            tags.put(key, value);
        }

        @Override
        public void log(Map<String, String> fields) {
            tags.put("log", fields.toString());
        }

        @Override
        public String traceId() {
            return "trace";
        }

        @Override
        public String spanId() {
            return operationName;
        }
    }

    /** The least a camel-tracing Tracer must do: make spans and keep the finished ones. */
    static final class RecordingTracer extends Tracer {

        final List<RecordedSpan> finished = new CopyOnWriteArrayList<>();

        RecordedSpan clientSpan() {
            return finished.stream().filter(span -> span.kind == SpanKind.SPAN_KIND_CLIENT
                                                    && "camel-hpx".equals(span.tags.get("component")))
                    .reduce((first, second) -> second).orElseThrow(() -> new AssertionError("no hpx span in " + finished));
        }

        @Override
        protected void initTracer() {
        }

        @Override
        protected void initContextPropagators() {
        }

        @Override
        protected SpanAdapter startSendingEventSpan(String operationName, SpanKind kind, SpanAdapter parent,
                Exchange exchange, InjectAdapter injectAdapter) {
            return new RecordedSpan(operationName, kind);
        }

        @Override
        protected SpanAdapter startExchangeBeginSpan(Exchange exchange, SpanDecorator decorator, String operationName,
                SpanKind kind, SpanAdapter parent) {
            return new RecordedSpan(operationName, kind);
        }

        @Override
        protected void finishSpan(SpanAdapter span) {
            finished.add((RecordedSpan) span);
        }

        @Override
        protected void inject(SpanAdapter span, InjectAdapter adapter) {
        }
    }
}
