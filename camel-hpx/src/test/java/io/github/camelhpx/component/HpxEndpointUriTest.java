package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.EndpointUriFactory;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/** Endpoints built from URIs and component properties: every option lands where it should. */
class HpxEndpointUriTest extends CamelTestSupport {

    private final SSLContextParameters tls = new SSLContextParameters();
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("tls", tls);
        registry.bind("mapper", mapper);
    }

    @Test
    void everyOptionOfTheUriLandsInTheEndpointsConfiguration() {
        HpxEndpoint endpoint = context.getEndpoint("hpx:search_items?host=hpx.example&port=7100&clientName=tester"
                                                   + "&user=bob&password=RAW(s3cr3t&x)&sessionId=0123456789abcdef0123456789abcdef"
                                                   + "&sslContextParameters=#tls&connectTimeout=3s&requestTimeout=1500"
                                                   + "&poolSize=8&maxMessageSize=1024&compressionLevel=9&objectMapper=#mapper"
                                                   + "&outputClass=com.fasterxml.jackson.databind.JsonNode"
                                                   + "&allowServerCommands=true&awaitCommand=true&commandPollInterval=250"
                                                   + "&commandTimeout=1m&commandProgressUri=seda:progress&synchronous=true"
                                                   + "&arg.search_query=tag&arg.limit=10"
                                                   + "&reconnectDelay=250&maxReconnectDelay=5s&maxMessagesPerPoll=7",
                HpxEndpoint.class);

        HpxConfiguration c = endpoint.getConfiguration();
        assertThat(endpoint.getFunction()).isEqualTo("search_items");
        assertThat(c.getHost()).isEqualTo("hpx.example");
        assertThat(c.getPort()).isEqualTo(7100);
        assertThat(c.getClientName()).isEqualTo("tester");
        assertThat(c.getUser()).isEqualTo("bob");
        assertThat(c.getPassword()).isEqualTo("s3cr3t&x");
        assertThat(c.getSessionId()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(c.getSslContextParameters()).isSameAs(tls);
        assertThat(c.getConnectTimeout()).isEqualTo(3_000);
        assertThat(c.getRequestTimeout()).isEqualTo(1_500);
        assertThat(c.getPoolSize()).isEqualTo(8);
        assertThat(c.getMaxMessageSize()).isEqualTo(1024);
        assertThat(c.getCompressionLevel()).isEqualTo(9);
        assertThat(c.getObjectMapper()).isSameAs(mapper);
        assertThat(c.getOutputClass()).isEqualTo(JsonNode.class);
        assertThat(c.isAllowServerCommands()).isTrue();
        assertThat(c.isAwaitCommand()).isTrue();
        assertThat(c.getCommandPollInterval()).isEqualTo(250);
        assertThat(c.getCommandTimeout()).isEqualTo(60_000);
        assertThat(c.getCommandProgressUri()).isEqualTo("seda:progress");
        assertThat(c.isSynchronous()).isTrue();
        assertThat(c.getArgs()).containsExactlyInAnyOrderEntriesOf(Map.of("search_query", "tag", "limit", "10"));
        assertThat(c.getReconnectDelay()).isEqualTo(250);
        assertThat(c.getMaxReconnectDelay()).isEqualTo(5_000);
        assertThat(c.getMaxMessagesPerPoll()).isEqualTo(7);
    }

    @Test
    void defaultsAreThoseDocumented() {
        HpxConfiguration c = context.getEndpoint("hpx:get_version", HpxEndpoint.class).getConfiguration();

        assertThat(c.getHost()).isEqualTo("localhost");
        assertThat(c.getPort()).isEqualTo(7007);
        assertThat(c.getClientName()).isEqualTo("camel-hpx");
        assertThat(c.getUser()).isNull();
        assertThat(c.getPassword()).isNull();
        assertThat(c.getSessionId()).isNull();
        assertThat(c.getSslContextParameters()).isNull();
        assertThat(c.getConnectTimeout()).isEqualTo(10_000);
        assertThat(c.getRequestTimeout()).isEqualTo(30_000);
        assertThat(c.getPoolSize()).isEqualTo(4);
        assertThat(c.getMaxMessageSize()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.getCompressionLevel()).isEqualTo(5);
        assertThat(c.getOutputClass()).isNull();
        assertThat(c.isAllowServerCommands()).isFalse();
        assertThat(c.isAwaitCommand()).isFalse();
        assertThat(c.getCommandPollInterval()).isEqualTo(1_000);
        assertThat(c.getCommandTimeout()).isEqualTo(600_000);
        assertThat(c.getCommandProgressUri()).isNull();
        assertThat(c.isSynchronous()).isFalse();
        assertThat(c.getArgs()).isEmpty();
        assertThat(c.getReconnectDelay()).isEqualTo(1_000);
        assertThat(c.getMaxReconnectDelay()).isEqualTo(30_000);
        assertThat(c.getMaxMessagesPerPoll()).isEqualTo(100);
    }

    @Test
    void thePathChoosesTheConsumerAndTheSchedulerOptionsReachThePollingOne() throws Exception {
        Processor ignore = exchange -> { };
        HpxPollingConsumer polling = (HpxPollingConsumer) context.getEndpoint(
                "hpx:get_notification?delay=2s&initialDelay=0&backoffMultiplier=3&backoffErrorThreshold=2",
                HpxEndpoint.class).createConsumer(ignore);
        Consumer broadcast = context.getEndpoint("hpx:broadcast", HpxEndpoint.class).createConsumer(ignore);

        assertThat(polling.getDelay()).isEqualTo(2_000);
        assertThat(polling.getInitialDelay()).isZero();
        assertThat(polling.getBackoffMultiplier()).isEqualTo(3);
        assertThat(polling.getBackoffErrorThreshold()).isEqualTo(2);
        assertThat(broadcast).isInstanceOf(HpxBroadcastConsumer.class);
    }

    @Test
    void aReconnectDelayAboveItsMaximumStopsTheRouteFromStarting() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("hpx:broadcast?reconnectDelay=5s&maxReconnectDelay=1s").to("mock:never");
            }
        })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 < reconnectDelay <= maxReconnectDelay, not 5000 and 1000 ms");
    }

    @Test
    void anUnknownProtocolFailsTheEndpointBeforeAnyClientIsMade() {
        assertThatThrownBy(() -> context.getEndpoint("hpx:get_version?protocol=g3"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessage("protocol must be auto, g1 or g2, was 'g3'");
    }

    @Test
    void aServerCommandCannotBeConsumed() {
        HpxEndpoint endpoint = context.getEndpoint("hpx:serverquit", HpxEndpoint.class);

        assertThatThrownBy(() -> endpoint.createConsumer(exchange -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'serverquit' is an HPX server command")
                .hasMessageContaining("hpx:broadcast");
    }

    @Test
    void componentPropertiesApplyToEveryEndpointAndTheUriOverridesThem() {
        HpxComponent component = context.getComponent("hpx", HpxComponent.class);
        // What Camel Main and Spring Boot do with camel.component.hpx.* properties.
        PropertyBindingSupport.build().withCamelContext(context).withTarget(component).withProperties(new HashMap<>(Map.of(
                "host", "hpx.example", "port", "7100", "user", "alice", "password", "pw", "requestTimeout", "2s",
                "args[item_type]", "Gallery", "useGlobalSslContextParameters", "true"))).bind();

        HpxConfiguration inherited = context.getEndpoint("hpx:get_count", HpxEndpoint.class).getConfiguration();
        HpxConfiguration overridden = context.getEndpoint("hpx:get_count?host=other&arg.item_type=Collection",
                HpxEndpoint.class).getConfiguration();

        assertThat(component.isUseGlobalSslContextParameters()).isTrue();
        assertThat(inherited.getHost()).isEqualTo("hpx.example");
        assertThat(inherited.getPort()).isEqualTo(7100);
        assertThat(inherited.getUser()).isEqualTo("alice");
        assertThat(inherited.getPassword()).isEqualTo("pw");
        assertThat(inherited.getRequestTimeout()).isEqualTo(2_000);
        assertThat(inherited.getArgs()).containsExactly(Map.entry("item_type", "Gallery"));
        assertThat(overridden.getHost()).isEqualTo("other");
        assertThat(overridden.getPort()).isEqualTo(7100);
        assertThat(overridden.getArgs()).containsExactly(Map.entry("item_type", "Collection"));
        assertThat(component.getConfiguration().getArgs()).containsExactly(Map.entry("item_type", "Gallery"));
    }

    @Test
    void theObjectMapperIsAutowiredFromTheRegistry() {
        HpxConfiguration c = context.getEndpoint("hpx:get_version", HpxEndpoint.class).getConfiguration();

        assertThat(c.getObjectMapper()).isSameAs(mapper);
    }

    @Test
    void theGlobalSslContextParametersAreUsedWhenTheComponentSaysSo() {
        SSLContextParameters global = new SSLContextParameters();
        context.setSSLContextParameters(global);
        context.getComponent("hpx", HpxComponent.class).setUseGlobalSslContextParameters(true);

        assertThat(context.getEndpoint("hpx:get_version", HpxEndpoint.class).getConfiguration()
                .getSslContextParameters()).isSameAs(global);
        assertThat(context.getEndpoint("hpx:get_count?sslContextParameters=#tls", HpxEndpoint.class)
                .getConfiguration().getSslContextParameters()).isSameAs(tls);
    }

    @Test
    void anUnknownOptionIsRejected() {
        assertThatThrownBy(() -> context.getEndpoint("hpx:get_version?hots=typo"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("There are 1 parameters that couldn't be set on the endpoint")
                .hasMessageContaining("Unknown parameters=[{hots=typo}]");
    }

    @Test
    void aFunctionNameIsRequired() {
        assertThatThrownBy(() -> context.getEndpoint("hpx:?host=x"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("The HPX function name is missing");
    }

    @Test
    void theUriFactoryBuildsUrisWithArgumentsForToD() throws Exception {
        EndpointUriFactory factory = context.getCamelContextExtension().getEndpointUriFactory("hpx");

        String uri = factory.buildUri("hpx", Map.of("function", "get_count", "port", 7100,
                "args", Map.of("item_type", "Gallery")), false);

        assertThat(uri).isEqualTo("hpx:get_count?arg.item_type=Gallery&port=7100");
        assertThat(factory.secretPropertyNames()).containsExactlyInAnyOrder("password", "sessionId");
        assertThat(factory.isEnabled("hpx")).isTrue();
    }

    @Test
    void theUriCamelShowsHidesThePassword() {
        HpxEndpoint endpoint = context.getEndpoint("hpx:get_version?user=bob&password=s3cr3t", HpxEndpoint.class);

        assertThat(endpoint.toString()).contains("password=xxxxxx").doesNotContain("s3cr3t");
        assertThat(context.getEndpoints().toString()).doesNotContain("s3cr3t");
        assertThat(endpoint.getServiceUrl()).isEqualTo("localhost:7007");
        assertThat(endpoint.getServiceMetadata()).containsExactly(Map.entry("user", "bob"));
    }
}
