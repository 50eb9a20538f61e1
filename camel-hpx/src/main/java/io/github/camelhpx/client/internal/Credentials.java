package io.github.camelhpx.client.internal;

import java.util.Objects;

/** A user name and password for the handshake. {@link #toString()} never shows the password. */
public record Credentials(String user, String password) {

    public Credentials {
        Objects.requireNonNull(user, "user");
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=******]";
    }
}
