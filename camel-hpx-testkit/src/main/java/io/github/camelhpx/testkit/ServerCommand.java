package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/** HPX's ServerCommand enum and how a root {@code data} value is recognised as one (§4). */
enum ServerCommand {
    ServerQuit(1), ServerRestart(2), RequestAuth(3);

    private final int value;

    ServerCommand(int value) {
        this.value = value;
    }

    /** The command {@code data} names, or null: exact name, integer, name in any case, or true (= 1). */
    static ServerCommand of(JsonNode data) {
        if (data == null) {
            return null;
        }
        if (data.isTextual()) {
            String lower = data.textValue().toLowerCase(Locale.ROOT);
            for (ServerCommand c : values()) {
                if (c.name().toLowerCase(Locale.ROOT).equals(lower)) {
                    return c;
                }
            }
            return null;
        }
        long v;
        if (data.isBoolean()) {
            v = data.booleanValue() ? 1 : 0;
        } else if (data.isIntegralNumber() && data.canConvertToLong()) {
            v = data.longValue();
        } else {
            return null;
        }
        for (ServerCommand c : values()) {
            if (c.value == v) {
                return c;
            }
        }
        return null;
    }
}
