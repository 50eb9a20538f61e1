package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.ReceivedMessage;
import io.github.camelhpx.testkit.SampleLibrary;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A function's data bound straight to the caller's types, with every guarantee of a tree-valued call. */
class TypedCallTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<Gallery>> GALLERIES = new TypeReference<>() { };

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(TypedCallTest::configure);

    record Named(int id, String name) {
    }

    record Title(int id, String name, Named language) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Gallery(int id, List<Title> titles, Named category, Map<String, List<String>> tags,
            @JsonProperty("page_count") int pageCount) {
    }

    record Version(List<Integer> core, List<Integer> db, List<Integer> torrent) {
    }

    /** G2's {@code get_items}: {@code {count, items}}. */
    record Page(int count, List<Gallery> items) {
    }

    private static void configure(HpxTestServer.Builder b) {
        b.library(SampleLibrary.galleries(40)).function(FunctionSpec.echo());
    }

    private static <T> T assertBoundAsATreeWouldConvert(HpxTestServer server, TypeReference<T> type) {
        try (HpxClient client = TestClients.to(server).build()) {
            T typed = client.call("get_items", Map.of("limit", 40), type);
            JsonNode tree = client.call("get_items", Map.of("limit", 40));

            assertThat(TestClients.items(server, tree)).hasSize(40);
            assertThat(typed).isEqualTo(MAPPER.convertValue(tree, type));
            assertThat(client.call("get_version", Map.of(), Version.class).core())
                    .isEqualTo(MAPPER.convertValue(client.call("get_version").get("core"), List.class));
            return typed;
        }
    }

    @Test
    @Tag("g1")
    void dataIsBoundToTheCallersTypesAsATreeWouldConvert() {
        List<Gallery> typed = assertBoundAsATreeWouldConvert(hpx.server(), GALLERIES);

        assertThat(typed).hasSize(40);
        assertThat(typed.get(0).titles()).isNotEmpty();
    }

    @Test
    @Tag("g2")
    void g2PageOfItemsIsBoundToTheCallersTypesAsATreeWouldConvert() {
        try (HpxTestServer g2 = TestClients.startG2(TypedCallTest::configure)) {
            Page typed = assertBoundAsATreeWouldConvert(g2, new TypeReference<Page>() { });

            assertThat(typed.count()).isEqualTo(40);
            assertThat(typed.items()).hasSize(40);
            assertThat(typed.items().get(0).titles()).isNotEmpty();
        }
    }

    @Test
    void nullDataIsNull() {
        Map<String, Object> args = new HashMap<>();
        args.put("value", null);
        try (HpxClient client = TestClients.to(hpx.server()).build()) {
            assertThat(client.call("echo", args, Gallery.class)).isNull();
        }
    }

    @Test
    void failedFunctionThrowsItsError() {
        try (HpxClient client = TestClients.to(hpx.server()).build()) {
            assertThatThrownBy(() -> client.call("get_item", Map.of("item_id", 0), Gallery.class))
                    .isInstanceOfSatisfying(HpxFunctionException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(404);
                        assertThat(e.getFunctionName()).isEqualTo("get_item");
                    });
        }
    }

    @Test
    void dataThatDoesNotFitTheTypeIsAClearErrorAndTheClientGoesOn() {
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).build()) {
            assertThatThrownBy(() -> client.call("echo", Map.of("value", "a string"), Gallery.class))
                    .isInstanceOf(HpxProtocolException.class)
                    .hasMessageStartingWith("HPX reply data of 'echo' cannot be read as [simple type, class "
                            + Gallery.class.getName() + "]");

            assertThat(client.call("echo", Map.of("value", List.of(1, 2)), int[].class)).containsExactly(1, 2);
        }
    }

    /**
     * A mapper that refuses trailing tokens and reads floats as decimals (so trees are read by Jackson too): the
     * frame holds exactly one message, and both readings must see no more.
     */
    @Test
    void aMapperThatFailsOnTrailingTokensReadsEveryReply() {
        ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        try (HpxClient client = TestClients.to(hpx.server()).objectMapper(strict).build()) {
            assertThat(client.call("echo", Map.of("value", 1.5), Double.class)).isEqualTo(1.5);
            assertThat(client.call("echo", Map.of("value", 1.5)).decimalValue()).isEqualByComparingTo("1.5");
            assertThat(client.call("get_version", Map.of(), Version.class).core()).isNotEmpty();
        }
    }

    /** A caller's deserializer that throws: a bug of theirs, or data it refuses. */
    static final class Refusing extends JsonDeserializer<Fussy> {
        @Override
        public Fussy deserialize(JsonParser parser, DeserializationContext context) {
            throw new IllegalStateException("refused by the caller's deserializer");
        }
    }

    @JsonDeserialize(using = Refusing.class)
    record Fussy(String value) {
    }

    @Test
    void aDeserializerThatThrowsFailsItsOwnCallTypedAndNoOther() throws Exception {
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).build()) {
            client.authenticate();
            if (hpx.server().protocol() == Protocol.G2) {
                // The refused reply is read first, while the other call's is still to come on the same connection.
                hpx.server().faults().reorderReplies(2);
            }
            CompletableFuture<JsonNode> other = client.executeAsync(HpxRequest.function("echo", Map.of("value", "other")));
            CompletableFuture<Fussy> refused = client.executeAsync(
                    HpxRequest.function("echo", Map.of("value", "mine")).as(Fussy.class));

            assertThatThrownBy(refused::join).cause()
                    .isInstanceOf(HpxProtocolException.class)
                    .hasMessageStartingWith("HPX reply data of 'echo' cannot be read as [simple type, class "
                            + Fussy.class.getName() + "]: refused by the caller's deserializer")
                    .hasRootCauseInstanceOf(IllegalStateException.class);
            assertThat(other.get().asText()).isEqualTo("other");
            assertThat(client.call("echo", Map.of("value", "next")).asText()).isEqualTo("next");
        }
    }

    @Test
    void aValueQuotedByTheBindingErrorIsMaskedWhenItMayBeASessionId() {
        String sessionLike = "0123456789abcdef0123456789abcdef";
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).build()) {
            Throwable failure = catchThrowable(() -> client.call("echo", Map.of("value", sessionLike), int.class));

            assertThat(failure).isInstanceOf(HpxProtocolException.class)
                    .hasMessageStartingWith("HPX reply data of 'echo' cannot be read as [simple type, class int]");
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(t.getMessage()).doesNotContain(sessionLike);
                assertThat(t.toString()).doesNotContain(sessionLike);
            }
        }
    }

    /** Quotes the value it fails on only in its cause, as a wrapped parse error does. */
    static final class QuotingInItsCause extends JsonDeserializer<Wrapped> {
        @Override
        public Wrapped deserialize(JsonParser parser, DeserializationContext context) throws java.io.IOException {
            String value = parser.getValueAsString();
            throw new IllegalArgumentException("not an id",
                    new NumberFormatException("For input string: \"" + value + "\""));
        }
    }

    @JsonDeserialize(using = QuotingInItsCause.class)
    record Wrapped(long id) {
    }

    @Test
    void aValueQuotedDownTheDeserializersCauseChainIsMaskedToo() {
        String sessionLike = "0123456789abcdef0123456789abcdef";
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).build()) {
            Throwable failure = catchThrowable(() -> client.call("echo", Map.of("value", sessionLike), Wrapped.class));

            assertThat(failure).isInstanceOf(HpxProtocolException.class).hasMessageEndingWith("not an id");
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(t.toString()).doesNotContain(sessionLike);
            }
        }
    }

    @Test
    void broadcastArrivingWhileATypedCallWaitsGoesToTheListener() throws Exception {
        List<Broadcast> received = new CopyOnWriteArrayList<>();
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).build()) {
            client.onBroadcast(received::add);

            Named reply = TestClients.callWhileBroadcasting(hpx.server(), client,
                    () -> client.executeAsync(HpxRequest.function("echo", Map.of("value", Map.of("id", 7, "name", "mine"))).as(Named.class)), 2);

            assertThat(reply).isEqualTo(new Named(7, "mine"));
            assertThat(received).singleElement().extracting(Broadcast::command).isEqualTo(ServerCommand.SERVER_RESTART);
        }
    }

    @Test
    void expiredSessionIsRenewedAndTheTypedCallRetried() {
        try (HpxClient client = TestClients.to(hpx.server()).build()) {
            String before = client.authenticate();
            hpx.server().expireSession(before);

            assertThat(client.call("echo", Map.of("value", Map.of("id", 1, "name", "n")), Named.class))
                    .isEqualTo(new Named(1, "n"));
            assertThat(hpx.server().receivedMessages()).extracting(ReceivedMessage::session)
                    .containsExactly("", before, "", client.sessionId());
        }
    }
}
