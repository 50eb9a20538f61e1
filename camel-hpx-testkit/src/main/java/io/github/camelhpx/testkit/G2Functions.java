package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The G2 (HPX 1.0) function table: the server functions here (version, properties, user, settings,
 * reindex), the item functions of {@link G2LibraryFunctions} and the command functions of
 * {@link G2CommandFunctions}. Shapes follow HPX 1.0's web client (§9.4); the README lists what is a choice.
 */
final class G2Functions {

    /** The timestamp of users and the like: the sample library's epoch (2015-01-01). */
    private static final long EPOCH = 1_420_070_400L;

    private G2Functions() {
    }

    /** Every G2 function, in registration order. */
    static List<FunctionSpec> all() {
        List<FunctionSpec> all = new ArrayList<>(List.of(
                FunctionSpec.of("get_version").handler(call -> version()),
                FunctionSpec.of("get_properties").param("keys", null)
                        .handler(call -> G2Fields.pick(properties(call), call.arg("keys"))),
                FunctionSpec.of("get_user").handler(G2Functions::user),
                FunctionSpec.of("get_config").param("cfg", Json.object()).param("flatten", false)
                        .handler(G2Functions::getConfig),
                FunctionSpec.of("set_config").param("cfg").handler(call -> {
                    call.server().config().set(call.arg("cfg"), call.session());
                    return "updated";
                }),
                FunctionSpec.of("reindex").param("limit", null).handler(G2Functions::reindex)));
        all.addAll(G2LibraryFunctions.all());
        all.addAll(G2CommandFunctions.all());
        return all;
    }

    /** The data of the welcome, requestauth and dropauth replies: {@code {version, guest_allowed}}. */
    static ObjectNode serverInfo(HpxTestServer server) {
        return MetaFunctions.serverInfo(server, version());
    }

    /** A 1.0 server's version object. */
    static ObjectNode version() {
        return MetaFunctions.version(1, 0, 0, 1, 0, 0);
    }

    /** The tree get_properties picks from, with the keys of the web client's {@code properties()} type. */
    private static ObjectNode properties(FunctionCallContext call) {
        HpxTestServer server = call.server();
        ObjectNode p = Json.object();
        p.put("token", "camel-hpx-test-token");
        ObjectNode v = version();
        v.put("beta", false);
        v.put("alpha", true);
        v.put("name", "camel-hpx test server");
        v.put("build", "0");
        p.set("version", v);
        p.set("user", user(call));
        // ApplicationState.Normal
        p.put("state", 1);
        p.set("update", Json.array().add(1).add(0).add(0));
        p.put("guest_allowed", server.config().bool("server", "allow_guests"));
        p.put("no_namespace_key", "__namespace__");
        ObjectNode web = p.putObject("webserver");
        web.put("host", server.host());
        web.put("port", 7008);
        web.put("ssl", false);
        p.putObject("pixie").put("connect", "tcp://" + server.host() + ":7009");
        return p;
    }

    /**
     * The web client's {@code ServerUser}: {@code name} is the user name ({@code "guest"} for a guest), {@code role}
     * {@code guest}, {@code default} or {@code user}, so a test can tell whose session a call ran in.
     */
    private static ObjectNode user(FunctionCallContext call) {
        String name = call.user();
        ObjectNode u = Json.object();
        // a guest has no user row; a user's id is derived from the name, so it is stable across sessions
        u.put("id", name == null ? 0 : 1 + (name.hashCode() & 0x7fffffff) % 100_000);
        u.put("name", name == null ? "guest" : name);
        u.put("role", name == null ? "guest" : Handshake.DEFAULT_USER.equals(name) ? "default" : "user");
        u.set("rights", name == null ? Json.array().add("view") : Json.array().add("view").add("edit"));
        u.put("timestamp", EPOCH);
        u.putObject("plugin");
        return u;
    }

    private static Object getConfig(FunctionCallContext call) {
        ObjectNode values = call.server().config().get(call.arg("cfg"), call.session());
        if (!PyFormat.truthy(call.arg("flatten")) || PyFormat.truthy(call.arg("cfg"))) {
            return values;
        }
        // every setting: {namespace: {key: value}} becomes {"namespace.key": value}
        ObjectNode flat = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> ns = values.fields(); ns.hasNext(); ) {
            Map.Entry<String, JsonNode> e = ns.next();
            e.getValue().fields().forEachRemaining(kv -> flat.set(e.getKey() + "." + kv.getKey(), kv.getValue()));
        }
        return flat;
    }

    /** A long-running command (§9.4): returns its string id at once; its value is {@code {"status": true}}. */
    private static Object reindex(FunctionCallContext call) {
        ObjectNode value = Json.object();
        value.put("status", true);
        return G2CommandFunctions.idOf(call.server().commands().start("Reindexing", value));
    }
}
