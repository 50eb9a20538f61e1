package io.github.camelhpx.testkit;

/**
 * The body of an API function. Return any Jackson-serialisable value (null gives {@code "data": null});
 * throw {@link HpxApiError} for a function-level error; any other exception crashes the whole message with
 * the server-level 100 error naming the exception's simple class name.
 */
@FunctionalInterface
public interface FunctionHandler {

    Object handle(FunctionCallContext call) throws Exception;
}
