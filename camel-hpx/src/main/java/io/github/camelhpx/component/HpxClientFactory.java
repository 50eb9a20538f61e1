package io.github.camelhpx.component;

import java.time.Duration;
import java.util.Locale;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.HpxProtocol;

import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;

/** Translates an {@link HpxConfiguration} into the protocol client's builder, which checks every value. */
final class HpxClientFactory {

    private HpxClientFactory() {
    }

    static HpxClient.Builder builder(HpxConfiguration configuration, CamelContext context) {
        HpxClient.Builder builder = HpxClient.builder()
                .servers(configuration.servers())
                .failback(configuration.isFailback() ? Duration.ofMillis(configuration.getFailbackInterval()) : null)
                .clientName(configuration.getClientName())
                .credentials(configuration.getUser(), configuration.getPassword())
                .sessionId(configuration.getSessionId())
                .connectTimeout(Duration.ofMillis(configuration.getConnectTimeout()))
                .requestTimeout(Duration.ofMillis(configuration.getRequestTimeout()))
                .poolSize(configuration.getPoolSize())
                .protocol(protocol(configuration.getProtocol()))
                .maxInFlight(configuration.getMaxInFlight())
                .retryOnConnectionFailure(configuration.isRetryOnConnectionFailure())
                .idleTimeout(configuration.getIdleTimeout() > 0 ? Duration.ofMillis(configuration.getIdleTimeout()) : null)
                .maxMessageSize(configuration.getMaxMessageSize())
                .compressionLevel(configuration.getCompressionLevel())
                .dumpFailedFrames(configuration.isDumpFailedFrames());
        if (configuration.getObjectMapper() != null) {
            builder.objectMapper(configuration.getObjectMapper());
        }
        if (configuration.getSslContextParameters() != null) {
            try {
                builder.sslContext(configuration.getSslContextParameters().createSSLContext(context));
            } catch (Exception e) {
                throw new RuntimeCamelException("Cannot set up TLS for the HPX server " + configuration.getHost() + ": "
                                                + e.getMessage(), e);
            }
        }
        return builder;
    }

    static HpxProtocol protocol(String name) {
        try {
            return HpxProtocol.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("protocol must be auto, g1 or g2, was '" + name + "'", e);
        }
    }
}
