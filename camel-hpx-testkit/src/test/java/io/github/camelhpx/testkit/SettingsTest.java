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

    private JsonNode set(RawClient c, String cfg) {
        return c.callOne("{\"fname\": \"set_config\", \"cfg\": " + cfg + "}");
    }

    /** set_config's refusal of {@code {key: valueJson}}, with the Python types as the server names them. */
    private void assertWrongType(RawClient c, String key, String valueJson, String expected, String got) {
        assertFunctionError(set(c, "{\"" + key + "\": " + valueJson + "}"), 0, "set_config", 404,
                "Setting '" + key + "' expected '" + expected + "' but got '" + got + "'");
    }

    // interface/settings.py set_config (0.3.0): for a default namespace "if not isinstance(cfg[set_key], t): raise
    // APIError(... "Setting '{}' expected '{}' but got '{}'".format(set_key, t, type(cfg[set_key])))", t being the
    // ConfigNode's type_ (type(default) unless given); bool passes as an int. Keys before the bad one stay set.
    @Test
    void setConfigRefusesAValueOfTheWrongTypeWithThePythonTypes() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            assertWrongType(c, "server.port", "\"7007\"", "<class 'int'>", "<class 'str'>");
            assertWrongType(c, "server.allow_guests", "1", "<class 'bool'>", "<class 'int'>");
            assertWrongType(c, "server.session_span", "1.5", "<class 'int'>", "<class 'float'>");
            assertWrongType(c, "server.enable_ssl", "1", "(<class 'str'>, <class 'bool'>)", "<class 'int'>");
            assertWrongType(c, "db.port", "null", "<class 'int'>", "<class 'NoneType'>");
            assertWrongType(c, "server.port_range", "[7009, 7018]", "<class 'dict'>", "<class 'list'>");
            assertWrongType(c, "advanced.enabled_loggers", "{}", "<class 'list'>", "<class 'dict'>");

            assertThat(result(set(c, "{\"server.allowed_clients\": true, \"server.enable_ssl\": \"web\"}"), 0, "set_config")
                    .asText()).isEqualTo("updated");
            assertThat(config(c, "{\"server.allowed_clients\": null}").get("server.allowed_clients").asBoolean()).isTrue();

            assertFunctionError(set(c, "{\"server.session_span\": 7, \"server.port\": \"x\"}"), 0, "set_config", 404,
                    "Setting 'server.port' expected '<class 'int'>' but got '<class 'str'>'");
            assertThat(config(c, "{\"server.session_span\": null}").get("server.session_span").asInt()).isEqualTo(7);
            // the client's own namespace takes any type
            result(set(c, "{\"this.anything\": [1, \"x\"]}"), 0, "set_config");
        }
    }

    // interface/settings.py set_config ends in config.update(key, ...) with the key as sent, and Config.update
    // raises CoreError "key '{}' doesn't exist in namespace '{}'" unless that exact (lower-case) key is defined
    @Test
    void setConfigWithAnUpperCaseKeyInAServerSettingIsA101() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            assertFunctionError(set(c, "{\"Server.Allow_Guests\": false}"), 0, "set_config", 101,
                    "key 'Allow_Guests' doesn't exist in namespace 'server'");
            assertThat(config(c, "{\"SERVER.ALLOW_GUESTS\": null}").get("SERVER.ALLOW_GUESTS").asBoolean()).isTrue();
        }
    }

    // config.py: nodes with isolation=ConfigIsolation.client are stored in the session context's 'config'
    // (set_config: client_cfg.setdefault(ns, {})[key.lower()] = value) and read back through it; other sessions
    // keep the server's value
    @Test
    void clientIsolatedSettingsBelongToTheSession() {
        try (RawClient a = RawClient.guest(hpx.server()); RawClient b = RawClient.guest(hpx.server())) {
            result(set(a, "{\"client.Translation_Locale\": \"ja_jp\", \"gallery.add_to_inbox\": false}"), 0, "set_config");
            assertThat(config(a, "{\"client.translation_locale\": null}").get("client.translation_locale").asText()).isEqualTo("ja_jp");
            assertThat(config(a, "{}").get("gallery").get("add_to_inbox").asBoolean()).isFalse();
            assertThat(config(b, "{\"client.translation_locale\": null}").get("client.translation_locale").asText()).isEqualTo("en_us");
            assertThat(config(b, "{}").get("gallery").get("add_to_inbox").asBoolean()).isTrue();
        }
    }

    // config.py of 0.3.0 defines these namespaces and keys (hidden ones are left out of get_config)
    @Test
    void theSettingsAreThoseOfThe030Server() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            JsonNode all = config(c, "{}");
            assertThat(all.fieldNames()).toIterable().containsExactly("core", "plugin", "gallery", "db", "server", "search",
                    "scan", "client", "gui", "network", "advanced");
            assertThat(all.get("search").fieldNames()).toIterable().containsExactly("regex", "case_sensitive",
                    "match_whole_words", "match_all_terms", "descendants");
            assertThat(all.get("core").has("secret_key")).isFalse();
            assertThat(all.get("advanced").fieldNames()).toIterable().containsExactly("enabled_loggers");
            assertThat(all.get("db").get("port").isNull()).isTrue();
            assertThat(all.get("server").get("port_range").toString()).isEqualTo("{\"from\":7009,\"to\":7018}");
            assertFunctionError(c.callOne("{\"fname\": \"get_config\", \"cfg\": {\"core.secret_key\": null}}"), 0, "get_config",
                    110, "Setting with key 'core.secret_key' does not exist");
        }
    }

    // server.py get_context() ends with "self.context['config'] = {}": a re-login on the same connection empties
    // the client-isolated settings of the context it shares with the old session id
    @Test
    void aReLoginOnTheConnectionResetsTheClientIsolatedSettingsOfBothIds() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            String old = c.session();
            result(set(c, "{\"client.translation_locale\": \"de_de\"}"), 0, "set_config");
            c.handshake(RawClient.MAPPER.createObjectNode());
            c.session(old);
            assertThat(config(c, "{\"client.translation_locale\": null}").get("client.translation_locale").asText()).isEqualTo("en_us");
        }
    }

    // interface/settings.py: both functions do "for set_key in cfg" and index cfg[set_key]; get_config indexes before
    // the key check (TypeError for a list of names), set_config checks the key first (_get_cfg), then indexes
    @Test
    void aCfgThatIsNoDictFailsWhereThePythonCodeFails() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            String crash = "[100] HappypandaError: An unhandled critical error has occurred: ";
            assertServerError(c.callOne("{\"fname\": \"get_config\", \"cfg\": [\"server.port\"]}"), 100, crash + "TypeError");
            assertThat(config(c, "[]").has("server")).isTrue();
            assertFunctionError(set(c, "[\"server.nope\"]"), 0, "set_config", 110, "Setting with key 'server.nope' does not exist");
            assertFunctionError(set(c, "\"ab\""), 0, "set_config", 404, "Invalid setting 'a'");
            assertServerError(set(c, "[\"server.port\"]"), 100, crash + "TypeError");
            assertThat(result(set(c, "[]"), 0, "set_config").asText()).isEqualTo("updated");
            assertServerError(set(c, "5"), 100, crash + "TypeError");
        }
    }
}
