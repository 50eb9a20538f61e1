package io.github.camelhpx.testkit;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * All sessions ever created since the last restart. Expired sessions stay (they keep answering 408, as the
 * real server never removed them); sessions whose context died stay too, so their id is "known but dead".
 */
final class SessionRegistry {

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final long spanNanos;
    private final BooleanSupplier dieWithLastConnection;

    SessionRegistry(long spanNanos, BooleanSupplier dieWithLastConnection) {
        this.spanNanos = spanNanos;
        this.dieWithLastConnection = dieWithLastConnection;
    }

    Session create(String clientName, String user) {
        return create(new Session.Context(clientName, user));
    }

    /** A new session id for an existing context (a re-login on a connection that held that context). */
    Session create(Session.Context context) {
        // uuid4().hex: 32 lowercase hex characters, as the real server made them
        String id = UUID.randomUUID().toString().replace("-", "");
        Session s = new Session(id, context, spanNanos);
        sessions.put(id, s);
        return s;
    }

    Session lookup(String id) {
        return sessions.get(id);
    }

    void attach(Session s) {
        s.connectionAttached();
    }

    void detach(Session s) {
        if (s.connectionDetached() && dieWithLastConnection.getAsBoolean()) {
            s.killContext();
        }
    }

    /** Sessions a client can still use: not expired, context alive. */
    Set<String> liveIds() {
        return sessions.values().stream()
                .filter(s -> !s.expired() && s.contextAlive())
                .map(Session::id)
                .collect(Collectors.toUnmodifiableSet());
    }

    Iterable<Session> all() {
        return sessions.values();
    }

    void clear() {
        sessions.clear();
    }
}
