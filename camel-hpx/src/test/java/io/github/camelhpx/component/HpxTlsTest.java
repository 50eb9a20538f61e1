package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.HpxTestTls;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.extension.ComponentVerifierExtension;
import org.apache.camel.component.extension.ComponentVerifierExtension.Result;
import org.apache.camel.component.extension.ComponentVerifierExtension.Scope;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TLS against a server presenting the testkit's localhost certificate ({@link HpxTestTls}). */
class HpxTlsTest extends HpxCamelTestSupport {

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server.tls(HpxTestTls.serverContext()));

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("trusting", trusting());
        // Trusts only the JDK's certificate authorities, which never signed the test certificate.
        registry.bind("untrusting", new SSLContextParameters());
        registry.bind("noTrustStore", withTrustStore("classpath:no/such/truststore.p12"));
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:trusting").to("hpx:get_version?sslContextParameters=#trusting");
                from("direct:untrusting").to("hpx:get_version?sslContextParameters=#untrusting");
            }
        };
    }

    @Test
    void aServerWithATrustedCertificateIsCalledOverTls() {
        Exchange reply = template.request("direct:trusting", null);

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(JsonNode.class).has("core")).isTrue();
    }

    @Test
    void theGlobalSslContextParametersAreUsedWhenAllowed() throws Exception {
        context.setSSLContextParameters(trusting());
        context.getComponent("hpx", HpxComponent.class).setUseGlobalSslContextParameters(true);
        // Added now: an endpoint takes the global parameters when it is created.
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:global").to("hpx:get_version");
            }
        });

        Exchange reply = template.request("direct:global", null);

        assertThat(reply.getException()).isNull();
    }

    /** The verifier's connectivity check takes the global parameters as an endpoint does. */
    @Test
    void theVerifierUsesTheGlobalSslContextParametersWhenAllowed() {
        context.setSSLContextParameters(trusting());
        context.getComponent("hpx", HpxComponent.class).setUseGlobalSslContextParameters(true);

        Result result = verifier().verify(Scope.CONNECTIVITY, serverOptions());

        assertThat(result.getErrors()).isEmpty();
        assertThat(result.getStatus()).isEqualTo(Result.Status.OK);
    }

    /** TLS that cannot be set up is the verifier's answer, as an error on the option, not an exception. */
    @Test
    void theVerifierReportsTlsThatCannotBeSetUp() {
        Map<String, Object> parameters = serverOptions();
        parameters.put("sslContextParameters", "#noTrustStore");

        Result result = verifier().verify(Scope.CONNECTIVITY, parameters);

        assertThat(result.getStatus()).isEqualTo(Result.Status.ERROR);
        assertThat(result.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getParameterKeys()).containsExactly("sslContextParameters");
            assertThat(error.getDescription()).contains("Cannot set up TLS");
        });
    }

    private ComponentVerifierExtension verifier() {
        return context.getComponent("hpx").getExtension(ComponentVerifierExtension.class).orElseThrow();
    }

    private Map<String, Object> serverOptions() {
        return new HashMap<>(Map.of("host", server().host(), "port", server().port()));
    }

    @Test
    void anUntrustedCertificateFailsClearly() {
        Exchange reply = template.request("direct:untrusting", null);

        assertThat(reply.getException()).isInstanceOf(HpxConnectionException.class)
                .hasMessageContaining("TLS with HPX server " + server().host() + ":" + server().port() + " failed")
                .hasMessageContaining("unable to find valid certification path");
    }

    private static SSLContextParameters trusting() {
        return withTrustStore("classpath:" + HpxTestTls.TRUSTSTORE);
    }

    private static SSLContextParameters withTrustStore(String resource) {
        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setResource(resource);
        trustStore.setPassword(HpxTestTls.PASSWORD);
        trustStore.setType("PKCS12");
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setKeyStore(trustStore);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trustManagers);
        return parameters;
    }
}
