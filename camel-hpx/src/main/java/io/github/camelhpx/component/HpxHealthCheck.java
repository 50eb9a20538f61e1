package io.github.camelhpx.component;

import java.util.Map;
import java.util.function.Supplier;

import io.github.camelhpx.client.HpxProtocol;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * A readiness check of the hpx component that reports what its source says, with the server's address. Its id
 * and details hold no credential: no password, and no session id, which would let anyone use the session.
 */
final class HpxHealthCheck implements HealthCheck {

    static final String SERVER = "hpx.server";
    static final String PROTOCOL = "hpx.protocol";
    /** The detail Camel's own consumer checks give the endpoint's URI (sanitized) under. */
    static final String ENDPOINT_URI = "endpoint.uri";

    private final String id;
    private final String server;
    private final String endpointUri;
    private final Supplier<HpxHealth> source;
    private final Supplier<HpxProtocol> protocol;
    private volatile boolean enabled = true;

    /** {@code endpointUri}: sanitized, or {@code null} when the check that calls this one shows it. */
    HpxHealthCheck(String id, String server, String endpointUri, Supplier<HpxHealth> source,
            Supplier<HpxProtocol> protocol) {
        this.id = id;
        this.server = server;
        this.endpointUri = endpointUri;
        this.source = source;
        this.protocol = protocol;
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
        builder.message(health.message()).detail(PROTOCOL, protocol.get().name());
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
