package io.github.camelhpx.client;

import java.time.Duration;

/**
 * An asynchronous HPX command did not end within the time its caller was willing to wait; it has been stopped
 * on the server. HPX code 102, like every timeout.
 */
public class HpxCommandTimeoutException extends HpxTimeoutException {

    private final String commandId;

    /** {@code lastState}, named in the message, is the state the last answered poll reported, or {@code null}. */
    public HpxCommandTimeoutException(String commandId, Duration timeout, CommandState lastState) {
        super("HPX command " + commandId + " did not end within " + timeout
              + (lastState == null ? " (no poll answered)" : " (last state " + lastState.wireName() + ")")
              + " and was stopped", timeout, null);
        this.commandId = commandId;
    }

    public String getCommandId() {
        return commandId;
    }
}
