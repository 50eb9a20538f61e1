package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The server settings behind get_config/set_config, as {@code namespace -> key -> value}. It belongs to the
 * server object, not to a run, so values survive {@link HpxTestServer#restart()} like the real server's
 * saved config. {@code server.allow_guests} and {@code server.disable_default_user} are read live.
 */
final class ConfigStore {

    private final Map<String, Map<String, JsonNode>> settings = new LinkedHashMap<>();
    /** The {@code this} namespace of each client name (client-specific settings). */
    private final Map<String, Map<String, JsonNode>> clientSpaces = new LinkedHashMap<>();

    ConfigStore(int port, String host, String serverName, boolean guests, boolean disableDefaultUser,
                long sessionSpanMinutes, boolean ssl) {
        Map<String, JsonNode> core = ns("core");
        core.put("debug", bool(false));
        core.put("dev", bool(false));
        core.put("auto_install_plugin", bool(false));
        Map<String, JsonNode> server = ns("server");
        server.put("host", Json.NODES.textNode(host));
        server.put("port", Json.NODES.numberNode(port));
        server.put("server_name", Json.NODES.textNode(serverName));
        server.put("allow_guests", bool(guests));
        server.put("disable_default_user", bool(disableDefaultUser));
        server.put("session_span", Json.NODES.numberNode(sessionSpanMinutes));
        server.put("enable_ssl", bool(ssl));
        server.put("allowed_clients", Json.NODES.numberNode(0));
        server.put("expose_server", bool(false));
        Map<String, JsonNode> web = ns("web");
        web.put("host", Json.NODES.textNode(host));
        web.put("port", Json.NODES.numberNode(7008));
        Map<String, JsonNode> gallery = ns("gallery");
        gallery.put("auto_rate_on_read", bool(true));
        gallery.put("send_to_inbox", bool(true));
        Map<String, JsonNode> search = ns("search");
        search.put("case_sensitive", bool(false));
        search.put("regex", bool(false));
        search.put("match_whole_words", bool(false));
        search.put("match_exact", bool(false));
        Map<String, JsonNode> client = ns("client");
        client.put("translation_locale", Json.NODES.textNode("en_us"));
    }

    private Map<String, JsonNode> ns(String name) {
        return settings.computeIfAbsent(name, k -> new LinkedHashMap<>());
    }

    private static JsonNode bool(boolean b) {
        return Json.NODES.booleanNode(b);
    }

    synchronized boolean bool(String ns, String key) {
        JsonNode v = settings.get(ns).get(key);
        return PyFormat.truthy(v);
    }

    synchronized void put(String ns, String key, JsonNode value) {
        ns(ns).put(key, value);
    }

    /** get_config: {@code {}} gives every setting; otherwise {@code "ns.key": default} per requested key. */
    synchronized ObjectNode get(JsonNode cfg, String clientName) {
        ObjectNode values = Json.object();
        if (PyFormat.truthy(cfg)) {
            for (Iterator<String> it = keysOf(cfg); it.hasNext(); ) {
                String setKey = it.next();
                JsonNode def = cfg.isObject() ? cfg.get(setKey) : Json.NODES.nullNode();
                String[] nk = split(setKey);
                Map<String, JsonNode> space = space(nk[0], clientName);
                JsonNode v = space == null ? null : space.get(nk[1].toLowerCase(Locale.ROOT));
                if (v == null) {
                    if (space == null || !isClientSpace(nk[0]) || def.isNull()) {
                        throw new HpxApiError(110, "Setting with key '" + setKey + "' does not exist");
                    }
                    v = def;
                }
                values.set(setKey, v);
            }
        } else {
            for (Map.Entry<String, Map<String, JsonNode>> e : settings.entrySet()) {
                ObjectNode nsNode = values.putObject(e.getKey());
                e.getValue().forEach(nsNode::set);
            }
            Map<String, JsonNode> mine = clientSpaces.get(clientName.toLowerCase(Locale.ROOT));
            if (mine != null) {
                ObjectNode nsNode = values.putObject("this");
                mine.forEach(nsNode::set);
            }
        }
        return values;
    }

    /** set_config: every key must exist, except in the client's own {@code this} namespace. */
    synchronized void set(JsonNode cfg, String clientName) {
        if (!cfg.isObject()) {
            throw new PyCrash(cfg.isArray() ? "TypeError" : "AttributeError");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = cfg.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String[] nk = split(e.getKey());
            if (isClientSpace(nk[0])) {
                clientSpaces.computeIfAbsent(clientName.toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>())
                        .put(nk[1].toLowerCase(Locale.ROOT), e.getValue());
                continue;
            }
            Map<String, JsonNode> space = settings.get(nk[0].toLowerCase(Locale.ROOT));
            if (space == null || !space.containsKey(nk[1].toLowerCase(Locale.ROOT))) {
                throw new HpxApiError(110, "Setting with key '" + e.getKey() + "' does not exist");
            }
            space.put(nk[1].toLowerCase(Locale.ROOT), e.getValue());
        }
    }

    private Map<String, JsonNode> space(String ns, String clientName) {
        if (isClientSpace(ns)) {
            return clientSpaces.getOrDefault(clientName.toLowerCase(Locale.ROOT), Map.of());
        }
        return settings.get(ns.toLowerCase(Locale.ROOT));
    }

    private static boolean isClientSpace(String ns) {
        return "this".equalsIgnoreCase(ns);
    }

    private static Iterator<String> keysOf(JsonNode cfg) {
        if (cfg.isObject()) {
            return cfg.fieldNames();
        }
        if (cfg.isArray()) {
            java.util.List<String> keys = new java.util.ArrayList<>();
            cfg.forEach(k -> keys.add(PyFormat.str(k)));
            return keys.iterator();
        }
        throw new PyCrash("TypeError");
    }

    /** The real server's split of {@code "ns.key"}; anything else is a 404 "Invalid setting". */
    private static String[] split(String keyName) {
        String[] parts = java.util.Arrays.stream(keyName.strip().split("\\."))
                .filter(p -> !p.isEmpty()).map(String::strip).toArray(String[]::new);
        if (parts.length != 2) {
            throw new HpxApiError(404, "Invalid setting '" + keyName + "'");
        }
        return parts;
    }
}
