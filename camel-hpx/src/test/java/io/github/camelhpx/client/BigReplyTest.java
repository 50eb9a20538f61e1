package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.SampleLibrary;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replies of tens of megabytes arrive whole, and the size limit applies to real content, not just to bombs. */
class BigReplyTest {

    private static final int GALLERIES = 22_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(b -> b
            .library(SampleLibrary.galleries(GALLERIES)).receivedMessagesLimit(100));

    @Test
    void replyOfAbout20MegabytesArrivesWhole() {
        try (HpxClient client = TestClients.to(HPX.server()).build()) {
            JsonNode items = client.call("get_items", Map.of("limit", GALLERIES));

            assertThat(items.size()).isEqualTo(GALLERIES);
            assertThat(items.toString().length()).isGreaterThan(18_000_000);
            assertThat(items.get(GALLERIES - 1).path("id").intValue()).isEqualTo(GALLERIES);
        }
    }

    @Test
    void replyOfAbout20MegabytesArrivesWholeAsRawJsonAndAsBoundObjects() throws Exception {
        try (HpxClient client = TestClients.to(HPX.server()).build()) {
            Map<String, Integer> args = Map.of("limit", GALLERIES);
            JsonNode tree = client.call("get_items", args);

            byte[] raw = client.callAllRaw(List.of(FunctionCall.of("get_items", args)));
            List<Map<String, Object>> bound = client.call("get_items", args, new TypeReference<>() { });

            assertThat(raw.length).isGreaterThan(18_000_000);
            assertThat(MAPPER.readTree(raw).get("data").get(0).get("data")).isEqualTo(tree);
            assertThat(bound).hasSize(GALLERIES).isEqualTo(MAPPER.convertValue(tree, List.class));
        }
    }

    @Test
    void replyOverMaxMessageSizeIsRefusedAndTheClientGoesOn() {
        try (HpxClient client = TestClients.to(HPX.server()).maxMessageSize(1024 * 1024).poolSize(1).build()) {
            assertThatThrownBy(() -> client.call("get_items", Map.of("limit", GALLERIES)))
                    .isInstanceOf(HpxProtocolException.class).hasMessageContaining("maxMessageSize of 1048576");
            assertThatThrownBy(() -> client.callAllRaw(List.of(FunctionCall.of("get_items", Map.of("limit", GALLERIES)))))
                    .isInstanceOf(HpxProtocolException.class).hasMessageContaining("maxMessageSize of 1048576");

            assertThat(client.call("get_items", Map.of("limit", 10)).size()).isEqualTo(10);
        }
    }
}
