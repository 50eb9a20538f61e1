package io.github.camelhpx.component;

import java.time.Duration;

import io.github.camelhpx.client.HpxClient;

import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;

/** Translates an {@link HpxConfiguration} into the protocol client's builder, which checks every value. */
final class HpxClientFactory {

    private HpxClientFactory() {
    }

    static HpxClient.Builder builder(HpxConfiguration configuration, CamelContext context) {
        HpxClient.Builder builder = HpxClient.builder()
                .host(configuration.getHost())
                .port(configuration.getPort())
                .clientName(configuration.getClientName())
                .credentials(configuration.getUser(), configuration.getPassword())
                .sessionId(configuration.getSessionId())
                .connectTimeout(Duration.ofMillis(configuration.getConnectTimeout()))
                .requestTimeout(Duration.ofMillis(configuration.getRequestTimeout()))
                .poolSize(configuration.getPoolSize())
                .maxMessageSize(configuration.getMaxMessageSize())
                .compressionLevel(configuration.getCompressionLevel());
        if (configuration.getObjectMapper() != null) {
            builder.objectMapper(configuration.getObjectMapper());
        }
        if (configuration.getSslContextParameters() != null) {
            try {
                builder.sslContext(configuration.getSslContextParameters().createSSLContext(context));
            } catch (Exception e) {
                throw new RuntimeCamelException("Cannot set up TLS for the HPX server " + configuration.getHost() + ":"
                                                + configuration.getPort() + ": " + e.getMessage(), e);
            }
        }
        return builder;
    }
}
