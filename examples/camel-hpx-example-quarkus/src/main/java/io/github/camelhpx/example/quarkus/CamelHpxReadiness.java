package io.github.camelhpx.example.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The hpx component's health checks (its producers' and consumers', from Camel's registry) as one readiness check
 * of {@code /q/health}: UP when all are, with each check's state and server in its data.
 * <p>
 * Camel Quarkus's own bridge, {@code camel-quarkus-microprofile-health}, reports every Camel check the same way;
 * where it is available, add it and drop this class.
 */
@Readiness
@ApplicationScoped
public class CamelHpxReadiness implements org.eclipse.microprofile.health.HealthCheck {

    static final String NAME = "camel-hpx";
    /** The detail that the hpx checks carry: the server's host:port (never a password or session id). */
    private static final String SERVER = "hpx.server";
    /** Every check's result: Camel's default exposure gives one result when all are UP. */
    private static final String FULL = "full";

    @Inject
    CamelContext camel;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        for (HealthCheck.Result result : HealthCheckHelper.invokeReadiness(camel, FULL)) {
            Object server = result.getDetails().get(SERVER);
            if (server == null) {
                continue;
            }
            String state = result.getState() + " " + server;
            if (result.getState() != HealthCheck.State.UP) {
                response.down();
                state += result.getMessage().map(message -> ": " + message).orElse("");
            }
            response.withData(result.getCheck().getId(), state);
        }
        return response.build();
    }
}
