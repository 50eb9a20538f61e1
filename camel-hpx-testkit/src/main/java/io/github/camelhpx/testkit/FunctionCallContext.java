package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;

/** What a {@link FunctionHandler} sees of one call. */
public final class FunctionCallContext {

    private final HpxTestServer server;
    private final Session session;
    private final String functionName;
    private final ObjectNode args;

    FunctionCallContext(HpxTestServer server, Session session, String functionName, ObjectNode args) {
        this.server = server;
        this.session = session;
        this.functionName = functionName;
        this.args = args;
    }

    /** The id of the session the call was made in. */
    public String sessionId() {
        return session.id();
    }

    /** The client name sent with the session's handshake. */
    public String clientName() {
        return session.clientName();
    }

    /** The logged-in user, or null for a guest. */
    public String user() {
        return session.user();
    }

    public String functionName() {
        return functionName;
    }

    /** The call's arguments with the defaults of omitted optional parameters filled in. */
    public ObjectNode args() {
        return args;
    }

    /** One argument (never null: JSON null if absent). */
    public JsonNode arg(String name) {
        JsonNode v = args.get(name);
        return v == null ? Json.NODES.nullNode() : v;
    }

    public HpxTestServer server() {
        return server;
    }

    /**
     * Starts an asynchronous command (§8.1) that runs for {@code duration} and then ends {@code finished}
     * with {@code value}, or {@code failed} when {@code fail} is true. Returns its command id.
     */
    public int startCommand(String title, Duration duration, Object value, boolean fail) {
        return server.commands().start(title, duration, Json.toJson(value), fail);
    }

    Session session() {
        return session;
    }
}
