package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.camelhpx.testkit.Replies.assertFunctionError;
import static io.github.camelhpx.testkit.Replies.assertServerError;
import static io.github.camelhpx.testkit.Replies.result;
import static org.assertj.core.api.Assertions.assertThat;

/** get_config / set_config: namespaced settings, 110 for unknown keys, values that survive a restart. */
class SettingsTest {

    @RegisterExtension
    HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.serverName("cfg"));

    private JsonNode config(RawClient c, String cfg) {
        return result(c.callOne("{\"fname\": \"get_config\", \"cfg\": " + cfg + "}"), 0, "get_config");
    }

    @Test
    void anEmptyRequestGivesEverySettingByNamespace() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            JsonNode all = config(c, "{}");
            assertThat(all.get("server").get("port").asInt()).isEqualTo(hpx.port());
            assertThat(all.get("server").get("allow_guests").asBoolean()).isTrue();
            assertThat(all.get("server").get("server_name").asText()).isEqualTo("cfg");
            assertThat(all.has("core")).isTrue();
            assertThat(result(c.callOne("{\"fname\": \"get_config\"}"), 0, "get_config")).isEqualTo(all);
        }
    }

    @Test
    void namedKeysComeBackUnderTheirFullName() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            assertThat(config(c, "{\"server.port\": null}").toString()).isEqualTo("{\"server.port\":" + hpx.port() + "}");
        }
    }

    @Test
    void unknownAndMalformedKeysAreFunctionLevelErrors() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            assertFunctionError(c.callOne("{\"fname\": \"get_config\", \"cfg\": {\"a.b\": null}}"), 0, "get_config", 110,
                    "Setting with key 'a.b' does not exist");
            assertFunctionError(c.callOne("{\"fname\": \"set_config\", \"cfg\": {\"server.nope\": 1}}"), 0, "set_config", 110,
                    "Setting with key 'server.nope' does not exist");
            assertFunctionError(c.callOne("{\"fname\": \"get_config\", \"cfg\": {\"abc\": null}}"), 0, "get_config", 404,
                    "Invalid setting 'abc'");
        }
    }

    @Test
    void setConfigUpdatesLiveSettingsThatSurviveARestart() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            assertThat(result(c.callOne("{\"fname\": \"set_config\", \"cfg\": {\"server.allow_guests\": false}}"), 0, "set_config")
                    .asText()).isEqualTo("updated");
        }
        hpx.server().restart();
        try (RawClient c = RawClient.connect(hpx.server())) {
            assertThat(c.read().path("data").path("guest_allowed").asBoolean()).isFalse();
            assertServerError(c.send("", RawClient.MAPPER.createObjectNode()), 412, "JSON dict missing 'user' key");
        }
    }

    @Test
    void theThisNamespaceHoldsClientSettings() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            result(c.callOne("{\"fname\": \"set_config\", \"cfg\": {\"this.theme\": \"dark\"}}"), 0, "set_config");
            assertThat(config(c, "{\"this.theme\": null}").get("this.theme").asText()).isEqualTo("dark");
            assertThat(config(c, "{}").get("this").get("theme").asText()).isEqualTo("dark");
            assertThat(config(c, "{\"this.missing\": 5}").get("this.missing").asInt()).isEqualTo(5);
        }
    }
}
