package io.github.camelhpx.client;

/** The handshake lacked or misspelt the user and password keys (AuthMissingCredentials). HPX code 412. */
public class HpxMissingCredentialsException extends HpxAuthException {

    public static final int CODE = 412;

    public HpxMissingCredentialsException(String serverMessage) {
        super(CODE, serverMessage);
    }
}
