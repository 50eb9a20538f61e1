package io.github.camelhpx.component;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.github.camelhpx.client.HpxTimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.RuntimeCamelException;

/**
 * Turns a failed call into the exception the exchange carries: the client's typed exceptions as they are, so
 * that {@code onException(HpxFunctionException.class)} matches, except timeouts, which become Camel's
 * {@link ExchangeTimedOutException} with the client's exception as cause.
 */
final class HpxErrors {

    private HpxErrors() {
    }

    static Exception forExchange(Exchange exchange, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof HpxTimeoutException timeout) {
            ExchangeTimedOutException timedOut
                    = new ExchangeTimedOutException(exchange, timeout.getTimeout().toMillis(), timeout.getMessage());
            timedOut.initCause(timeout);
            return timedOut;
        }
        return cause instanceof Exception exception ? exception : new RuntimeCamelException(cause);
    }

    /** The failure itself, out of the wrappers of CompletableFuture and Future. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
