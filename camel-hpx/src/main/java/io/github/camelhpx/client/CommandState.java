package io.github.camelhpx.client;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** The states of an asynchronous HPX command (protocol §8.1), as {@code get_command_state} names them. */
public enum CommandState {
    OUT_OF_SERVICE,
    IN_SERVICE,
    IN_QUEUE,
    STARTED,
    FINISHED,
    STOPPED,
    FAILED;

    /** Whether the command has ended: it will not change state again. */
    public boolean isEnd() {
        return this == FINISHED || this == STOPPED || this == FAILED;
    }

    /** The name the server uses, e.g. {@code in_queue}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state as the server sends it: its number (G2, and 0.3.0's progress objects) or its wire name (G1). */
    public static CommandState of(JsonNode state) {
        if (state != null && state.isIntegralNumber()) {
            int number = state.intValue();
            if (number < 0 || number >= values().length) {
                throw new HpxProtocolException("HPX reply has an unknown command state: " + number);
            }
            return values()[number];
        }
        return of(state == null ? "" : state.asText());
    }

    /** The state with that wire name. */
    public static CommandState of(String wireName) {
        for (CommandState state : values()) {
            if (state.wireName().equals(wireName)) {
                return state;
            }
        }
        throw new HpxProtocolException("HPX reply names an unknown command state: '" + wireName + "'");
    }
}
