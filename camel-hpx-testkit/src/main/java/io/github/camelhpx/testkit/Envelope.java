package io.github.camelhpx.testkit;

/** Writes the root object of a server message: session, name, data and, for errors, error. */
final class Envelope {

    private Envelope() {
    }

    static void write(PyJsonWriter w, String session, String serverName, Object data, HpxApiError error) {
        w.raw("{\"session\": ");
        w.string(session);
        w.raw(", \"name\": ");
        w.string(serverName);
        w.raw(", \"data\": ");
        if (error != null) {
            w.raw("null, \"error\": ");
            FunctionDispatcher.writeError(w, error);
        } else {
            w.value(data == null ? Json.NODES.nullNode() : data);
        }
        w.raw("}");
    }
}
