package io.github.camelhpx.component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.camelhpx.client.HpxClientStats;

/** How a shared client's numbers are shown, in JMX and the dev console: the session only as present or absent. */
final class HpxStats {

    private HpxStats() {
    }

    static String session(boolean established) {
        return established ? "present" : "absent";
    }

    /** The numbers by name, in the order the dev console lists them. */
    static Map<String, Object> describe(HpxClientStats stats) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("server", stats.server());
        shown.put("user", stats.user());
        shown.put("protocol", stats.protocol().name());
        shown.put("session", session(stats.sessionEstablished()));
        shown.put("connectionsOpen", stats.connectionsOpen());
        shown.put("connectionsBusy", stats.connectionsBusy());
        shown.put("connectionsIdle", stats.connectionsIdle());
        shown.put("callsInFlight", stats.callsInFlight());
        shown.put("callsCompleted", stats.callsCompleted());
        shown.put("callsFailed", stats.callsFailed());
        shown.put("logins", stats.logins());
        shown.put("lastError", stats.lastError());
        shown.put("lastErrorTime", Objects.toString(stats.lastErrorAt(), null));
        return shown;
    }
}
