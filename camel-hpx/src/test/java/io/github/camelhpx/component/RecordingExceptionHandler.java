package io.github.camelhpx.component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;

/** A consumer's exception handler that keeps what it is handed, for a test to count and inspect. */
final class RecordingExceptionHandler implements ExceptionHandler {

    private final List<Throwable> handled = new CopyOnWriteArrayList<>();
    private final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        messages.add(String.valueOf(message));
        handled.add(exception);
    }

    List<Throwable> handled() {
        return handled;
    }

    List<String> messages() {
        return messages;
    }
}
