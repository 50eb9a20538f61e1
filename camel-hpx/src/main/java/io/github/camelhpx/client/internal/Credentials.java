package io.github.camelhpx.client.internal;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A user name and password for the handshake. {@link #toString()} never shows the password. */
public record Credentials(String user, String password) {

    public Credentials {
        Objects.requireNonNull(user, "user");
        if (password == null) {
            // Sent as null, it would log the user "default" in on HPX 0.x even where the server disabled that user.
            throw new IllegalArgumentException("HPX user '" + user + "' has no password; a login needs one");
        }
    }

    /** The {@code data} of a handshake with {@code credentials}: {@code {}} (a guest) when there are none. */
    static JsonNode handshakeData(Credentials credentials) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        if (credentials != null) {
            data.put("user", credentials.user());
            data.put("password", credentials.password());
        }
        return data;
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=******]";
    }
}
