package io.github.camelhpx.client;

/**
 * An asynchronous HPX command can no longer be followed: while it was awaited, the server said it no longer knew the
 * client's session, because it restarted (which forgets its commands and counts their ids from the start again, so
 * that the id may name another command) or the session expired; or the client moved to another server, which never
 * knew the command. How the command ended is unknown, and it was not stopped: a {@code stop_command} could reach
 * another command. A kind of {@link HpxCommandException}, HPX code 120.
 */
public class HpxCommandLostException extends HpxCommandException {

    public HpxCommandLostException(String commandId) {
        super(commandId, "HPX command " + commandId + " can no longer be followed: while it was awaited, the server lost"
                + " the client's session (it restarted, or the session expired), or the client moved to another server;"
                + " how it ended is unknown, and it was not stopped");
    }
}
