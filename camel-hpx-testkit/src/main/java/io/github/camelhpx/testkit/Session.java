package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.ConcurrentLinkedDeque;

/** One HPX session: who logged in, when it expires, and its context (notification queue, live connections). */
final class Session {

    private final String id;
    private final String clientName;
    private final String user;
    private final long spanNanos;
    private volatile long expiresAtNanos;
    private volatile boolean forcedExpired;
    private volatile boolean contextAlive = true;
    private int connections;
    private final ConcurrentLinkedDeque<ObjectNode> notifications = new ConcurrentLinkedDeque<>();

    Session(String id, String clientName, String user, long spanNanos) {
        this.id = id;
        this.clientName = clientName;
        this.user = user;
        this.spanNanos = spanNanos;
        extend();
    }

    String id() {
        return id;
    }

    String clientName() {
        return clientName;
    }

    /** The user name, or null for a guest. */
    String user() {
        return user;
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
        return contextAlive;
    }

    synchronized void connectionAttached() {
        connections++;
    }

    /** Returns true when this was the last connection holding the session's context. */
    synchronized boolean connectionDetached() {
        return --connections == 0;
    }

    void killContext() {
        contextAlive = false;
        notifications.clear();
    }

    void queueNotification(ObjectNode notification) {
        notifications.addLast(notification);
    }

    ObjectNode pollNotification() {
        return notifications.pollFirst();
    }
}
