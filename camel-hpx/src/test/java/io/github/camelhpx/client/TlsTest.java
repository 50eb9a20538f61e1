package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxFaultProxy;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestTls;
import io.github.camelhpx.testkit.Toxic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    /** A reply bound through a deserializer that waits until released. */
    record HeldUp(String value) {
    }

    /**
     * A call whose deadline passes while its reply is decoded has its socket closed by the watchdog: that connection is
     * not used again. Over TLS the pool's check on borrow cannot see it (an SSLSocket's available() says 0 on a closed
     * socket), so before, the next call went on it and failed with a timeout of its own, however much time it had.
     */
    @Test
    void aConnectionClosedAtItsCallsDeadlineWhileTheReplyWasDecodedIsNotUsedAgain() throws Exception {
        CountDownLatch decoding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ObjectMapper mapper = new ObjectMapper().registerModule(new SimpleModule().addDeserializer(HeldUp.class,
                new StdDeserializer<HeldUp>(HeldUp.class) {
                    @Override
                    public HeldUp deserialize(JsonParser p, DeserializationContext context) throws IOException {
                        decoding.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return new HeldUp(p.getValueAsString());
                    }
                }));
        try (HpxTestServer server = serverWith(HpxTestTls.serverContext());
             HpxClient client = TestClients.to(server).host("localhost").sslContext(HpxTestTls.clientContext())
                     .poolSize(1).objectMapper(mapper).build();
             AutoCloseable released = release::countDown) {
            client.call("echo", Map.of("value", "first"));
            CompletableFuture<HeldUp> held = CompletableFuture.supplyAsync(() -> client.execute(HpxRequest.function(
                    "echo", Map.of("value", "held")).as(HeldUp.class).timeout(Duration.ofSeconds(2))));
            assertThat(decoding.await(5, TimeUnit.SECONDS)).isTrue();
            await().until(() -> server.openConnections() == 0);

            release.countDown();
            held.handle((reply, failure) -> reply).get(5, TimeUnit.SECONDS);

            assertThat(client.call("echo", Map.of("value", "next")).asText()).isEqualTo("next");
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

    /** The JDK says so only at the first connect, where it read as "HPX client is closed", or escaped untyped. */
    @Test
    void anSslContextNotInitialisedIsRefusedByTheBuilder() throws Exception {
        SSLContext uninitialised = SSLContext.getInstance("TLS");

        assertThatThrownBy(() -> HpxClient.builder().sslContext(uninitialised))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sslContext is not initialised: call its init first");
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

    /**
     * A write stuck on a server that stopped reading holds the TLS record lock that a TLS close (its close_notify)
     * waits for: closing the client must end the connection at once all the same, and fail the call, long before
     * its deadline.
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closingTheClientWhileATlsWriteIsStuckEndsTheCallAtOnce() throws Exception {
        // More than the loopback's socket buffers on both sides of the proxy can take
        String large = TestClients.randomText(16 * 1024 * 1024);
        try (HpxTestServer server = serverWith(HpxTestTls.serverContext());
             HpxFaultProxy proxy = HpxFaultProxy.builder().upstream(server.host(), server.port()).build().start()
                     .connection(1, Toxic.stallUntilReleased(Toxic.Direction.UPSTREAM, 16 * 1024));
             HpxClient client = TestClients.to(server).host("localhost").port(proxy.port())
                     .sslContext(HpxTestTls.clientContext()).requestTimeout(Duration.ofSeconds(60))
                     .maxMessageSize(64L * 1024 * 1024).poolSize(1).build()) {
            client.authenticate();
            CompletableFuture<JsonNode> call = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    call.complete(client.call("echo", Map.of("value", large)));
                } catch (RuntimeException e) {
                    call.completeExceptionally(e);
                }
            }, "stuck-caller");
            caller.start();
            // In the socket's write all along: the proxy took what the socket buffers could hold, and no more.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(15)).until(() -> isBlockedWriting(caller));

            long start = System.nanoTime();
            client.close();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(HpxException.class);
        }
    }

    /** Whether {@code thread} is in a socket write (in the kernel, or parked until the socket can take bytes). */
    private static boolean isBlockedWriting(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return Arrays.stream(stack).anyMatch(f -> f.getClassName().endsWith("NioSocketImpl")
                && f.getMethodName().equals("implWrite"));
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
