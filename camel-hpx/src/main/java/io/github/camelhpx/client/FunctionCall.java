package io.github.camelhpx.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One HPX function call: the function name and its keyword arguments, sent as {@code {"fname": ..., "arg": ...}}.
 */
public record FunctionCall(String fname, Map<String, Object> args) {

    public FunctionCall {
        Objects.requireNonNull(fname, "fname");
        if (fname.isEmpty()) {
            throw new IllegalArgumentException("fname must not be empty");
        }
        args = args == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(args));
        if (args.containsKey("fname")) {
            throw new IllegalArgumentException("'fname' is the function's name and cannot be an argument");
        }
    }

    public static FunctionCall of(String fname) {
        return new FunctionCall(fname, Map.of());
    }

    public static FunctionCall of(String fname, Map<String, ?> args) {
        return new FunctionCall(fname, args == null ? null : new LinkedHashMap<>(args));
    }
}
