package io.github.camelhpx.client;

import java.util.Locale;
import java.util.Optional;

/**
 * The HPX server commands: in G1 sent as a message's whole {@code data} (by name or number), in G2 as its
 * {@code command}.
 */
public enum ServerCommand {
    SERVER_QUIT(1, "serverquit"),
    SERVER_RESTART(2, "serverrestart"),
    REQUEST_AUTH(3, "requestauth"),
    /** G2's logout; G1 has no such command (number 0: none), so a G1 client only forgets its session. */
    DROP_AUTH(0, "dropauth");

    private final int number;
    private final String wireName;

    ServerCommand(int number, String wireName) {
        this.number = number;
        this.wireName = wireName;
    }

    public int number() {
        return number;
    }

    /** The name the server accepts, e.g. {@code serverquit}. */
    public String wireName() {
        return wireName;
    }

    /** The command with that wire name (any case) or enum name; empty for anything else. */
    public static Optional<ServerCommand> byName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (ServerCommand c : values()) {
            if (c.wireName.equals(lower) || c.name().equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public static Optional<ServerCommand> byNumber(int number) {
        for (ServerCommand c : values()) {
            if (c.number == number && number != 0) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
