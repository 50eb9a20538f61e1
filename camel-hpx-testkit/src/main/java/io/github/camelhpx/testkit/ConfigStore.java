package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server settings behind get_config/set_config, as {@code namespace -> key -> value}. It belongs to the
 * server object, not to a run, so values survive {@link HpxTestServer#restart()} like the real server's
 * saved config. {@code server.allow_guests} and {@code server.disable_default_user} are read live.
 */
final class ConfigStore {

    /** One ConfigNode of 0.3.0's config.py: its Python type(s) and whether it is stored per client context. */
    private static final class Node {
        final List<String> types;
        final boolean clientIsolated;

        Node(List<String> types, boolean clientIsolated) {
            this.types = types;
            this.clientIsolated = clientIsolated;
        }
    }

    private final Map<String, Map<String, JsonNode>> settings = new LinkedHashMap<>();
    private final Map<String, Map<String, Node>> nodes = new LinkedHashMap<>();
    /** The {@code this} namespace of each client name (client-specific settings). */
    private final Map<String, Map<String, JsonNode>> clientSpaces = new LinkedHashMap<>();

    ConfigStore(int port, String host, String serverName, boolean guests, boolean disableDefaultUser,
                long sessionSpanMinutes, boolean ssl) {
        // every non-hidden node of 0.3.0's config.py, in its order, with its default and type_
        node("core", "debug", bool(false));
        node("core", "report_critical_errors", bool(true));
        node("core", "concurrent_image_tasks", num(10));
        node("core", "concurrent_network_tasks", num(50));
        node("core", "check_new_releases", bool(true));
        node("core", "auto_install_release", bool(true));
        node("core", "check_release_interval", num(20));
        node("core", "allow_beta_releases", bool(true));
        node("core", "allow_alpha_releases", bool(false));
        node("core", "unrar_tool_path", text("unrar"));
        node("core", "auto_thumb_clean_size", num(400));
        node("core", "auto_temp_clean_size", num(500));
        node("plugin", "auto_install_plugin", bool(false));
        node("plugin", "auto_install_plugin_dependency", bool(true));
        node("plugin", "plugin_dir", text(""));
        node("gallery", "external_image_viewer", text(""));
        node("gallery", "external_image_viewer_args", text(""));
        node("gallery", "send_to_trash", bool(true));
        node("gallery", "send_path_to_first_file", bool(false));
        clientNode("gallery", "add_to_inbox", bool(true));
        node("gallery", "auto_rate_on_favorite", bool(true));
        node("db", "dialect", text("sqlite"));
        node("db", "name", text("happypanda"));
        node("db", "username", Json.NODES.nullNode(), "str");
        node("db", "password", Json.NODES.nullNode(), "str");
        node("db", "host", Json.NODES.nullNode(), "str");
        node("db", "port", Json.NODES.nullNode(), "int");
        node("db", "query", Json.object(), "dict");
        node("db", "sqlite_database_timeout", num(30));
        node("db", "pool_size", num(15));
        node("db", "pool_timeout", num(45));
        node("server", "server_name", text(serverName));
        node("server", "port", num(port));
        node("server", "port_web", num(7008));
        node("server", "torrent_port", num(7006));
        ObjectNode range = Json.object();
        range.put("from", 7009);
        range.put("to", 7018);
        node("server", "port_range", range);
        node("server", "host", text(host));
        node("server", "host_web", text(""));
        node("server", "expose_server", bool(false));
        node("server", "allowed_clients", num(0));
        node("server", "allow_guests", bool(guests));
        node("server", "require_auth", bool(false));
        node("server", "disable_default_user", bool(disableDefaultUser));
        node("server", "session_span", Json.NODES.numberNode(sessionSpanMinutes));
        node("server", "enable_ssl", bool(ssl), "str", "bool");
        node("server", "server_cert", cert());
        node("server", "web_cert", cert());
        node("search", "regex", bool(false));
        node("search", "case_sensitive", bool(false));
        node("search", "match_whole_words", bool(false));
        node("search", "match_all_terms", bool(true));
        node("search", "descendants", bool(true));
        clientNode("scan", "skip_existing_galleries", bool(true));
        clientNode("scan", "scan_component_path", text("{gallery}"));
        clientNode("client", "translation_locale", text("en_us"));
        node("gui", "start_on_boot", bool(false));
        node("gui", "autostart_server", bool(false));
        node("gui", "start_minimized_to_tray", bool(false));
        node("gui", "send_to_tray_on_close", bool(false));
        node("gui", "send_to_tray_on_minimize", bool(false));
        node("gui", "open_webclient_on_server_start", bool(true));
        node("network", "request_timeout", num(30));
        ObjectNode proxy = Json.object();
        proxy.put("http", "");
        proxy.put("https", "");
        node("network", "proxy", proxy);
        node("advanced", "enabled_loggers", Json.array());
    }

    private void node(String ns, String key, JsonNode value, String... types) {
        define(ns, key, value, false, types);
    }

    private void clientNode(String ns, String key, JsonNode value) {
        define(ns, key, value, true);
    }

    private void define(String ns, String key, JsonNode value, boolean clientIsolated, String... types) {
        // type_ defaults to type(default)
        List<String> t = types.length > 0 ? List.of(types) : List.of(pyType(value));
        settings.computeIfAbsent(ns, k -> new LinkedHashMap<>()).put(key, value);
        nodes.computeIfAbsent(ns, k -> new LinkedHashMap<>()).put(key, new Node(t, clientIsolated));
    }

    private static ObjectNode cert() {
        ObjectNode c = Json.object();
        c.putNull("certfile");
        c.putNull("keyfile");
        return c;
    }

    private static JsonNode bool(boolean b) {
        return Json.NODES.booleanNode(b);
    }

    private static JsonNode num(int n) {
        return Json.NODES.numberNode(n);
    }

    private static JsonNode text(String t) {
        return Json.NODES.textNode(t);
    }

    /** The name of {@code type(value)} once json.loads has made the value a Python object. */
    private static String pyType(JsonNode v) {
        if (v == null || v.isNull()) {
            return "NoneType";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        if (v.isIntegralNumber()) {
            return "int";
        }
        if (v.isNumber()) {
            return "float";
        }
        if (v.isTextual()) {
            return "str";
        }
        return v.isArray() ? "list" : "dict";
    }

    /** {@code isinstance(value, t)}: bool is a subclass of int. */
    private static boolean isInstance(JsonNode v, List<String> types) {
        String t = pyType(v);
        return types.contains(t) || ("bool".equals(t) && types.contains("int"));
    }

    /** {@code '{}'.format(t)} for a type or a tuple of types. */
    private static String typeRepr(List<String> types) {
        if (types.size() == 1) {
            return "<class '" + types.get(0) + "'>";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < types.size(); i++) {
            sb.append(i > 0 ? ", " : "").append("<class '").append(types.get(i)).append("'>");
        }
        return sb.append(')').toString();
    }

    synchronized boolean bool(String ns, String key) {
        JsonNode v = settings.get(ns).get(key);
        return PyFormat.truthy(v);
    }

    synchronized void put(String ns, String key, JsonNode value) {
        settings.computeIfAbsent(ns, k -> new LinkedHashMap<>()).put(key, value);
    }

    /** The value a session sees: its context's value for a client-isolated node, else the server's. */
    private JsonNode value(String ns, String key, Session session) {
        Map<String, JsonNode> own = session.clientConfig().get(ns);
        JsonNode v = own == null ? null : own.get(key);
        return v != null ? v : settings.get(ns).get(key);
    }

    /** get_config: {@code {}} gives every setting; otherwise {@code "ns.key": default} per requested key. */
    synchronized ObjectNode get(JsonNode cfg, Session session) {
        String clientName = session.clientName();
        ObjectNode values = Json.object();
        if (PyFormat.truthy(cfg)) {
            if (!cfg.isObject()) {
                // "_get_cfg(set_key, cfg[set_key] is None)": cfg[set_key] fails first for a list, str or number
                JsonNode first = cfg.isArray() ? cfg.get(0) : null;
                throw new PyCrash(first != null && (first.isIntegralNumber() || first.isBoolean()) ? "AttributeError" : "TypeError");
            }
            for (Iterator<String> it = keysOf(cfg); it.hasNext(); ) {
                String setKey = it.next();
                JsonNode def = cfg.isObject() ? cfg.get(setKey) : Json.NODES.nullNode();
                String[] nk = split(setKey);
                String ns = nk[0].toLowerCase(Locale.ROOT);
                String key = nk[1].toLowerCase(Locale.ROOT);
                JsonNode v;
                if (isClientSpace(ns)) {
                    // Config.get enters the namespace, which creates it: get_config({}) then shows "this": {}
                    v = clientSpaces.computeIfAbsent(clientName.toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>()).get(key);
                } else {
                    v = settings.containsKey(ns) && settings.get(ns).containsKey(key) ? value(ns, key, session) : null;
                }
                if (v == null) {
                    if (!isClientSpace(ns) || def.isNull()) {
                        throw new HpxApiError(110, "Setting with key '" + setKey + "' does not exist");
                    }
                    v = def;
                }
                // Config.get: "if v is None: return default"
                values.set(setKey, v.isNull() ? def : v);
            }
        } else {
            // interface/settings.py get_config: values["this"] is set before the namespaces are walked
            Map<String, JsonNode> mine = clientSpaces.get(clientName.toLowerCase(Locale.ROOT));
            if (mine != null) {
                ObjectNode nsNode = values.putObject("this");
                mine.forEach(nsNode::set);
            }
            for (Map.Entry<String, Map<String, Node>> e : nodes.entrySet()) {
                ObjectNode nsNode = values.putObject(e.getKey());
                for (String key : e.getValue().keySet()) {
                    nsNode.set(key, value(e.getKey(), key, session));
                }
            }
        }
        return values;
    }

    /**
     * set_config, key by key as interface/settings.py did (keys before a failing one stay set): the key must
     * exist unless in the client's own {@code this} namespace; a server setting's value must be an instance of
     * the node's type; client-isolated nodes go to the session's context; others through Config.update, which
     * knows only the lower-case key.
     */
    synchronized void set(JsonNode cfg, Session session) {
        if (!cfg.isObject()) {
            // "for set_key in cfg": _get_cfg(set_key) runs on each name first, then cfg[set_key] fails
            for (JsonNode k : iterated(cfg)) {
                if (!k.isTextual()) {
                    throw new PyCrash("AttributeError");
                }
                String[] nk = split(k.textValue());
                String ns = nk[0].toLowerCase(Locale.ROOT);
                Node node = nodes.containsKey(ns) ? nodes.get(ns).get(nk[1].toLowerCase(Locale.ROOT)) : null;
                if (node == null && !isClientSpace(ns)) {
                    throw new HpxApiError(110, "Setting with key '" + k.textValue() + "' does not exist");
                }
                throw new PyCrash("TypeError");
            }
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = cfg.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String[] nk = split(e.getKey());
            String ns = nk[0].toLowerCase(Locale.ROOT);
            String key = nk[1];
            String lowerKey = key.toLowerCase(Locale.ROOT);
            if (isClientSpace(ns)) {
                clientSpaces.computeIfAbsent(session.clientName().toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>())
                        .put(lowerKey, e.getValue());
                continue;
            }
            Node node = nodes.containsKey(ns) ? nodes.get(ns).get(lowerKey) : null;
            if (node == null) {
                throw new HpxApiError(110, "Setting with key '" + e.getKey() + "' does not exist");
            }
            if (!isInstance(e.getValue(), node.types)) {
                throw new HpxApiError(404, "Setting '" + e.getKey() + "' expected '" + typeRepr(node.types)
                        + "' but got '" + typeRepr(List.of(pyType(e.getValue()))) + "'");
            }
            if (node.clientIsolated) {
                session.clientConfig().computeIfAbsent(ns, k -> new java.util.concurrent.ConcurrentHashMap<>()).put(lowerKey, e.getValue());
                continue;
            }
            if (!key.equals(lowerKey)) {
                // Config.update: "if key not in self._cfg[self._current_ns]: raise CoreError(...)"
                throw new HpxApiError(101, "key '" + key + "' doesn't exist in namespace '" + ns + "'");
            }
            settings.get(ns).put(lowerKey, e.getValue());
        }
    }

    /** What Python's {@code for x in value} yields: list elements, a string's characters; a number is no iterable. */
    private static List<JsonNode> iterated(JsonNode v) {
        List<JsonNode> out = new java.util.ArrayList<>();
        if (v.isArray()) {
            v.forEach(out::add);
        } else if (v.isTextual()) {
            v.textValue().codePoints().forEach(cp -> out.add(Json.NODES.textNode(new String(Character.toChars(cp)))));
        } else {
            throw new PyCrash("TypeError");
        }
        return out;
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
