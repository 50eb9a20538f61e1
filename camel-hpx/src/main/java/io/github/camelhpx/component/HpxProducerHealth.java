package io.github.camelhpx.component;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.github.camelhpx.client.HpxAuthException;
import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.HpxException;

/**
 * A producer's health as its calls show it: the outcome of the last call since the previous check or, when
 * there was none, of one {@code get_version} (no database work on the server) that the check sends itself.
 * So a busy producer is checked without a single extra request, and an idle one with one small request per
 * check, which also establishes the session, or establishes it again after the server lost it.
 * <p>
 * A producer that runs its calls in users' sessions (a login endpoint, {@code sessionFromHeader}) needs no session
 * of the component's own, which a server may refuse (guests not allowed, no credentials configured): its check
 * only reaches the server (a connection and its welcome), rather than make a failed login each time.
 */
final class HpxProducerHealth implements Supplier<HpxHealth> {

    private final HpxClient client;
    private final String server;
    private final boolean usersSessions;
    private final AtomicReference<HpxHealth> sinceLastCheck = new AtomicReference<>();

    HpxProducerHealth(HpxClient client, String server, boolean usersSessions) {
        this.client = client;
        this.server = server;
        this.usersSessions = usersSessions;
    }

    /** Takes note of how a call ended ({@code null}: it succeeded). Failures that say nothing of the server are ignored. */
    void record(Throwable failure) {
        if (HpxHealth.isUnavailable(failure)) {
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
            client.call("get_version");
            return reached();
        } catch (HpxAuthException e) {
            return HpxHealth.unavailable(server, e);
        } catch (HpxException e) {
            return HpxHealth.isUnavailable(e) ? HpxHealth.unavailable(server, e) : reached();
        }
    }

    /** Whether the server answers with its welcome: anything else (no HPX server there, another generation) is DOWN. */
    private HpxHealth reachable() {
        try {
            client.reach();
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
