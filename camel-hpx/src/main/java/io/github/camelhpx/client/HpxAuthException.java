package io.github.camelhpx.client;

/**
 * Authentication failed (HPX AuthError, 406). The subclasses name the codes 407, 408, 411 and 412; use
 * {@link #of(int, String)} to get the right one for a server code.
 */
public class HpxAuthException extends HpxServerException {

    public static final int CODE = 406;

    public HpxAuthException(int code, String serverMessage) {
        super(code, serverMessage);
    }

    /** Whether a server-level error code belongs to the authentication family. */
    public static boolean isAuthCode(int code) {
        return code == CODE || code == HpxAuthRequiredException.CODE || code == HpxSessionExpiredException.CODE
                || code == HpxWrongCredentialsException.CODE || code == HpxMissingCredentialsException.CODE;
    }

    /** The typed exception for an authentication error code. */
    public static HpxAuthException of(int code, String serverMessage) {
        return switch (code) {
            case HpxAuthRequiredException.CODE -> new HpxAuthRequiredException(serverMessage);
            case HpxSessionExpiredException.CODE -> new HpxSessionExpiredException(serverMessage);
            case HpxWrongCredentialsException.CODE -> new HpxWrongCredentialsException(serverMessage);
            case HpxMissingCredentialsException.CODE -> new HpxMissingCredentialsException(serverMessage);
            default -> new HpxAuthException(code, serverMessage);
        };
    }
}
