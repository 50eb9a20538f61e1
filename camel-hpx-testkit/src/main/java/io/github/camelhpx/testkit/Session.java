package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * One HPX session: its expiry, and the client context it uses (who logged in, notification queue, live
 * connections). Several sessions can share one context, as in the real server, where a handshake on a
 * connection that already held a session's context registered that same context under the new id.
 */
final class Session {

    /** The real server's ClientContext dict: what a re-login on the same connection replaces and shares. */
    static final class Context {
        private volatile String clientName;
        private volatile String user;
        private volatile boolean alive = true;
        private int connections;
        private final ConcurrentLinkedDeque<ObjectNode> notifications = new ConcurrentLinkedDeque<>();
        /** ctx['config']: the values of client-isolated settings, namespace -> key -> value. */
        private final Map<String, Map<String, JsonNode>> config = new ConcurrentHashMap<>();

        Context(String clientName, String user) {
            this.clientName = clientName;
            this.user = user;
        }

        /** get_context() and handshake() overwrite 'user', 'config' and 'name' in the dict they were given. */
        void login(String clientName, String user) {
            this.clientName = clientName;
            this.user = user;
            config.clear();
        }
    }

    private final String id;
    private final Context context;
    private final long spanNanos;
    private volatile long expiresAtNanos;
    private volatile boolean forcedExpired;

    Session(String id, String clientName, String user, long spanNanos) {
        this(id, new Context(clientName, user), spanNanos);
    }

    Session(String id, Context context, long spanNanos) {
        this.id = id;
        this.context = context;
        this.spanNanos = spanNanos;
        extend();
    }

    String id() {
        return id;
    }

    Context context() {
        return context;
    }

    String clientName() {
        return context.clientName;
    }

    /** The context's client-isolated settings (ctx['config']). */
    Map<String, Map<String, JsonNode>> clientConfig() {
        return context.config;
    }

    /** The user name, or null for a guest. */
    String user() {
        return context.user;
    }

    boolean expired() {
        return forcedExpired || (spanNanos > 0 && System.nanoTime() - expiresAtNanos > 0);
    }

    void extend() {
        if (spanNanos > 0) {
            expiresAtNanos = System.nanoTime() + spanNanos;
        }
    }

    void expireNow() {
        forcedExpired = true;
    }

    /** False once the quirk SESSION_DIES_WITH_LAST_CONNECTION has dropped the context. */
    boolean contextAlive() {
        return context.alive;
    }

    void connectionAttached() {
        synchronized (context) {
            context.connections++;
        }
    }

    /** Returns true when this was the last connection holding the session's context. */
    boolean connectionDetached() {
        synchronized (context) {
            return --context.connections == 0;
        }
    }

    void killContext() {
        context.alive = false;
        context.notifications.clear();
    }

    void queueNotification(ObjectNode notification) {
        context.notifications.addLast(notification);
    }

    ObjectNode pollNotification() {
        return context.notifications.pollFirst();
    }
}
