package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An API function the server offers: its name, its parameters in signature order (required or with a
 * default) and its handler. Validation of calls (unknown function, unexpected or missing argument) follows
 * the real server for these exactly as for the built-in ones.
 *
 * <pre>{@code
 * FunctionSpec.of("echo").param("value").param("times", 1).handler(call -> call.args().get("value"))
 * }</pre>
 */
public final class FunctionSpec {

    /** One parameter; {@code defaultValue} is null for a required one. */
    record Param(String name, JsonNode defaultValue) {
        boolean required() {
            return defaultValue == null;
        }
    }

    private final String name;
    private final List<Param> params;
    private final FunctionHandler handler;

    private FunctionSpec(String name, List<Param> params, FunctionHandler handler) {
        this.name = name;
        this.params = params;
        this.handler = handler;
    }

    /** A function without parameters that returns null until a handler is set. */
    public static FunctionSpec of(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("function name must not be empty");
        }
        return new FunctionSpec(name, List.of(), call -> null);
    }

    /**
     * {@code echo(value)}: returns its argument. Not offered by default; register it with
     * {@code .function(FunctionSpec.echo())} to prove that every reply reaches its own caller.
     */
    public static FunctionSpec echo() {
        return of("echo").param("value").handler(call -> call.args().get("value"));
    }

    /** Adds a required parameter. */
    public FunctionSpec param(String paramName) {
        return withParam(new Param(paramName, null));
    }

    /** Adds an optional parameter with a default (any Jackson-serialisable value; null means JSON null). */
    public FunctionSpec param(String paramName, Object defaultValue) {
        JsonNode def = defaultValue instanceof JsonNode
                ? (JsonNode) defaultValue
                : Json.MAPPER.valueToTree(defaultValue);
        return withParam(new Param(paramName, def == null ? Json.NODES.nullNode() : def));
    }

    private FunctionSpec withParam(Param p) {
        Objects.requireNonNull(p.name(), "parameter name");
        if ("fname".equals(p.name())) {
            throw new IllegalArgumentException("'fname' cannot be a parameter");
        }
        for (Param existing : params) {
            if (existing.name().equals(p.name())) {
                throw new IllegalArgumentException("duplicate parameter '" + p.name() + "' in " + name);
            }
        }
        List<Param> copy = new ArrayList<>(params);
        copy.add(p);
        return new FunctionSpec(name, Collections.unmodifiableList(copy), handler);
    }

    /** Sets the handler (the last one set wins). */
    public FunctionSpec handler(FunctionHandler newHandler) {
        return new FunctionSpec(name, params, Objects.requireNonNull(newHandler, "handler"));
    }

    public String name() {
        return name;
    }

    /** Parameter names in signature order. */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        for (Param p : params) {
            names.add(p.name());
        }
        return names;
    }

    List<Param> params() {
        return params;
    }

    boolean hasParam(String paramName) {
        for (Param p : params) {
            if (p.name().equals(paramName)) {
                return true;
            }
        }
        return false;
    }

    FunctionHandler handler() {
        return handler;
    }

    @Override
    public String toString() {
        return "FunctionSpec" + parameterNames().toString().replace('[', '(').replace(']', ')') + " " + name;
    }
}
