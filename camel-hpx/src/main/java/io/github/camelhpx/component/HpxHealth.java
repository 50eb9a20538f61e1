package io.github.camelhpx.component;

import io.github.camelhpx.client.HpxAuthException;
import io.github.camelhpx.client.HpxCommandTimeoutException;
import io.github.camelhpx.client.HpxClientBusyException;
import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxServerMismatchException;

/**
 * What an hpx health check reports: UP, or DOWN with the reason and the failure behind it.
 *
 * @param up      whether a session with the server works
 * @param message what to tell, with the server's address but never a password or session id
 * @param cause   the failure that makes it DOWN, or {@code null}
 */
record HpxHealth(boolean up, String message, Throwable cause) {

    static HpxHealth up(String message) {
        return new HpxHealth(true, message, null);
    }

    static HpxHealth down(String message, Throwable cause) {
        return new HpxHealth(false, message, cause);
    }

    /**
     * DOWN because of a failure that {@link #isUnavailable} says keeps the session from working, or because the client
     * had no room for the check's own call (the server was not asked).
     */
    static HpxHealth unavailable(String server, HpxException failure) {
        String reason = failure instanceof HpxAuthException ? "HPX server " + server + " refuses the login: "
                : failure instanceof HpxServerMismatchException ? "HPX server " + server + " cannot be used: "
                : failure instanceof HpxClientBusyException ? "The HPX client has no room to call HPX server " + server
                        + ": "
                : "HPX server " + server + " cannot be reached: ";
        return down(reason + failure.getMessage(), failure);
    }

    /**
     * Whether a failure means the server cannot be used: it cannot be reached, it is no HPX server of the generation
     * set, or it refuses the login. Any other HPX failure (a function error, an awaited command that ran too long, a
     * reply that breaks the protocol, ...) came from a server that answered.
     */
    static boolean isUnavailable(Throwable failure) {
        return failure instanceof HpxAuthException || failure instanceof HpxServerMismatchException
               || failure instanceof HpxConnectionException && !(failure instanceof HpxCommandTimeoutException)
                  && !(failure instanceof HpxClientBusyException);
    }
}
