package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.List;

/**
 * Answers one decoded G2 request (§9.3): {@code __id__} first, so that every later error can echo it, then
 * the root keys, then the {@code command}. Failures become root errors with the G1 codes; a call without a
 * usable session gets 407.
 */
final class G2MessageHandler {

    /** The commands of the JS client's {@code ServerCommand} type; only the names are accepted. */
    static final List<String> COMMANDS = List.of("handshake", "call", "requestauth", "dropauth", "serverquit",
            "serverrestart");
    private static final List<String> REQUIRED_KEYS = List.of("command", "session", "name");
    private static final List<String> ROOT_KEYS = List.of("__id__", "command", "session", "name", "data");

    private final HpxTestServer server;
    private final Handshake handshake;
    private final FunctionDispatcher dispatcher;

    G2MessageHandler(HpxTestServer server, Handshake handshake, FunctionDispatcher dispatcher) {
        this.server = server;
        this.handshake = handshake;
        this.dispatcher = dispatcher;
    }

    G2Reply handle(long connectionId, G2FrameReader.Frame frame) {
        if (frame.error() != null) {
            return G2Reply.error(null, "", frame.error());
        }
        JsonNode root = frame.root();
        server.record(connectionId, root);
        if (!root.isObject()) {
            return G2Reply.error(null, "", new HpxApiError(403, "A dict was expected, not: " + PyFormat.str(root)));
        }
        JsonNode id = root.get("__id__");
        if (id == null || id.isNull()) {
            return G2Reply.error(null, "", new HpxApiError(403, "JSON dict missing '__id__' key"));
        }
        if (!id.isTextual() && !id.isIntegralNumber()) {
            return G2Reply.error(null, "", new HpxApiError(403,
                    "Invalid '__id__' (a string or an integer is required): " + PyFormat.str(id)));
        }
        try {
            return run(id, (ObjectNode) root);
        } catch (HpxApiError e) {
            return G2Reply.error(id, sessionOf(root), e);
        } catch (PyCrash e) {
            return G2Reply.error(id, sessionOf(root), new HpxApiError(100, PyCrash.criticalMessage(e.pythonType())));
        } catch (RuntimeException e) {
            return G2Reply.error(id, sessionOf(root),
                    new HpxApiError(100, PyCrash.criticalMessage(e.getClass().getSimpleName())));
        }
    }

    private G2Reply run(JsonNode id, ObjectNode received) {
        checkKeys(received);
        // a shallow copy, so that the tree kept by receivedMessages() shows what the client sent
        ObjectNode root = Json.object();
        root.setAll(received);
        JsonNode command = root.get("command");
        String name = command.isTextual() ? command.textValue() : null;
        if (name == null || !COMMANDS.contains(name)) {
            throw new HpxApiError(403, "Unknown command: '" + PyFormat.str(command) + "'");
        }
        if (!root.has("data")) {
            // an absent data means nil (a writer that leaves out null values sends it so)
            root.putNull("data");
        }
        switch (name) {
            case "handshake":
                return G2Reply.of(id, handshake.login(root).id(), Json.NODES.textNode("Authenticated"));
            case "requestauth":
                // the old session stays valid; the client is expected to handshake again
                return G2Reply.of(id, "", G2Functions.serverInfo(server));
            case "dropauth":
                drop(root.get("session"));
                return G2Reply.of(id, "", G2Functions.serverInfo(server));
            case "serverquit":
                return G2Reply.of(id, sessionOf(root), Json.NODES.textNode("ok")).then(server::quit);
            case "serverrestart":
                return G2Reply.of(id, sessionOf(root), Json.NODES.textNode("ok")).then(server::restart);
            default:
                return call(id, root);
        }
    }

    private G2Reply call(JsonNode id, ObjectNode root) {
        Session s = liveSession(root.get("session"));
        JsonNode data = root.get("data");
        if (!data.isArray()) {
            throw new HpxApiError(403, "No list of function objects found in 'data'");
        }
        ArrayNode results = Json.array();
        for (FunctionDispatcher.Result r : dispatcher.callInRequestOrder(s, (ArrayNode) data)) {
            ObjectNode f = results.addObject();
            f.put("fname", r.fname());
            if (r.error() == null) {
                f.set("data", (JsonNode) Json.toJson(r.data()));
            } else {
                f.putNull("data");
                ObjectNode e = f.putObject("error");
                e.put("code", r.error().code());
                e.put("msg", r.error().msg());
            }
        }
        return G2Reply.of(id, s.id(), results);
    }

    /** The session a call runs in: missing, unknown or logged out is 407; expired is 408 as in G1. */
    private Session liveSession(JsonNode sessionField) {
        Session s = sessionField.isTextual() ? server.sessions().lookup(sessionField.textValue()) : null;
        if (s == null || !s.contextAlive()) {
            throw new HpxApiError(407, "Authentication is required");
        }
        if (s.expired()) {
            throw new HpxApiError(408, "Session '" + s.id() + "' has expired");
        }
        s.extend();
        return s;
    }

    /** dropauth logs out: the session can no longer be used (an unknown one is ignored). */
    private void drop(JsonNode sessionField) {
        Session s = sessionField.isTextual() ? server.sessions().lookup(sessionField.textValue()) : null;
        if (s != null) {
            s.killContext();
        }
    }

    private static void checkKeys(ObjectNode root) {
        for (String k : REQUIRED_KEYS) {
            if (!root.has(k)) {
                throw new HpxApiError(403, "JSON dict missing '" + k + "' key");
            }
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!ROOT_KEYS.contains(k)) {
                throw new HpxApiError(403, "JSON dict contains unknown key '" + k + "'");
            }
        }
    }

    /** The request's session if it is a string, for the root of error replies. */
    private static String sessionOf(JsonNode root) {
        JsonNode s = root.get("session");
        return s != null && s.isTextual() ? s.textValue() : "";
    }
}
