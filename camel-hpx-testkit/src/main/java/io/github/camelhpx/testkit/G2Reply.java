package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a G2 server sends back for one request.
 *
 * @param id      the request's {@code __id__}, echoed verbatim; null when it had none usable
 * @param session the root {@code session} of the reply
 * @param data    the root {@code data} (ignored when {@code error} is set)
 * @param error   a root error, or null
 * @param after   run once the reply is on the wire (serverquit, serverrestart), or null
 */
record G2Reply(JsonNode id, String session, JsonNode data, HpxApiError error, Runnable after) {

    static G2Reply of(JsonNode id, String session, JsonNode data) {
        return new G2Reply(id, session, data, null, null);
    }

    static G2Reply error(JsonNode id, String session, HpxApiError error) {
        return new G2Reply(id, session, null, error, null);
    }

    G2Reply then(Runnable action) {
        return new G2Reply(id, session, data, error, action);
    }
}
