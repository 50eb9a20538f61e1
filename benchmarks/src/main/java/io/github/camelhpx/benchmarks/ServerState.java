package io.github.camelhpx.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.SampleLibrary;

/**
 * The embedded HPX server of a benchmark's fork, on an ephemeral loopback port. Its library is big enough for
 * the largest reply measured ({@link BigReplies#MAX_GALLERIES}); it keeps no log of received messages, so a
 * long run holds no growing history.
 */
@State(Scope.Benchmark)
public class ServerState {

    public static final String HOST = "127.0.0.1";

    public HpxTestServer server;

    @Setup(Level.Trial)
    public void start() {
        server = start(BigReplies.MAX_GALLERIES);
    }

    public static HpxTestServer start(int galleries) {
        return HpxTestServer.builder()
                .host(HOST)
                .port(0)
                .library(SampleLibrary.galleries(galleries))
                .receivedMessagesLimit(0)
                .build()
                .start();
    }

    public int port() {
        return server.port();
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
    }
}
