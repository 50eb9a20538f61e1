package io.github.camelhpx.client;

/**
 * The client refused a call it had no room for: its executor refused it (its queue full), or 10,000 calls already
 * waited for a G2 request slot, or for a G2 connection being opened. Nothing of the call was sent. It says nothing of
 * the server, which a producer's health check does not count against; retry later, or give the client more room
 * ({@code poolSize}, {@code maxInFlight}, the executor). HPX code 501, as a plain {@link HpxConnectionException}.
 */
public class HpxClientBusyException extends HpxConnectionException {

    public HpxClientBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
