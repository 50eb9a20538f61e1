package io.github.camelhpx.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The message the server sends first on every connection.
 *
 * @param serverName   the server's {@code name}
 * @param version      the {@code version} object, e.g. {@code {"core": [0, 3, 0], "db": [0, 2, 0], ...}}
 * @param guestAllowed whether the server lets clients in without credentials
 */
public record Welcome(String serverName, JsonNode version, boolean guestAllowed) {

    /** The core version as {@code major.minor.patch}, e.g. {@code 0.3.0}; empty when the server sent none. */
    public String coreVersion() {
        JsonNode core = version == null ? null : version.get("core");
        if (core == null || !core.isArray()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : core) {
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(part.asText());
        }
        return sb.toString();
    }
}
