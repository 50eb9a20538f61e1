package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelhpx.testkit.Toxic.Direction;
import io.github.camelhpx.testkit.Toxic.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.SocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.github.camelhpx.testkit.Replies.result;
import static io.github.camelhpx.testkit.Toxic.Direction.DOWNSTREAM;
import static io.github.camelhpx.testkit.Toxic.Direction.UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The fault proxy over real loopback sockets, in front of an echo server or the embedded HPX server. */
class FaultProxyTest {

    private static final byte[] TEN = ascii("abcdefghij");

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private EchoServer echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = EchoServer.start();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        echo.close();
    }

    private <T extends AutoCloseable> T closedAfter(T c) {
        toClose.add(c);
        return c;
    }

    private HpxFaultProxy proxyTo(int port) {
        return closedAfter(HpxFaultProxy.builder().upstream("127.0.0.1", port).listenPort(0).build().start());
    }

    private HpxFaultProxy echoProxy() {
        return proxyTo(echo.port());
    }

    private Socket connect(HpxFaultProxy proxy) throws IOException {
        Socket s = closedAfter(new Socket(proxy.host(), proxy.port()));
        s.setTcpNoDelay(true);
        s.setSoTimeout(10_000);
        return s;
    }

    private RawClient hpxClient(HpxFaultProxy proxy) {
        return closedAfter(RawClient.connect(proxy.host(), proxy.port(), SocketFactory.getDefault()));
    }

    private HpxTestServer hpxServer() {
        return closedAfter(HpxTestServer.builder().build().start());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** Sends, half-closes, and returns what arrives until the end of the stream or an error (a cut, a reset). */
    private static byte[] exchange(Socket s, byte[] data) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            s.getOutputStream().write(data);
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
            }
        } catch (IOException e) {
            // what arrived before the connection broke is the answer
        }
        return got.toByteArray();
    }

    private static byte[] roundTrip(Socket s, byte[] data) throws IOException {
        s.getOutputStream().write(data);
        return s.getInputStream().readNBytes(data.length);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).collect(Collectors.toList());
    }

    // --- plain proxying

    @Test
    void passesBytesBothWaysCarriesTheHalfCloseAndCountsConnections() throws IOException {
        HpxFaultProxy proxy = echoProxy();
        Socket s = connect(proxy);
        await().until(() -> proxy.connections() == 1);
        byte[] data = randomBytes(300_000);

        assertThat(exchange(s, data)).isEqualTo(data);
        // The echo server answered the client's FIN with its own, so the FIN went through the proxy both ways.
        assertThat(echo.peers().get(0).end()).isEqualTo("EOF");
        await().until(() -> proxy.connections() == 0);
        assertThat(proxy.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void proxiesAnHpxServer() {
        HpxTestServer server = hpxServer();
        HpxFaultProxy proxy = proxyTo(server.port());
        RawClient c = hpxClient(proxy);
        c.read();
        c.handshake(RawClient.MAPPER.createObjectNode());
        assertThat(result(c.callOne("{\"fname\": \"get_version\"}"), 0, "get_version").isObject()).isTrue();
        assertThat(server.openConnections()).isEqualTo(1);
    }

    @Test
    void closesTheClientWhenTheUpstreamCannotBeReached() throws IOException {
        int deadPort;
        try (ServerSocket ss = new ServerSocket(0)) {
            deadPort = ss.getLocalPort();
        }
        HpxFaultProxy proxy = proxyTo(deadPort).nextConnection(Toxic.byteByByte(UPSTREAM));
        Socket s = connect(proxy);
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        assertThat(proxy.connections()).isZero();
        assertThat(proxy.faultLog()).isEmpty();
    }

    // --- each toxic

    @ParameterizedTest
    @EnumSource(Direction.class)
    void latencyHoldsEveryChunkAtLeastTheDelay(Direction direction) throws IOException {
        HpxFaultProxy proxy = echoProxy()
                .everyConnection(Toxic.latency(direction, Duration.ofMillis(300), Duration.ofMillis(50)));
        Socket s = connect(proxy);
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            assertThat(roundTrip(s, TEN)).isEqualTo(TEN);
            assertThat(since(start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void bandwidthLimitsBytesPerSecond() throws IOException {
        int rate = 16 * 1024;
        HpxFaultProxy proxy = echoProxy().everyConnection(Toxic.bandwidth(DOWNSTREAM, rate));
        Socket s = connect(proxy);
        byte[] data = randomBytes(2 * rate);

        long start = System.nanoTime();
        assertThat(roundTrip(s, data)).isEqualTo(data);
        Duration took = since(start);
        // 2 s at the limit; 1.5 s allows for the first slice going at once, and is far above the unlimited time
        assertThat(took).isBetween(Duration.ofMillis(1_500), Duration.ofSeconds(10));
    }

    @Test
    void timedStallHoldsTheBytesAfterThePositionForTheDuration() throws IOException {
        HpxFaultProxy proxy = echoProxy().nextConnection(Toxic.stall(DOWNSTREAM, 4, Duration.ofMillis(500)));
        Socket s = connect(proxy);
        long start = System.nanoTime();
        assertThat(roundTrip(s, TEN)).isEqualTo(TEN);
        assertThat(since(start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void stallUntilReleasedPassesThePrefixAndHoldsTheRestUntilReleased() throws IOException {
        HpxFaultProxy proxy = echoProxy().nextConnection(Toxic.stallUntilReleased(DOWNSTREAM, 4));
        Socket s = connect(proxy);
        s.getOutputStream().write(TEN);
        InputStream in = s.getInputStream();
        assertThat(in.readNBytes(4)).isEqualTo(ascii("abcd"));

        s.setSoTimeout(300);
        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
        s.setSoTimeout(10_000);

        proxy.releaseStalls();
        assertThat(in.readNBytes(6)).isEqualTo(ascii("efghij"));
    }

    @Test
    void cutDownstreamDeliversExactlyTheBytesThenEndOfStream() throws IOException {
        HpxFaultProxy proxy = echoProxy().nextConnection(Toxic.cutAfter(DOWNSTREAM, 40));
        byte[] data = randomBytes(100);
        assertThat(exchange(connect(proxy), data)).isEqualTo(Arrays.copyOf(data, 40));
    }

    @Test
    void cutUpstreamGivesTheServerExactlyTheBytesThenACleanEndOfStream() throws IOException {
        HpxFaultProxy proxy = echoProxy().nextConnection(Toxic.cutAfter(UPSTREAM, 40));
        byte[] data = randomBytes(100);
        byte[] back = exchange(connect(proxy), data);

        await().until(() -> echo.peers().size() == 1 && echo.peers().get(0).end() != null);
        assertThat(echo.peers().get(0).received()).isEqualTo(Arrays.copyOf(data, 40));
        assertThat(echo.peers().get(0).end()).isEqualTo("EOF");
        assertThat(back.length).isLessThanOrEqualTo(40);
    }

    @Test
    void resetAtTheStartResetsTheClientBeforeTheWelcome() throws IOException {
        HpxFaultProxy proxy = proxyTo(hpxServer().port()).nextConnection(Toxic.resetAfter(DOWNSTREAM, 0));
        Socket s = connect(proxy);
        assertThatThrownBy(() -> s.getInputStream().read())
                .isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
    }

    @Test
    void resetUpstreamResetsBothPeers() throws IOException {
        HpxFaultProxy proxy = echoProxy().nextConnection(Toxic.resetAfter(UPSTREAM, 10));
        Socket s = connect(proxy);
        s.getOutputStream().write(randomBytes(100));

        assertThatThrownBy(() -> s.getInputStream().readAllBytes())
                .isInstanceOf(SocketException.class).hasMessageContaining("Connection reset");
        await().until(() -> echo.peers().size() == 1 && echo.peers().get(0).end() != null);
        assertThat(echo.peers().get(0).end()).contains("reset");
        assertThat(echo.peers().get(0).received().length).isLessThanOrEqualTo(10);
    }

    @Test
    void garbageInsertsRandomBytesAtThePosition() throws IOException {
        HpxFaultProxy proxy = echoProxy().nextConnection(Toxic.garbage(DOWNSTREAM, 5, 16));
        byte[] got = exchange(connect(proxy), TEN);

        assertThat(got).hasSize(26);
        assertThat(Arrays.copyOfRange(got, 0, 5)).isEqualTo(ascii("abcde"));
        assertThat(Arrays.copyOfRange(got, 21, 26)).isEqualTo(ascii("fghij"));
        assertThat(echo.peers().get(0).received()).isEqualTo(TEN);
    }

    @Test
    void garbageUpstreamSpoilsTheNextFrameAnHpxServerReads() {
        HpxFaultProxy proxy = proxyTo(hpxServer().port()).nextConnection(Toxic.garbage(UPSTREAM, 0, 32));
        RawClient c = hpxClient(proxy);
        c.read();
        c.writeJson("{\"session\": \"\", \"name\": \"t\", \"data\": {}}");
        // 32 random bytes in front of the gzip header: a server-level error instead of a handshake
        JsonNode reply = c.read();
        assertThat(reply.get("data").isNull()).as("reply %s", reply).isTrue();
        assertThat(reply.path("error").path("code").asInt()).as("reply %s", reply).isPositive();
    }

    @Test
    void byteByByteSendsEveryByteOnItsOwn() throws IOException {
        // A latency after the slicing is paid once per chunk it sees: once if the 64 bytes stay one chunk
        HpxFaultProxy proxy = echoProxy()
                .nextConnection(Toxic.byteByByte(UPSTREAM), Toxic.latency(UPSTREAM, Duration.ofMillis(5)));
        byte[] data = randomBytes(64);
        long start = System.nanoTime();
        assertThat(roundTrip(connect(proxy), data)).isEqualTo(data);
        assertThat(since(start)).isGreaterThanOrEqualTo(Duration.ofMillis(64 * 5));
        assertThat(echo.peers().get(0).reads()).isGreaterThan(1);
    }

    @Test
    void anHpxServerAndClientReassembleFramesSentByteByByte() {
        HpxFaultProxy proxy = proxyTo(hpxServer().port())
                .nextConnection(Toxic.byteByByte(UPSTREAM), Toxic.byteByByte(DOWNSTREAM));
        RawClient c = hpxClient(proxy);
        c.read();
        c.handshake(RawClient.MAPPER.createObjectNode());
        result(c.callOne("{\"fname\": \"get_version\"}"), 0, "get_version");
    }

    @Test
    void duplicateRepeatsTheRange() throws IOException {
        HpxFaultProxy proxy = echoProxy().nextConnection(Toxic.duplicate(DOWNSTREAM, 3, 4));
        assertThat(exchange(connect(proxy), TEN)).isEqualTo(ascii("abcdefgdefghij"));
    }

    // --- rules

    @Test
    void aNumberedRuleHitsOnlyThatConnection() throws IOException {
        HpxFaultProxy proxy = echoProxy().connection(2, Toxic.cutAfter(DOWNSTREAM, 0));
        Socket first = connect(proxy);
        Socket second = connect(proxy);
        Socket third = connect(proxy);
        assertThat(exchange(second, TEN)).isEmpty();
        assertThat(exchange(first, TEN)).isEqualTo(TEN);
        assertThat(exchange(third, TEN)).isEqualTo(TEN);
        assertThat(proxy.faultLog()).containsExactly(new FaultRecord(2, Toxic.cutAfter(DOWNSTREAM, 0)));
    }

    @Test
    void aNextConnectionRuleHitsOnlyTheNextOne() throws IOException {
        HpxFaultProxy proxy = echoProxy().nextConnection(Toxic.cutAfter(DOWNSTREAM, 2));
        assertThat(exchange(connect(proxy), TEN)).isEqualTo(ascii("ab"));
        assertThat(exchange(connect(proxy), TEN)).isEqualTo(TEN);
    }

    @Test
    void anEveryConnectionRuleHitsEveryNewConnectionUntilReset() throws IOException {
        HpxFaultProxy proxy = echoProxy().everyConnection(Toxic.cutAfter(DOWNSTREAM, 2));
        assertThat(exchange(connect(proxy), TEN)).isEqualTo(ascii("ab"));
        assertThat(exchange(connect(proxy), TEN)).isEqualTo(ascii("ab"));
        proxy.reset();
        assertThat(exchange(connect(proxy), TEN)).isEqualTo(TEN);
        assertThat(proxy.faultLog()).extracting(FaultRecord::connection).containsExactly(1, 2);
    }

    @Test
    void resetReleasesStalls() throws IOException {
        HpxFaultProxy proxy = echoProxy().nextConnection(Toxic.stallUntilReleased(DOWNSTREAM, 0));
        Socket s = connect(proxy);
        s.getOutputStream().write(TEN);
        await().until(() -> echo.peers().size() == 1 && echo.peers().get(0).received().length == TEN.length);
        proxy.reset();
        assertThat(s.getInputStream().readNBytes(TEN.length)).isEqualTo(TEN);
    }

    // --- random mode

    /** Opens and closes connections one after another, and returns the fault log once all were accepted. */
    private List<FaultRecord> randomRun(long seed, double probability, Kind... kinds) throws IOException {
        HpxFaultProxy proxy = echoProxy().randomFaults(seed, probability, kinds);
        int n = 40;
        for (int i = 0; i < n; i++) {
            connect(proxy).close();
        }
        await().until(() -> proxy.connectionsAccepted() == n);
        return proxy.faultLog();
    }

    @Test
    void randomFaultsAreReproducibleFromTheSeed() throws IOException {
        List<FaultRecord> first = randomRun(42, 0.5);
        List<FaultRecord> again = randomRun(42, 0.5);
        List<FaultRecord> otherSeed = randomRun(43, 0.5);

        assertThat(first).isEqualTo(again).isNotEqualTo(otherSeed);
        assertThat(first).extracting(FaultRecord::connection).doesNotHaveDuplicates()
                .hasSizeBetween(5, 35);
        assertThat(first.stream().map(r -> r.toxic().kind()).distinct().count()).isGreaterThan(3);
    }

    @Test
    void randomFaultsKeepToTheKindsAndTheProbability() throws IOException {
        assertThat(randomRun(7, 1.0, Kind.CUT, Kind.RESET)).hasSize(40)
                .allSatisfy(r -> assertThat(r.toxic().kind()).isIn(Kind.CUT, Kind.RESET));
        assertThat(randomRun(7, 0.0)).isEmpty();
    }

    // --- lifecycle

    @Test
    void closeEndsEveryConnectionAndEveryThreadPromptly() throws IOException {
        HpxFaultProxy proxy = echoProxy()
                .connection(2, Toxic.stallUntilReleased(DOWNSTREAM, 0))
                .connection(3, Toxic.latency(UPSTREAM, Duration.ofSeconds(60)));
        List<Socket> clients = List.of(connect(proxy), connect(proxy), connect(proxy));
        clients.get(1).getOutputStream().write(TEN);
        clients.get(2).getOutputStream().write(TEN);
        String prefix = "hpx-fault-proxy-" + proxy.port() + "-";
        await().until(() -> threadsNamed(prefix).size() == 7);

        long start = System.nanoTime();
        proxy.close();
        assertThat(since(start)).isLessThan(Duration.ofSeconds(3));
        assertThat(threadsNamed(prefix)).isEmpty();
        assertThat(proxy.connections()).isZero();
        for (Socket c : clients) {
            assertThat(c.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(Ports.refuses(proxy.host(), proxy.port())).isTrue();
    }
    @Test
    void closeWhileManyClientsMeetRandomFaultsLeavesNoThreadOrConnection() throws Exception {
        HpxFaultProxy proxy = echoProxy().randomFaults(2026, 0.7);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 8; i++) {
            clients.execute(() -> {
                // until the proxy refuses: every exchange ends, whatever fault it meets
                while (!Thread.currentThread().isInterrupted()) {
                    try (Socket s = new Socket(proxy.host(), proxy.port())) {
                        s.setSoTimeout(10_000);
                        exchange(s, randomBytes(2_000));
                    } catch (IOException refused) {
                        return;
                    }
                }
            });
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> proxy.connectionsAccepted() >= 60);
        String prefix = "hpx-fault-proxy-" + proxy.port() + "-";

        proxy.close();
        assertThat(threadsNamed(prefix)).isEmpty();
        assertThat(proxy.connections()).isZero();
        clients.shutdown();
        assertThat(clients.awaitTermination(15, TimeUnit.SECONDS)).isTrue();
        assertThat(proxy.faultLog()).extracting(r -> r.toxic().kind()).hasSizeGreaterThan(20)
                .containsAll(EnumSet.of(Kind.LATENCY, Kind.CUT, Kind.RESET, Kind.STALL));
    }
}
