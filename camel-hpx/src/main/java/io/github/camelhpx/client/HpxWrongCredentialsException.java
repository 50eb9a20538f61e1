package io.github.camelhpx.client;

/** Unknown user or wrong password (AuthWrongCredentialsError). HPX code 411. */
public class HpxWrongCredentialsException extends HpxAuthException {

    public static final int CODE = 411;

    public HpxWrongCredentialsException(String serverMessage) {
        super(CODE, serverMessage);
    }
}
