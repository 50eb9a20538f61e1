package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message the server decoded (gunzipped and parsed as JSON), whatever happened to it next.
 *
 * @param connectionId the server's id of the connection it came on (1, 2, ... in accept order)
 * @param session      the root {@code session} value if it was a string, else null
 * @param name         the root {@code name} value if it was a string, else null
 * @param data         the root {@code data} value, or null when the root had none
 * @param root         the whole decoded message
 */
public record ReceivedMessage(long connectionId, String session, String name, JsonNode data, JsonNode root) {

    static ReceivedMessage of(long connectionId, JsonNode root) {
        if (root != null && root.isObject()) {
            JsonNode s = root.get("session");
            JsonNode n = root.get("name");
            return new ReceivedMessage(connectionId,
                    s != null && s.isTextual() ? s.textValue() : null,
                    n != null && n.isTextual() ? n.textValue() : null,
                    root.get("data"), root);
        }
        return new ReceivedMessage(connectionId, null, null, null, root);
    }
}
