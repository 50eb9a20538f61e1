package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The §8 functions about the server itself: version, settings, locales, notifications, application control. */
final class MetaFunctions {

    private static final AtomicInteger VIEW_IDS = new AtomicInteger(1);

    private MetaFunctions() {
    }

    static List<FunctionSpec> all() {
        return List.of(
                FunctionSpec.of("get_version").handler(call -> version()),
                FunctionSpec.of("get_changelog").handler(call -> "## v0.3.0\n- The camel-hpx test server"),
                FunctionSpec.of("get_config").param("cfg", Json.object())
                        .handler(call -> call.server().config().get(call.arg("cfg"), call.session())),
                FunctionSpec.of("set_config").param("cfg").handler(call -> {
                    call.server().config().set(call.arg("cfg"), call.session());
                    return "updated";
                }),
                FunctionSpec.of("get_locales").handler(call -> locales()),
                FunctionSpec.of("get_notification").param("scope", null).param("msg_id", null).param("expired", false)
                        .handler(call -> call.session().pollNotification()),
                FunctionSpec.of("reply_notification").param("msg_id").param("action_values")
                        .handler(MetaFunctions::replyNotification),
                FunctionSpec.of("check_update").param("push", false)
                        .handler(call -> call.server().commands().start("Checking for updates", update())),
                FunctionSpec.of("update_application").param("download_url", null).param("restart", true)
                        .handler(call -> call.server().commands().start("Updating application", Json.NODES.booleanNode(true))),
                FunctionSpec.of("scan_galleries").param("path").param("scan_options", Json.object())
                        .handler(MetaFunctions::scanGalleries),
                FunctionSpec.of("restart_application").handler(call -> {
                    call.server().restart();
                    throw new NoReply();
                }),
                FunctionSpec.of("shutdown_application").handler(call -> {
                    call.server().quit();
                    throw new NoReply();
                }));
    }

    /** The data of the welcome message (§3). */
    static ObjectNode welcome(HpxTestServer server) {
        return serverInfo(server, version());
    }

    /** {@code {version, guest_allowed}}: the welcome's data in both generations, which differ only in the version. */
    static ObjectNode serverInfo(HpxTestServer server, ObjectNode version) {
        ObjectNode w = Json.object();
        w.set("version", version);
        w.put("guest_allowed", server.config().bool("server", "allow_guests"));
        return w;
    }

    /** The version object of get_version and of the welcome message. */
    static ObjectNode version() {
        return version(0, 3, 0, 0, 2, 0);
    }

    /** A version object; the torrent part is 0.0.0 in every release the test server imitates. */
    static ObjectNode version(int coreMajor, int coreMinor, int corePatch, int dbMajor, int dbMinor, int dbPatch) {
        ObjectNode v = Json.object();
        v.set("core", Json.array().add(coreMajor).add(coreMinor).add(corePatch));
        v.set("db", Json.array().add(dbMajor).add(dbMinor).add(dbPatch));
        v.set("torrent", Json.array().add(0).add(0).add(0));
        return v;
    }

    private static ObjectNode update() {
        ObjectNode u = Json.object();
        u.put("url", "https://github.com/happypandax/happypandax/releases/tag/v0.3.1");
        u.put("tag", "v0.3.1");
        u.put("changes", "Bug fixes");
        return u;
    }

    /** get_locales over 0.3.0's translations/ folder (listed in name order; the server took os.scandir's order). */
    private static ObjectNode locales() {
        ObjectNode l = Json.object();
        ObjectNode da = l.putObject("da_dk");
        da.put("locale", "Dansk (Danmark)");
        da.putArray("namespaces").add("general").add("ui");
        ObjectNode en = l.putObject("en_us");
        en.put("locale", "English (United States)");
        en.putArray("namespaces").add("general").add("gui").add("tag").add("ui");
        return l;
    }

    private static Object replyNotification(FunctionCallContext call) {
        JsonNode values = call.arg("action_values");
        if (!values.isObject()) {
            // the server did action_values.items()
            throw new PyCrash("AttributeError");
        }
        // ClientNotifications.reply: "v[int(i)] = k" for every key
        values.fieldNames().forEachRemaining(k -> {
            if (!k.strip().matches("[+-]?[0-9]+(_[0-9]+)*")) {
                throw new PyCrash("ValueError");
            }
        });
        call.server().recordNotificationReply(call.arg("msg_id"), values);
        return true;
    }

    private static Object scanGalleries(FunctionCallContext call) {
        ObjectNode value = Json.object();
        value.put("path", PyFormat.str(call.arg("path")));
        value.put("count", 0);
        int commandId = call.server().commands().start("Scanning for galleries", value);
        ObjectNode result = Json.object();
        result.put("command_id", commandId);
        result.put("view_id", VIEW_IDS.getAndIncrement());
        return result;
    }
}
