package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.camelhpx.testkit.Replies.assertFunctionError;
import static io.github.camelhpx.testkit.Replies.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Asynchronous commands (§8.1): ids from 100, states, progress, values, stop, and unknown ids. */
class CommandLifecycleTest {

    private static HpxTestServer server(Duration commandDuration) {
        return HpxTestServer.builder().commandDuration(commandDuration)
                .function(FunctionSpec.of("doomed").handler(call -> call.startCommand("Doomed", Duration.ZERO, null, true)))
                .build().start();
    }

    private static JsonNode one(RawClient c, String call, String fname) {
        return result(c.callOne(call), 0, fname);
    }

    private static String state(RawClient c, int id) {
        return one(c, "{\"fname\": \"get_command_state\", \"command_ids\": [" + id + "]}", "get_command_state")
                .get(String.valueOf(id)).asText();
    }

    @Test
    void checkUpdateRunsToFinishedAndGivesItsValue() {
        try (HpxTestServer server = server(Duration.ofMillis(150)); RawClient c = RawClient.guest(server)) {
            int id = one(c, "{\"fname\": \"check_update\"}", "check_update").asInt();
            assertThat(id).isEqualTo(100);
            assertThat(one(c, "{\"fname\": \"check_update\", \"push\": true}", "check_update").asInt()).isEqualTo(101);
            await().atMost(Duration.ofSeconds(5)).until(() -> state(c, id).equals("finished"));
            JsonNode value = one(c, "{\"fname\": \"get_command_value\", \"command_ids\": [" + id + "]}", "get_command_value");
            assertThat(value.fieldNames()).toIterable().containsExactly("100");
            assertThat(value.get("100").get("tag").asText()).isEqualTo("v0.3.1");
        }
    }

    @Test
    void aRunningCommandHasNoValueYetButReportsProgress() {
        try (HpxTestServer server = server(Duration.ofMinutes(5)); RawClient c = RawClient.guest(server)) {
            int id = one(c, "{\"fname\": \"update_application\"}", "update_application").asInt();
            assertThat(state(c, id)).isEqualTo("started");
            assertFunctionError(c.callOne("{\"fname\": \"get_command_value\", \"command_ids\": [" + id + "]}"), 0,
                    "get_command_value", 120, "Command with ID '" + id + "' has not finished running");
            JsonNode progress = one(c, "{\"fname\": \"get_command_progress\", \"command_ids\": [" + id + "]}", "get_command_progress")
                    .get(String.valueOf(id));
            assertThat(progress.fieldNames()).toIterable().containsExactly("title", "subtitle", "subtype", "text", "value",
                    "percent", "max", "type", "state", "timestamp");
            assertThat(progress.get("state").asText()).isEqualTo("started");
        }
    }

    // interface/meta.py get_command_progress (0.3.0): without ids "progs = []" gets one progress dict per command
    // from CoreCommand.get_all_progress(), which builds its list with ps.insert(0, ...): newest command first, no ids
    @Test
    void progressWithoutIdsIsAListOfProgressObjectsNewestFirst() {
        try (HpxTestServer server = server(Duration.ofMinutes(5)); RawClient c = RawClient.guest(server)) {
            JsonNode none = one(c, "{\"fname\": \"get_command_progress\"}", "get_command_progress");
            assertThat(none.isArray()).as("%s", none).isTrue();
            assertThat(none).isEmpty();
            one(c, "{\"fname\": \"update_application\"}", "update_application");
            one(c, "{\"fname\": \"check_update\"}", "check_update");
            for (String call : new String[] {"{\"fname\": \"get_command_progress\"}",
                    "{\"fname\": \"get_command_progress\", \"command_ids\": null}"}) {
                JsonNode all = one(c, call, "get_command_progress");
                assertThat(all.isArray()).as("%s", all).isTrue();
                assertThat(all).hasSize(2);
                assertThat(all.get(0).get("title").asText()).isEqualTo("Checking for updates");
                assertThat(all.get(1).get("title").asText()).isEqualTo("Updating application");
                assertThat(all.get(1).fieldNames()).toIterable().containsExactly("title", "subtitle", "subtype", "text",
                        "value", "percent", "max", "type", "state", "timestamp");
            }
            // with ids it stays an object keyed by id; an empty list of ids gives an empty object
            assertThat(one(c, "{\"fname\": \"get_command_progress\", \"command_ids\": []}", "get_command_progress").isObject())
                    .isTrue();
        }
    }

