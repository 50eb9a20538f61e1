package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.SampleLibrary;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replies of tens of megabytes arrive whole, and the size limit applies to real content, not just to bombs. G1's
 * {@code get_items} is a list; G2's is {@code {count, items}}, and its raw reply is MessagePack.
 */
class BigReplyTest {

    private static final int GALLERIES = 22_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The same items in MessagePack (13.7 MB): no quotes, colons or commas. */
    private static final int MIN_G2_RAW = 13_000_000;

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(BigReplyTest::configure);

    /** G2's page of items, as a caller binds it. */
    record Page(int count, List<Map<String, Object>> items) {
    }

    private static void configure(HpxTestServer.Builder b) {
        b.library(SampleLibrary.galleries(GALLERIES)).receivedMessagesLimit(100);
    }

    /**
     * A client with time for the reply: the embedded G2 server takes 2.5–7 s (G1: 0.7–2.5 s) on a loaded 2-CPU
     * machine to build and send these items, measured before its first byte reaches the size limit, and the client
     * then reads some 18 MB of them. The same for both: a timeout costs nothing when the reply comes.
     */
    private static HpxClient.Builder clientTo(HpxTestServer server) {
        return TestClients.to(server).requestTimeout(Duration.ofSeconds(20));
    }

    private static void assertArrivesWhole(HpxTestServer server) {
        try (HpxClient client = clientTo(server).build()) {
            JsonNode items = TestClients.items(server, client.call("get_items", Map.of("limit", GALLERIES)));

            assertThat(items.size()).isEqualTo(GALLERIES);
            assertThat(items.toString().length()).isGreaterThan(18_000_000);
            assertThat(items.get(GALLERIES - 1).path("id").intValue()).isEqualTo(GALLERIES);
        }
    }

    @Test
    @Tag("g1")
    void replyOfAbout20MegabytesArrivesWhole() {
        assertArrivesWhole(HPX.server());
    }

    @Test
    @Tag("g2")
    void g2ReplyOfAbout20MegabytesArrivesWhole() {
        try (HpxTestServer g2 = TestClients.startG2(BigReplyTest::configure)) {
            assertArrivesWhole(g2);
        }
    }

    /** {@code minRawBytes}: JSON takes more than 18 MB for what MessagePack says in less. */
    private static <T> T assertArrivesWholeRawAndBound(HpxTestServer server, TypeReference<T> type, int minRawBytes)
            throws Exception {
        try (HpxClient client = clientTo(server).build()) {
            Map<String, Integer> args = Map.of("limit", GALLERIES);
            JsonNode tree = client.call("get_items", args);

            byte[] raw = client.callAllRaw(List.of(FunctionCall.of("get_items", args)));
            T bound = client.call("get_items", args, type);

            assertThat(raw.length).isGreaterThan(minRawBytes);
            assertThat(TestClients.rawMapper(server).readTree(raw).get("data").get(0).get("data")).isEqualTo(tree);
            assertThat(TestClients.items(server, tree)).hasSize(GALLERIES);
            assertThat(bound).isEqualTo(MAPPER.convertValue(tree, type));
            return bound;
        }
    }

    @Test
    @Tag("g1")
    void replyOfAbout20MegabytesArrivesWholeAsRawJsonAndAsBoundObjects() throws Exception {
        List<Map<String, Object>> bound = assertArrivesWholeRawAndBound(HPX.server(), new TypeReference<>() { }, 18_000_000);

        assertThat(bound).hasSize(GALLERIES);
    }

    @Test
    @Tag("g2")
    void g2ReplyArrivesWholeAsRawMessagePackAndAsBoundObjects() throws Exception {
        try (HpxTestServer g2 = TestClients.startG2(BigReplyTest::configure)) {
            Page bound = assertArrivesWholeRawAndBound(g2, new TypeReference<Page>() { }, MIN_G2_RAW);

            assertThat(bound.count()).isEqualTo(GALLERIES);
            assertThat(bound.items()).hasSize(GALLERIES);
        }
    }

    @Test
    void replyOverMaxMessageSizeIsRefusedAndTheClientGoesOn() {
        try (HpxClient client = clientTo(HPX.server()).maxMessageSize(1024 * 1024).poolSize(1).build()) {
            assertThatThrownBy(() -> client.call("get_items", Map.of("limit", GALLERIES)))
                    .isInstanceOf(HpxProtocolException.class).hasMessageContaining("maxMessageSize of 1048576");
            assertThatThrownBy(() -> client.callAllRaw(List.of(FunctionCall.of("get_items", Map.of("limit", GALLERIES)))))
                    .isInstanceOf(HpxProtocolException.class).hasMessageContaining("maxMessageSize of 1048576");

            assertThat(TestClients.items(HPX.server(), client.call("get_items", Map.of("limit", 10))).size()).isEqualTo(10);
        }
    }
}
