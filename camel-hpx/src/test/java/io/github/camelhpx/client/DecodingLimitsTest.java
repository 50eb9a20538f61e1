package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A bad reply costs neither the heap nor a wrong value: what decoding may build is bounded by maxMessageSize, a
 * read that fails with an Error ends its connection, a caller's type that fails costs only its own call, and a
 * reply that cannot be matched to the calls with certainty is a protocol error.
 */
class DecodingLimitsTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long MAX_MESSAGE = 1024 * 1024;
    private static final int EMPTY_OBJECTS = 200_000;
    private static final int DEPTH = 1_500;

    /** Far beyond what any refusal here takes, so that "not left to the deadline" holds on a loaded machine. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** A third of the request timeout: a refusal at the limit comes well before it. */
    private static final Duration PROMPT = REQUEST_TIMEOUT.dividedBy(3);

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(b -> b
            .function(FunctionSpec.echo())
            .function(FunctionSpec.of("empties").handler(call -> empties()))
            .function(FunctionSpec.of("deep").handler(call -> deep())));

    private HpxClient client;

    @BeforeEach
    void connect() {
        client = TestClients.to(HPX.server()).poolSize(1).maxMessageSize(MAX_MESSAGE).requestTimeout(REQUEST_TIMEOUT)
                .build();
        client.authenticate();
    }

    @AfterEach
    void close() {
        client.close();
    }

    /** 200,000 {@code {}}: ~800 KB of JSON (1 byte each in MessagePack), under maxMessageSize, but 400,000 tokens. */
    private static ArrayNode empties() {
        ArrayNode list = NODES.arrayNode(EMPTY_OBJECTS);
        ObjectNode empty = NODES.objectNode();
        for (int i = 0; i < EMPTY_OBJECTS; i++) {
            list.add(empty);
        }
        return list;
    }

    private static ArrayNode deep() {
        ArrayNode root = NODES.arrayNode();
        ArrayNode current = root;
        for (int i = 1; i < DEPTH; i++) {
            current = current.addArray();
        }
        return root;
    }

    private static long lastConnectionId() {
        List<io.github.camelhpx.testkit.ReceivedMessage> received = HPX.server().receivedMessages();
        return received.get(received.size() - 1).connectionId();
    }

    private void assertNextCallWorks(String value) {
        assertThat(client.call("echo", Map.of("value", value)).asText()).isEqualTo(value);
    }

    @Test
    void replyOfTinyObjectsUnderTheSizeLimitIsRefusedBeforeItsTreeExists() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.call("empties"))
                .isInstanceOf(HpxProtocolException.class)
                .hasMessageContaining("100000");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
        assertNextCallWorks("after the bomb");
    }

    @Test
    void boundTypeIsBoundedToo() {
        assertThatThrownBy(() -> client.call("empties", Map.of(), List.class))
                .isInstanceOf(HpxProtocolException.class);
        assertNextCallWorks("after the bound bomb");
    }

    @Test
    void replyNestedDeeperThanAThousandLevelsIsAProtocolError() {
        assertThatThrownBy(() -> client.call("deep")).isInstanceOf(HpxProtocolException.class)
                .hasMessageContaining("1000");
        assertNextCallWorks("after the deep one");
    }

    @Test
    void replyWithinTheLimitsStillArrives() {
        // 50,000 strings of 20 characters: ~1.2 MB would be over; 40,000 short ones fit size and tokens.
        List<String> values = java.util.Collections.nCopies(40_000, "0123456789");
        assertThat(client.call("echo", Map.of("value", values)).size()).isEqualTo(40_000);
    }

    @Test
    void aLimitBeyondTheLargestArrayMeansNoLimitOfItsOwn() {
        // Counted as the largest array: as given, it overflowed the arithmetic of the limit and refused every reply.
        try (HpxClient unbounded = TestClients.to(HPX.server()).poolSize(1).maxMessageSize(Long.MAX_VALUE - 1).build()) {
            List<String> values = java.util.Collections.nCopies(5_000, "0123456789");
            assertThat(unbounded.call("echo", Map.of("value", values)).size()).isEqualTo(5_000);
        }
    }

    // ---- a read that fails with something else than an HpxException ----

    /** What a broken deserializer, an OutOfMemoryError or a StackOverflowError does to a read. */
    static final class ReadError extends Error {
        ReadError() {
            super("deserializer broke");
        }
    }

    static final class BreakingDeserializer extends JsonDeserializer<Breaking> {
        @Override
        public Breaking deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if ("error".equals(p.getValueAsString())) {
                throw new ReadError();
            }
            throw new IllegalStateException("deserializer broke");
        }
    }

    @JsonDeserialize(using = BreakingDeserializer.class)
    static final class Breaking {
    }

    @Test
    void readFailingWithAnErrorClosesTheConnectionAndTheNextCallGetsItsOwnReply() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.call("echo", Map.of("value", "error"), Breaking.class))
                .satisfiesAnyOf(
                        e -> assertThat(e).isInstanceOf(ReadError.class),
                        e -> assertThat(e).isInstanceOf(HpxProtocolException.class).hasRootCauseInstanceOf(ReadError.class));
        // Not left to the call's deadline: the failure is the call's answer at once.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
        long broken = lastConnectionId();

        // The connection the read broke on is gone: the next call goes over another one, and gets its own reply.
        assertNextCallWorks("next");
        assertThat(lastConnectionId()).isNotEqualTo(broken);
    }

    @Test
    void readFailingWithARuntimeExceptionFailsPromptlyTypedAndTheNextCallGetsItsOwnReply() {
        long start = System.nanoTime();

        // Only the caller's type failed: the frame was read whole (a G2 connection goes on, a G1 one is replaced).
        assertThatThrownBy(() -> client.call("echo", Map.of("value", "runtime"), Breaking.class))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("deserializer broke");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);

        assertNextCallWorks("next");
    }

    /** Data read as a tree first (a poll's, a command's value), then bound, fails as data bound as it streams in. */
    @Test
    void dataBoundAfterItsTreeFailsTypedAsStreamedDataDoes() {
        JsonNode data = client.call("echo", Map.of("value", "runtime"));

        assertThatThrownBy(() -> client.bind("echo", data, Breaking.class))
                .isInstanceOf(HpxProtocolException.class)
                .hasMessageStartingWith("HPX reply data of 'echo' cannot be read as")
                .hasMessageContaining("deserializer broke");
        assertThatThrownBy(() -> client.bind("echo", data, Integer.class)).isInstanceOf(HpxProtocolException.class);
        assertThat(client.bind("echo", data, String.class)).isEqualTo("runtime");
    }

    // ---- replies that cannot be matched to the calls with certainty ----

    private static HpxClient clientOf(ScriptedServer server) {
        return HpxClient.builder().host(server.host()).port(server.port()).clientName("limits-test")
                .requestTimeout(Duration.ofSeconds(5)).poolSize(1).build();
    }

    private static Map<String, Object> result(String fname, Object data) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("fname", fname);
        result.put("data", data);
        return result;
    }

    @Test
    @Tag("g1")
    void extraResultBeforeTheRightOneIsAProtocolErrorNotTheCallersValue() {
        try (ScriptedServer server = ScriptedServer.start((connection, call, request) -> ScriptedServer.Action.reply(
                List.of(result("get_version", "extra"), result("get_version", "right"))));
             HpxClient scripted = clientOf(server)) {
            assertThatThrownBy(() -> scripted.call("get_version"))
                    .isInstanceOf(HpxProtocolException.class)
                    .hasMessageContaining("more results than calls");
        }
    }

    @Test
    @Tag("g1")
    void staleValidationErrorsAfterTheResultsAreStillDropped() {
        Map<String, Object> stale = new LinkedHashMap<>();
        stale.put("fname", "no_such_function");
        stale.put("data", null);
        stale.put("error", Map.of("code", 403, "msg", "Function not found: 'no_such_function'"));
        try (ScriptedServer server = ScriptedServer.start((connection, call, request) -> ScriptedServer.Action.reply(
                List.of(result("get_version", "right"), stale)));
             HpxClient scripted = clientOf(server)) {
            assertThat(scripted.call("get_version").asText()).isEqualTo("right");
        }
    }

    @Test
    @Tag("g2")
    void g2ReplyWithMoreResultsThanCallsIsAProtocolError() {
        try (ScriptedServer server = ScriptedServer.start((connection, call, request) -> ScriptedServer.Action.reply(
                List.of(result("get_version", "right"), result("get_version", "extra"))));
             HpxClient scripted = clientOf(server)) {
            assertThatThrownBy(() -> scripted.call("get_version"))
                    .isInstanceOf(HpxProtocolException.class)
                    .hasMessageContaining("2 results for 1 calls");
        }
    }

    @Test
    @Tag("g2")
    void g2ResultOfAnotherFunctionIsAProtocolError() {
        try (ScriptedServer server = ScriptedServer.start((connection, call, request) -> ScriptedServer.Action.reply(
                List.of(result("get_config", "not mine"))));
             HpxClient scripted = clientOf(server)) {
            assertThatThrownBy(() -> scripted.call("get_version"))
                    .isInstanceOf(HpxProtocolException.class)
                    .hasMessageContaining("get_config");
        }
    }
}
