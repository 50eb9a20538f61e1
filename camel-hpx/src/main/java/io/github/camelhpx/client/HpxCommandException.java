package io.github.camelhpx.client;

/** An asynchronous HPX command ended in the state {@code failed} (CommandError). HPX code 120. */
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
