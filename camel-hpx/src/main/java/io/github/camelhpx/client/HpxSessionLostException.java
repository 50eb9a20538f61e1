package io.github.camelhpx.client;

/**
 * A request made in a given session ({@link HpxRequest#inSession}) found that session gone: expired, logged out,
 * forgotten in a server restart, or never known to the server. The client does not log in again for a session it
 * was given: whoever holds the credentials must. The code is the server's (407, 408, ...) or, when the server
 * took the request for a new login as HPX 0.x does with a session it does not know, 406.
 * <p>
 * Neither the message nor {@link #getServerMessage()} repeats the server's text, which may name the session id.
 */
public class HpxSessionLostException extends HpxAuthException {

    private static final String LOST = "the HPX session of the request is no longer valid (expired, logged out or lost"
            + " in a server restart): log in again";

    public HpxSessionLostException(int code) {
        super(code, LOST);
    }
}
