package io.github.camelhpx.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The server's answer to one {@link FunctionCall}: either {@code data} or an {@code error}.
 *
 * @param fname the function's name
 * @param data  the function's return value (a JSON {@code null} when it failed or returned nothing)
 * @param error the function-level error, or {@code null} when the call succeeded
 */
public record FunctionResult(String fname, JsonNode data, HpxError error) {

    public boolean isSuccess() {
        return error == null;
    }

    /** The data, or the function-level error as an {@link HpxFunctionException}. */
    public JsonNode dataOrThrow() {
        if (error != null) {
            throw new HpxFunctionException(fname, error.code(), error.msg());
        }
        return data;
    }
}
