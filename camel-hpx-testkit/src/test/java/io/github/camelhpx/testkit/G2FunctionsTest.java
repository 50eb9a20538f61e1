package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.github.camelhpx.testkit.G2CommandTest.assertFunctionError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The 1.0 API the embedded library serves in G2 (§9.4). */
class G2FunctionsTest {

    @RegisterExtension
    HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.protocol(Protocol.G2).user("bob", "secret")
            .commandDuration(Duration.ofMillis(300)));

    private static JsonNode only(JsonNode reply) {
        JsonNode f = reply.path("data").path(0);
        assertThat(f.has("error")).as("no error in %s", f).isFalse();
        return f.get("data");
    }

    @Test
    void getVersionAndGetPropertiesPickDottedKeys() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            assertThat(only(c.callOne("{\"fname\": \"get_version\"}")).toString())
                    .isEqualTo("{\"core\":[1,0,0],\"db\":[1,0,0],\"torrent\":[0,0,0]}");
            JsonNode props = only(c.callOne("{\"fname\": \"get_properties\", \"keys\": [\"webserver\", \"pixie.connect\", \"version.core\", \"guest_allowed\"]}"));
            assertThat(props.path("webserver").path("port").asInt()).isEqualTo(7008);
            assertThat(props.path("pixie").size()).isEqualTo(1);
            assertThat(props.path("version").toString()).isEqualTo("{\"core\":[1,0,0]}");
            assertThat(props.path("guest_allowed").asBoolean()).isTrue();
            assertFunctionError(c.callOne("{\"fname\": \"get_properties\", \"keys\": [\"nope.x\"]}").path("data").path(0),
                    "get_properties", 404, "Property 'nope.x' does not exist");
        }
    }

    @Test
    void getUserTellsWhoseSessionItIs() {
        try (G2RawClient guest = G2RawClient.guest(hpx.server());
             G2RawClient bob = G2RawClient.welcomed(hpx.server())) {
            bob.handshake(RawClient.parse("{\"user\": \"bob\", \"password\": \"secret\"}"));
            JsonNode g = only(guest.callOne("{\"fname\": \"get_user\"}"));
            assertThat(g.path("name").asText()).isEqualTo("guest");
            assertThat(g.path("role").asText()).isEqualTo("guest");
            JsonNode b = only(bob.callOne("{\"fname\": \"get_user\"}"));
            assertThat(b.path("name").asText()).isEqualTo("bob");
            assertThat(b.path("role").asText()).isEqualTo("user");
            assertThat(only(bob.callOne("{\"fname\": \"get_properties\", \"keys\": [\"user.name\"]}")).toString())
                    .isEqualTo("{\"user\":{\"name\":\"bob\"}}");
        }
    }

    @Test
    void getCountAndGetItem() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            assertThat(only(c.callOne("{\"fname\": \"get_count\", \"item_type\": 1}")).path("count").asInt()).isEqualTo(25);
            JsonNode item = only(c.callOne("{\"fname\": \"get_item\", \"item_type\": 1, \"item_id\": 3}"));
            assertThat(item.path("id").asInt()).isEqualTo(3);
            assertThat(item.path("titles").path(0).path("name").asText()).isEqualTo(hpx.server().library().title(3));
            JsonNode projected = only(c.callOne("{\"fname\": \"get_item\", \"item_id\": 3, \"fields\": [\"rating\", \"titles.name\"]}"));
            assertThat(projected.fieldNames()).toIterable().containsExactly("id", "rating", "titles");
            assertThat(projected.path("titles").path(0).fieldNames()).toIterable().containsExactly("name");
            assertThat(only(c.callOne("{\"fname\": \"get_item\", \"item_id\": [1, 2]}"))).hasSize(2);
            assertFunctionError(c.callOne("{\"fname\": \"get_item\", \"item_id\": 99}").path("data").path(0),
                    "get_item", 303, "'Gallery' with id '99' was not found");
        }
    }

    @Test
    void getItemsPagesWithCountLimitOffsetAndSortOptions() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            JsonNode page = only(c.callOne("{\"fname\": \"get_items\", \"limit\": 5, \"offset\": 10}"));
            assertThat(page.path("count").asInt()).isEqualTo(25);
            assertThat(ids(page)).containsExactly(11, 12, 13, 14, 15);
            JsonNode desc = only(c.callOne("{\"fname\": \"get_items\", \"limit\": 3, \"sort_options\": {\"desc\": true}}"));
            assertThat(ids(desc)).containsExactly(25, 24, 23);
            JsonNode byRating = only(c.callOne("{\"fname\": \"get_items\", \"limit\": 25, \"sort_options\": {\"by\": 8, \"desc\": true}}"));
            List<Integer> ratings = new ArrayList<>();
            byRating.path("items").forEach(i -> ratings.add(i.path("rating").asInt()));
            assertThat(ratings).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
            assertFunctionError(c.callOne("{\"fname\": \"get_items\", \"sort_options\": {\"by\": 9999}}").path("data").path(0),
                    "get_items", 409, "ItemSort: enum member doesn't exist '9999'");
        }
    }

    @Test
    void searchItemsCountsEveryHitAndPages() {
        SampleLibrary lib = hpx.server().library();
        String word = lib.title(1).split(" ")[0];
        long expected = java.util.stream.IntStream.rangeClosed(1, 25).filter(i -> lib.matches(i, word.toLowerCase())).count();
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            JsonNode hits = only(c.callOne("{\"fname\": \"search_items\", \"search_query\": \"" + word + "\", \"limit\": 1}"));
            assertThat(hits.path("count").asLong()).isEqualTo(expected);
            assertThat(hits.path("items")).hasSize(1);
            assertThat(ids(hits).get(0)).isEqualTo(1);
        }
    }

    @Test
    void getConfigAndSetConfig() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            assertThat(only(c.callOne("{\"fname\": \"set_config\", \"cfg\": {\"gallery.send_to_trash\": false}}")).asText())
                    .isEqualTo("updated");
            assertThat(only(c.callOne("{\"fname\": \"get_config\", \"cfg\": {\"gallery.send_to_trash\": null}}")).toString())
                    .isEqualTo("{\"gallery.send_to_trash\":false}");
            JsonNode flat = only(c.callOne("{\"fname\": \"get_config\", \"flatten\": true}"));
            assertThat(flat.path("server.port").asInt()).isEqualTo(hpx.port());
            assertFunctionError(c.callOne("{\"fname\": \"get_config\", \"cfg\": {\"gallery.nope\": null}}").path("data").path(0),
                    "get_config", 110, "Setting with key 'gallery.nope' does not exist");
        }
    }

    @Test
    void reindexRunsAsACommandWithStringIdIntegerStatesProgressAndValue() {
        // Long enough that the calls below, one after the other, all see the command still running.
        try (HpxTestServer server = HpxTestServer.builder().protocol(Protocol.G2).commandDuration(Duration.ofSeconds(3)).build().start();
             G2RawClient c = G2RawClient.guest(server)) {
            JsonNode id = only(c.callOne("{\"fname\": \"reindex\"}"));
            assertThat(id.isTextual()).isTrue();
            String ids = "[\"" + id.asText() + "\"]";
            JsonNode state = only(c.callOne("{\"fname\": \"get_command_state\", \"command_ids\": " + ids + "}"));
            assertThat(state.path(id.asText()).asInt()).isEqualTo(3);
            JsonNode progress = only(c.callOne("{\"fname\": \"get_command_progress\", \"command_ids\": " + ids + "}"));
            assertThat(progress.path(id.asText()).path("id").asText()).isEqualTo(id.asText());
            assertThat(progress.path(id.asText()).path("state").asInt()).isEqualTo(3);
            assertThat(progress.path(id.asText()).path("title").asText()).isEqualTo("Reindexing");
            JsonNode all = only(c.callOne("{\"fname\": \"get_command_progress\"}"));
            assertThat(all.isArray()).isTrue();
            // not finished: null by default, 120 with raise_error
            assertThat(only(c.callOne("{\"fname\": \"get_command_value\", \"command_ids\": " + ids + "}")).path(id.asText()).isNull()).isTrue();
            assertFunctionError(c.callOne("{\"fname\": \"get_command_value\", \"command_ids\": " + ids + ", \"raise_error\": true}").path("data").path(0),
                    "get_command_value", 120, "Command with ID '" + id.asText() + "' has not finished running");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    only(c.callOne("{\"fname\": \"get_command_state\", \"command_ids\": " + ids + "}")).path(id.asText()).asInt() == 4);
            JsonNode value = only(c.callOne("{\"fname\": \"get_command_value\", \"command_ids\": " + ids + ", \"raise_error\": true}"));
            assertThat(value.path(id.asText()).toString()).isEqualTo("{\"status\":true}");
        }
    }

    @Test
    void stopAndStartCommandAnswerIntegerStatesAndUnknownIdsAre120() {
        try (HpxTestServer server = HpxTestServer.builder().protocol(Protocol.G2).commandDuration(Duration.ofMinutes(5)).build().start();
             G2RawClient c = G2RawClient.guest(server)) {
            String id = only(c.callOne("{\"fname\": \"reindex\"}")).asText();
            assertThat(only(c.callOne("{\"fname\": \"stop_command\", \"command_ids\": [\"" + id + "\"]}")).path(id).asInt()).isEqualTo(5);
            assertThat(only(c.callOne("{\"fname\": \"start_command\", \"command_ids\": [\"" + id + "\"]}")).path(id).asInt()).isEqualTo(5);
            assertThat(only(c.callOne("{\"fname\": \"get_command_value\", \"command_ids\": [\"" + id + "\"], \"raise_error\": true}")).path(id).isNull()).isTrue();
            assertFunctionError(c.callOne("{\"fname\": \"get_command_state\", \"command_ids\": [\"nope\"]}").path("data").path(0),
                    "get_command_state", 120, "Command with ID 'nope' does not exist");
        }
    }

    @Test
    void g1OnlyFunctionsAreNotFoundInG2() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            for (String f : new String[] {"get_locales", "get_notification", "get_tags_count", "check_update"}) {
                assertFunctionError(c.callOne("{\"fname\": \"" + f + "\"}").path("data").path(0), f, 403,
                        "Function not found: '" + f + "'");
            }
        }
    }

    private static List<Integer> ids(JsonNode page) {
        List<Integer> ids = new ArrayList<>();
        page.path("items").forEach(i -> ids.add(i.path("id").asInt()));
        return ids;
    }
}
