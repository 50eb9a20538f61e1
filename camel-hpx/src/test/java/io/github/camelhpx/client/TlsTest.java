package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestTls;

import org.junit.jupiter.api.Test;

/** TLS: the certificate and the host name are both verified. */
class TlsTest {

    private static HpxTestServer serverWith(SSLContext tls) {
        return HpxTestServer.builder().tls(tls).function(FunctionSpec.echo()).build().start();
    }

    @Test
    void trustedCertificateCarriesTheProtocol() {
        try (HpxTestServer server = serverWith(HpxTestTls.serverContext());
             HpxClient client = TestClients.to(server).host("localhost").sslContext(HpxTestTls.clientContext()).build()) {
            assertThat(client.call("echo", Map.of("value", "over tls")).asText()).isEqualTo("over tls");
        }
    }

    @Test
    void untrustedCertificateIsAClearConnectionError() throws Exception {
        try (HpxTestServer server = serverWith(HpxTestTls.serverContext());
             HpxClient client = TestClients.to(server).sslContext(SSLContext.getDefault()).build()) {
            assertThatThrownBy(client::authenticate)
                    .isInstanceOf(HpxConnectionException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("failed");
        }
    }

    @Test
    void certificateForAnotherHostIsRefused() {
        try (HpxTestServer server = serverWith(HpxTestTls.wrongHostServerContext());
             HpxClient client = TestClients.to(server).host("localhost").sslContext(trustingEverySelfSignedTestCertificate()).build()) {
            assertThatThrownBy(client::authenticate)
                    .isInstanceOf(HpxConnectionException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class)
                    .hasStackTraceContaining("No subject alternative DNS name matching localhost");
        }
    }

    @Test
    void plainClientAgainstATlsServerFailsWithoutHanging() {
        try (HpxTestServer server = serverWith(HpxTestTls.serverContext());
             HpxClient client = TestClients.to(server).connectTimeout(java.time.Duration.ofSeconds(2)).build()) {
            assertThatThrownBy(client::authenticate).isInstanceOf(HpxException.class);
        }
    }

    /** Trusts the wrong-host certificate, so that only the host name check can refuse it. */
    private static SSLContext trustingEverySelfSignedTestCertificate() {
        try (var in = HpxTestTls.class.getClassLoader().getResourceAsStream(HpxTestTls.WRONG_HOST_KEYSTORE)) {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(in, HpxTestTls.PASSWORD.toCharArray());
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory
                    .getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
