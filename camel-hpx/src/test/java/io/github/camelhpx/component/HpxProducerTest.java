package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.github.camelhpx.client.HpxProtocolException;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxApiError;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Arguments in, data and headers out, for single function calls. */
class HpxProducerTest extends HpxCamelTestSupport {

    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .serverName("producer_test_server")
            .function(FunctionSpec.echo())
            .function(FunctionSpec.of("describe").param("item_type", 1).param("note", null)
                    .handler(call -> call.args()))
            .function(FunctionSpec.of("describe_failing_once").param("note", null).handler(call -> {
                if (FAILURES_LEFT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new HpxApiError(400, "failing once");
                }
                return call.args();
            })));

    /** Arguments as a POJO; the custom mapper of the registry names its fields in snake case. */
    record Describe(String itemType, String note) {
    }

    record Count(int count) {
    }

    record CountArgs(@JsonProperty("item_type") String itemType) {
    }

    @TempDir
    Path inbox;

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("snakeCase", new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:version").to("hpx:get_version");
                from("direct:items").to("hpx:get_items?arg.limit=3&arg.item_type=Gallery");
                from("direct:describe").to("hpx:describe?arg.item_type=Collection&arg.note=from-uri");
                // noop: the consumer writes nothing (no move to .camel), which it could otherwise still be doing,
                // on the thread that completed the reply, after the route stopped and while @TempDir deletes
                // the inbox (seen once in CI as "Failed to close extension context").
                from("file:" + inbox + "?noop=true&initialDelay=0&delay=20").routeId("inbox").autoStartup(false)
                        .to("hpx:describe?arg.item_type=Collection").to("mock:fromFile");
                // Stream caching off: the stream reaches the producer as it was made.
                from("direct:streamRedelivered").streamCache("false").onException(Exception.class).maximumRedeliveries(1)
                        .handled(true).setProperty("failedWith", body()).end()
                        .process(e -> e.getMessage().setBody(
                                new ByteArrayInputStream("{\"note\": \"again\"}".getBytes(StandardCharsets.UTF_8))))
                        .to("hpx:describe_failing_once");
                // The inner route has no error handler of its own: the outer one redelivers it whole.
                from("direct:outerRedelivered").streamCache("false").errorHandler(defaultErrorHandler().maximumRedeliveries(1))
                        .process(e -> e.getMessage().setBody(
                                new ByteArrayInputStream("{\"note\": \"again\"}".getBytes(StandardCharsets.UTF_8))))
                        .to("direct:twoCalls");
                from("direct:twoCalls").streamCache("false").errorHandler(noErrorHandler())
                        .setProperty("stream", body())
                        .to("hpx:describe_failing_once")
                        .setProperty("firstCall", simple("${body}"))
                        .process(e -> FAILURES_LEFT.compareAndSet(0, e.getProperty("secondTry") == null ? 1 : 0))
                        .setProperty("secondTry", constant(true))
                        .setBody(exchangeProperty("stream"))
                        .to("hpx:describe_failing_once");
                from("direct:literals").to("hpx:echo?arg.value=[1, true, null, \"7\", {\"a\": 2.5}]");
                from("direct:count").to("hpx:get_count?outputClass=" + Count.class.getName());
                from("direct:countInline").to("hpx:get_version?synchronous=true&outputClass=" + Count.class.getName());
                from("direct:named").to("hpx:get_version?clientName=named-client");
                from("direct:compressed").to("hpx:echo?compressionLevel=0");
                from("direct:async").process(e -> e.setProperty("before", Thread.currentThread()))
                        .to("hpx:get_version")
                        .process(e -> e.setProperty("after", Thread.currentThread()));
                from("direct:sync").process(e -> e.setProperty("before", Thread.currentThread()))
                        .to("hpx:get_version?synchronous=true&clientName=inline")
                        .process(e -> e.setProperty("after", Thread.currentThread()));
                // The second call starts where the first reply was received: in G2 its reader.
                from("direct:chain").to("hpx:get_version")
                        .process(e -> e.setProperty("first", Thread.currentThread()))
                        .setBody(constant(Map.of("value", "second"))).to("hpx:echo?synchronous=true")
                        .setProperty("second", body())
                        .setBody(constant(Map.of("value", "third"))).to("hpx:echo");
            }
        };
    }

    @Test
    void replyBodyIsTheFunctionsDataWithSessionAndServerHeaders() {
        Exchange reply = template.request("direct:version", null);

        assertThat(reply.getException()).isNull();
        String version = protocol() == Protocol.G1 ? "0.3.0" : "1.0.0";
        assertThat(reply.getMessage().getBody(JsonNode.class).get("core").toString())
                .isEqualTo("[" + version.replace('.', ',') + "]");
        assertThat(reply.getMessage().getHeader(HpxConstants.CALLED_FUNCTION)).isEqualTo("get_version");
        assertThat(reply.getMessage().getHeader(HpxConstants.SESSION_ID, String.class))
                .matches("[0-9a-f]{32}").isIn(server().sessionIds());
        assertThat(reply.getMessage().getHeader(HpxConstants.SERVER_NAME)).isEqualTo("producer_test_server");
        assertThat(reply.getMessage().getHeader(HpxConstants.SERVER_VERSION)).isEqualTo(version);
    }

    @Test
    void uriArgumentsAreSentAsTheJsonLiteralsTheySpell() {
        JsonNode items = template.requestBody("direct:items", null, JsonNode.class);
        JsonNode echoed = template.requestBody("direct:literals", null, JsonNode.class);

        assertThat(items(items)).hasSize(3);
        assertThat(lastCall("get_items").toString()).isEqualTo("{\"fname\":\"get_items\",\"item_type\":\"Gallery\",\"limit\":3}");
        assertThat(echoed.toString()).isEqualTo("[1,true,null,\"7\",{\"a\":2.5}]");
    }

    @Test
    void aMapBodyIsMergedOverTheUriArguments() {
        JsonNode args = template.requestBody("direct:describe", Map.of("note", "from-body"), JsonNode.class);

        assertThat(args.toString()).isEqualTo("{\"item_type\":\"Collection\",\"note\":\"from-body\"}");
    }

    @Test
    void aJsonStringOrBytesBodyIsParsed() {
        JsonNode fromText = template.requestBody("direct:describe", "{\"note\": \"text\"}", JsonNode.class);
        JsonNode fromBytes = template.requestBody("direct:describe",
                "{\"item_type\": 3}".getBytes(StandardCharsets.UTF_8), JsonNode.class);

        assertThat(fromText.toString()).isEqualTo("{\"item_type\":\"Collection\",\"note\":\"text\"}");
        assertThat(fromBytes.toString()).isEqualTo("{\"item_type\":3,\"note\":\"from-uri\"}");
    }

    @Test
    void aStreamReaderOrFileBodyIsReadAsItsJsonText() throws Exception {
        JsonNode fromStream = template.requestBody("direct:describe",
                new ByteArrayInputStream("{\"note\": \"stream\"}".getBytes(StandardCharsets.UTF_8)), JsonNode.class);
        JsonNode fromReader = template.requestBody("direct:describe", new StringReader("{\"note\": \"réader\"}"),
                JsonNode.class);
        // A stream in the charset the exchange names (an HTTP consumer's Latin-1 request, say).
        Exchange latin1 = template.request("direct:describe", e -> {
            e.setProperty(Exchange.CHARSET_NAME, "ISO-8859-1");
            e.getMessage().setBody(new ByteArrayInputStream("{\"note\": \"café\"}".getBytes(StandardCharsets.ISO_8859_1)));
        });
        Files.writeString(inbox.resolve("args.json"), "{\"note\": \"file\"}");
        MockEndpoint fromFile = getMockEndpoint("mock:fromFile");
        fromFile.expectedMessageCount(1);
        context.getRouteController().startRoute("inbox");

        fromFile.assertIsSatisfied();
        assertThat(fromStream.toString()).isEqualTo("{\"item_type\":\"Collection\",\"note\":\"stream\"}");
        assertThat(fromReader.toString()).isEqualTo("{\"item_type\":\"Collection\",\"note\":\"réader\"}");
        assertThat(latin1.getException()).isNull();
        assertThat(latin1.getMessage().getBody(JsonNode.class).get("note").asText()).isEqualTo("café");
        assertThat(fromFile.getExchanges().get(0).getMessage().getBody(JsonNode.class).toString())
                .isEqualTo("{\"item_type\":\"Collection\",\"note\":\"file\"}");
    }

    /**
     * A redelivery gets the message as it was before the failed attempt: with stream caching off, the same stream,
     * which that attempt read to its end. It is sent the same arguments; before, an empty body, i.e. none of them.
     */
    @Test
    void aStreamBodyIsSentAgainWhole() {
        FAILURES_LEFT.set(1);

        Exchange reply = template.request("direct:streamRedelivered", e -> { });

        assertThat(reply.getProperty("failedWith")).isNull();
        assertThat(reply.getMessage().getHeader(Exchange.REDELIVERY_COUNTER)).isEqualTo(1);
        assertThat(reply.getMessage().getBody(JsonNode.class).toString()).isEqualTo("{\"note\":\"again\"}");
    }

    /**
     * A redelivery of an outer route restores the stream after an hpx call on it succeeded, and a later one failed:
     * both calls are sent the stream's arguments again.
     */
    @Test
    void aStreamBodyIsSentWholeToEveryCallOfARouteRedeliveredWhole() {
        FAILURES_LEFT.set(0);

        Exchange reply = template.request("direct:outerRedelivered", e -> { });

        assertThat(reply.getException()).isNull();
        assertThat(reply.getProperty("firstCall", String.class)).isEqualTo("{\"note\":\"again\"}");
        assertThat(reply.getMessage().getBody(JsonNode.class).toString()).isEqualTo("{\"note\":\"again\"}");
    }

    /** Failed again after its redelivery, the exchange's error handling gets what the stream held, not an empty stream. */
    @Test
    void aStreamBodyFailedAfterItsRedeliveryReachesTheErrorHandlerRead() {
        FAILURES_LEFT.set(2);

        Exchange reply = template.request("direct:streamRedelivered", e -> { });

        assertThat(reply.getProperty("failedWith", String.class)).isEqualTo("{\"note\": \"again\"}");
    }

    @Test
    void aPojoBodyIsConvertedByTheAutowiredObjectMapper() {
        JsonNode args = template.requestBody("direct:describe", new Describe("Artist", "pojo"), JsonNode.class);

        assertThat(args.toString()).isEqualTo("{\"item_type\":\"Artist\",\"note\":\"pojo\"}");
    }

    @Test
    void aNullOrBlankBodyMeansNoArgumentsBeyondTheUris() {
        JsonNode none = template.requestBody("direct:describe", null, JsonNode.class);
        JsonNode blank = template.requestBody("direct:describe", "  ", JsonNode.class);

        assertThat(none.toString()).isEqualTo("{\"item_type\":\"Collection\",\"note\":\"from-uri\"}");
        assertThat(blank).isEqualTo(none);
    }

    @Test
    void theFunctionHeaderOverridesThePath() {
        Exchange reply = template.request("direct:version", e -> {
            e.getMessage().setHeader(HpxConstants.FUNCTION, "get_count");
            e.getMessage().setBody(new CountArgs("Collection"));
        });

        assertThat(reply.getMessage().getBody(JsonNode.class).get("count").asInt())
                .isEqualTo(server().library().count(io.github.camelhpx.testkit.ItemType.Collection));
        assertThat(reply.getMessage().getHeader(HpxConstants.CALLED_FUNCTION)).isEqualTo("get_count");
    }

    @Test
    void theDataIsConvertedToTheOutputClass() {
        Count count = template.requestBody("direct:count", Map.of("item_type", "Gallery"), Count.class);

        assertThat(count).isEqualTo(new Count(25));
    }

    @Test
    void dataThatDoesNotFitTheOutputClassFailsTheExchangeWithAProtocolError() {
        Exchange reply = template.request("direct:countInline", e -> { });

        assertThat(reply.getException()).isInstanceOf(HpxProtocolException.class)
                .hasMessageStartingWith("HPX reply data of 'get_version' cannot be read as [simple type, class "
                        + Count.class.getName() + "]");
        assertThat(template.requestBody("direct:count", Map.of("item_type", "Gallery"), Count.class))
                .isEqualTo(new Count(25));
    }

    @Test
    void theClientNameIsSentInEveryMessage() {
        template.sendBody("direct:named", null);

        assertThat(server().receivedMessages()).filteredOn(m -> isCall(m, "get_version"))
                .last().extracting(ReceivedMessage::name).isEqualTo("named-client");
    }

    @Test
    void uncompressedMessagesAreUnderstoodToo() {
        JsonNode echoed = template.requestBody("direct:compressed", Map.of("value", "level 0"), JsonNode.class);

        assertThat(echoed.asText()).isEqualTo("level 0");
    }

    @Test
    void byDefaultTheRouteContinuesWhereTheReplyArrivedAndWithSynchronousOnItsOwnThread() {
        Exchange async = template.request("direct:async", null);
        Set<Thread> clientThreads = threadsNamed("HpxClient");
        Exchange sync = template.request("direct:sync", null);

        // No hand-over to threads of the component's: the route goes on where the reply is, the G2 connection's
        // reader or the client thread that made the call (G1; in G2 the one that sent the call after the
        // handshake's reply, when the call's reply was in before it returned), or the route's own thread if the
        // reply was already in when the producer looked.
        Thread after = (Thread) async.getProperty("after");
        assertThat(after == async.getProperty("before") || after.getName().contains("HpxClient")
                   || protocol() == Protocol.G2 && after.getName().contains("hpx-reader"))
                .as("the route went on in %s", after.getName()).isTrue();
        assertThat(sync.getProperty("after")).isSameAs(sync.getProperty("before"));
        // The synchronous endpoint has a session of its own, and its call ran on the route's thread: in G1 no client
        // thread started. In G2 the route's thread reads the handshake's reply itself when the connection's reader
        // leaves it the socket; when the reader reads it, which must not block, the call that follows is sent from
        // one thread of the client's executor (MultiplexPool.exchange).
        assertThat(sync.getMessage().getHeader(HpxConstants.SESSION_ID)).isNotEqualTo(async.getMessage().getHeader(HpxConstants.SESSION_ID));
        // (Unless the handshake's reply was in before the call was chained to it: then no thread either.)
        // Only threads started since count: those of an earlier test's pool may end meanwhile.
        Set<Thread> started = threadsNamed("HpxClient");
        started.removeAll(clientThreads);
        assertThat(started).hasSizeLessThanOrEqualTo(protocol() == Protocol.G1 ? 0 : 1);
    }

    @Test
    void callsThatFollowOnTheReadersThreadGoOutWithoutWaitingThere() {
        int onReader = 0;
        for (int i = 0; i < 20; i++) {
            Exchange chain = template.request("direct:chain", null);

            // The second call, synchronous=true, met on a G2 reader, went out asynchronously instead of waiting there
            // for a reply only that thread can read (the wait would have failed at the deadline).
            assertThat(chain.getException()).isNull();
            assertThat(chain.getProperty("second", JsonNode.class).asText()).isEqualTo("second");
            assertThat(chain.getMessage().getBody(JsonNode.class).asText()).isEqualTo("third");
            onReader += ((Thread) chain.getProperty("first")).getName().startsWith("hpx-reader") ? 1 : 0;
        }
        // G2 replies come from the reader unless already in when the producer looked, nearly always the former, so
        // the synchronous call above did meet a reader; G1 has no reader threads at all.
        assertThat(onReader > 0).isEqualTo(protocol() == Protocol.G2);
    }

    private static Set<Thread> threadsNamed(String part) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains(part))
                .collect(Collectors.toCollection(HashSet::new));
    }

    private JsonNode lastCall(String fname) {
        List<ReceivedMessage> calls = server().receivedMessages().stream().filter(m -> isCall(m, fname)).toList();
        return calls.get(calls.size() - 1).data().get(0);
    }

    private static boolean isCall(ReceivedMessage message, String fname) {
        return message.data() != null && message.data().isArray() && message.data().size() == 1
               && fname.equals(message.data().get(0).path("fname").asText());
    }
}
