package io.github.camelhpx.client;

/**
 * An asynchronous HPX command ended in the state {@code failed} (CommandError), or can no longer be followed
 * ({@link HpxCommandLostException}). HPX code 120.
 */
public class HpxCommandException extends HpxException {

    public static final int CODE = 120;

    private final String commandId;

    public HpxCommandException(String commandId, String message) {
        super(CODE, message);
        this.commandId = commandId;
    }

    public String getCommandId() {
        return commandId;
    }
}
