package io.github.camelhpx.client;

import java.time.Duration;

/**
 * An asynchronous HPX command did not end within the time its caller was willing to wait; it has been stopped
 * on the server. HPX code 102, like every timeout.
 */
public class HpxCommandTimeoutException extends HpxTimeoutException {

    private final String commandId;

    public HpxCommandTimeoutException(String commandId, Duration timeout) {
        super("HPX command " + commandId + " did not end within " + timeout + " and was stopped", timeout, null);
        this.commandId = commandId;
    }

    public String getCommandId() {
        return commandId;
    }
}