    @Test
    void aStoppedCommandStaysStoppedAndItsValueIsNull() {
        try (HpxTestServer server = server(Duration.ofMinutes(5)); RawClient c = RawClient.guest(server)) {
            int id = one(c, "{\"fname\": \"check_update\"}", "check_update").asInt();
            JsonNode stopped = one(c, "{\"fname\": \"stop_command\", \"command_ids\": [" + id + "]}", "stop_command");
            assertThat(stopped.get(String.valueOf(id)).asText()).isEqualTo("stopped");
            assertThat(one(c, "{\"fname\": \"start_command\", \"command_ids\": [" + id + "]}", "start_command")
                    .get(String.valueOf(id)).asText()).isEqualTo("stopped");
            assertThat(state(c, id)).isEqualTo("stopped");
            JsonNode value = one(c, "{\"fname\": \"get_command_value\", \"command_ids\": [" + id + "]}", "get_command_value");
            assertThat(value.get(String.valueOf(id)).isNull()).isTrue();
        }
    }

    @Test
    void aFailedCommandRefusesItsValue() {
        try (HpxTestServer server = server(Duration.ofMinutes(5)); RawClient c = RawClient.guest(server)) {
            int id = one(c, "{\"fname\": \"doomed\"}", "doomed").asInt();
            assertThat(state(c, id)).isEqualTo("failed");
            assertFunctionError(c.callOne("{\"fname\": \"get_command_value\", \"command_ids\": [" + id + "]}"), 0,
                    "get_command_value", 120, "Command with ID '" + id + "' has failed");
        }
    }

    @Test
    void unknownIdsAre120() {
        try (HpxTestServer server = server(Duration.ZERO); RawClient c = RawClient.guest(server)) {
            for (String f : new String[] {"get_command_state", "get_command_value", "stop_command", "start_command", "get_command_progress"}) {
                assertFunctionError(c.callOne("{\"fname\": \"" + f + "\", \"command_ids\": [999]}"), 0, f, 120,
                        "Command with ID '999' does not exist");
            }
            assertFunctionError(c.callOne("{\"fname\": \"get_command_state\", \"command_ids\": [\"100\"]}"), 0,
                    "get_command_state", 120, "Command with ID '100' does not exist");
        }
    }

    @Test
    void scanGalleriesAndGetSimilarStartCommandsToo() {
        try (HpxTestServer server = server(Duration.ZERO); RawClient c = RawClient.guest(server)) {
            JsonNode scan = one(c, "{\"fname\": \"scan_galleries\", \"path\": \"/tmp/g\"}", "scan_galleries");
            assertThat(scan.fieldNames()).toIterable().containsExactly("command_id", "view_id");
            int similar = one(c, "{\"fname\": \"get_similar\", \"item_id\": 1, \"limit\": 3}", "get_similar").asInt();
            JsonNode value = one(c, "{\"fname\": \"get_command_value\", \"command_ids\": [" + similar + "]}", "get_command_value");
            assertThat(value.get(String.valueOf(similar))).hasSize(3);
        }
    }

    @Test
    void aRestartForgetsCommands() {
        try (HpxTestServer server = server(Duration.ofMinutes(5))) {
            int id;
            try (RawClient c = RawClient.guest(server)) {
                id = one(c, "{\"fname\": \"check_update\"}", "check_update").asInt();
                server.restart();
            }
            try (RawClient c = RawClient.guest(server)) {
                assertFunctionError(c.callOne("{\"fname\": \"get_command_state\", \"command_ids\": [" + id + "]}"), 0,
                        "get_command_state", 120, "Command with ID '" + id + "' does not exist");
            }
        }
    }
}
