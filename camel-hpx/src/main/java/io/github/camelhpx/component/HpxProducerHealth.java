package io.github.camelhpx.component;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.github.camelhpx.client.HpxAuthException;
import io.github.camelhpx.client.HpxClientBusyException;
import io.github.camelhpx.client.HpxCommandTimeoutException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxTimeoutException;

/**
 * A producer's health as its calls show it: the outcome of the last call since the previous check or, when
 * there was none, of one {@code get_version} (no database work on the server) that the check sends itself.
 * So a busy producer is checked without a single extra request, and an idle one with one small request per
 * check, shared with the other producers of its client ({@link HpxClientProbe}), which also establishes the
 * session, or establishes it again after the server lost it. A call that ran out of time tells nothing sure (a
 * slow function, or a server that hangs): the check then sends its own.
 * <p>
 * A producer that runs its calls in users' sessions (a login endpoint, {@code sessionFromHeader}) needs no session
 * of the component's own, which a server may refuse (guests not allowed, no credentials configured): its check
 * only reaches the server (a connection and its welcome), rather than make a failed login each time.
 */
final class HpxProducerHealth implements Supplier<HpxHealth> {

    private final HpxClientProbe probe;
    private final String server;
    private final boolean usersSessions;
    private final AtomicReference<HpxHealth> sinceLastCheck = new AtomicReference<>();

    HpxProducerHealth(HpxClientProbe probe, String server, boolean usersSessions) {
        this.probe = probe;
        this.server = server;
        this.usersSessions = usersSessions;
    }

    /**
     * Takes note of how a call ended ({@code null}: it succeeded). Failures that say nothing of the server are ignored;
     * a call that ran out of time, or that the client had no room for, leaves the next check to probe.
     */
    void record(Throwable failure) {
        if (failure instanceof HpxTimeoutException && !(failure instanceof HpxCommandTimeoutException)
            || failure instanceof HpxClientBusyException) {
            sinceLastCheck.set(null);
        } else if (HpxHealth.isUnavailable(failure)) {
            sinceLastCheck.set(HpxHealth.unavailable(server, (HpxException) failure));
        } else if (failure == null || failure instanceof HpxException) {
            sinceLastCheck.set(reached());
        }
    }

    @Override
    public HpxHealth get() {
        HpxHealth seen = sinceLastCheck.getAndSet(null);
        return seen != null ? seen : probe();
    }

    private HpxHealth probe() {
        try {
            if (usersSessions) {
                return reachable();
            }
            probe.call();
            return reached();
        } catch (HpxAuthException | HpxClientBusyException e) {
            // Busy: the server was not asked, and the session is not known to work.
            return HpxHealth.unavailable(server, e);
        } catch (HpxException e) {
            return HpxHealth.isUnavailable(e) ? HpxHealth.unavailable(server, e) : reached();
        }
    }

    /** Whether the server answers with its welcome: anything else (no HPX server there, another generation) is DOWN. */
    private HpxHealth reachable() {
        try {
            probe.reach();
            return HpxHealth.up("HPX server " + server + " can be reached (this producer logs users in, and needs"
                    + " no session of its own)");
        } catch (HpxException e) {
            return HpxHealth.unavailable(server, e);
        }
    }

    private HpxHealth reached() {
        return HpxHealth.up("Session with HPX server " + server + " established");
    }
}
