package io.github.camelhpx.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.github.camelhpx.testkit.Replies.result;
import static org.assertj.core.api.Assertions.assertThat;

/** TLS on the same port, with a self-signed certificate made by the JDK's keytool. */
class TlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    private Path keystore() throws Exception {
        Path ks = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "hpx", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return ks;
    }

    private static SSLContext trusting(Path ks) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PASSWORD);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void theProtocolRunsOverTls() throws Exception {
        Path ks = keystore();
        try (HpxTestServer server = HpxTestServer.builder().tls(HpxTestServerMain.sslContext(ks, PASSWORD)).build().start();
             RawClient c = RawClient.connect(server, trusting(ks).getSocketFactory())) {
            assertThat(c.read().path("data").path("guest_allowed").asBoolean()).isTrue();
            c.handshake(RawClient.MAPPER.createObjectNode());
            assertThat(result(c.callOne("{\"fname\": \"get_config\", \"cfg\": {\"server.enable_ssl\": null}}"), 0, "get_config")
                    .get("server.enable_ssl").asBoolean()).isTrue();
        }
    }

    @Test
    void shippedTestCertificatesWorkTogether() throws Exception {
        try (HpxTestServer server = HpxTestServer.builder().tls(HpxTestTls.serverContext()).build().start();
             RawClient c = RawClient.connect(server, HpxTestTls.clientContext().getSocketFactory())) {
            assertThat(c.read().path("data").path("guest_allowed").asBoolean()).isTrue();
        }
    }
}
