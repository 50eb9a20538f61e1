package io.github.camelhpx.component;

import java.util.Map;
import java.util.function.Supplier;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.ServerAddress;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * A readiness check of the hpx component that reports what its source says, with the servers' addresses and the
 * one the client is on. Its id and details hold no credential: no password, and no session id, which would let
 * anyone use the session.
 */
final class HpxHealthCheck implements HealthCheck {

    static final String SERVER = "hpx.server";
    static final String PROTOCOL = "hpx.protocol";
    static final String CURRENT_SERVER = "hpx.currentServer";
    /** The detail Camel's own consumer checks give the endpoint's URI (sanitized) under. */
    static final String ENDPOINT_URI = "endpoint.uri";

    private final String id;
    private final String server;
    private final String endpointUri;
    private final Supplier<HpxHealth> source;
    private final Supplier<HpxClient> client;
    private volatile boolean enabled = true;

    /**
     * @param server      the configured servers
     * @param endpointUri sanitized, or {@code null} when the check that calls this one shows it
     * @param client      the client, or {@code null} while there is none
     */
    HpxHealthCheck(String id, String server, String endpointUri, Supplier<HpxHealth> source,
            Supplier<HpxClient> client) {
        this.id = id;
        this.server = server;
        this.endpointUri = endpointUri;
        this.source = source;
        this.client = client;
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this).detail(SERVER, server);
        if (endpointUri != null) {
            builder.detail(ENDPOINT_URI, endpointUri);
        }
        if (!enabled) {
            return builder.message("Disabled").detail(CHECK_ENABLED, false).unknown().build();
        }
        HpxHealth health = source.get();
        HpxClient current = client.get();
        builder.message(health.message()).detail(PROTOCOL, (current == null ? HpxProtocol.AUTO : current.protocol()).name());
        ServerAddress on = current == null ? null : current.server();
        if (on != null) {
            builder.detail(CURRENT_SERVER, on.toString());
        }
        if (health.up()) {
            return builder.up().build();
        }
        return builder.error(health.cause()).down().build();
    }

    /** A server that is away makes the route not ready; restarting the application would not bring it back. */
    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public String getGroup() {
        return "camel";
    }

    @Override
    public String getId() {
        return id;
    }
}
