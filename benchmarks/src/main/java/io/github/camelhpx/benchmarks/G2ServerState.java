package io.github.camelhpx.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.SampleLibrary;

/**
 * The embedded server speaking G2 (HPX 1.0, MessagePack), on an ephemeral loopback port: by default it answers
 * one request at a time per connection, in order (what the 1.0 web client suggests of the real server), so
 * pipelining overlaps only the client's and the server's work and the trip over loopback.
 */
@State(Scope.Benchmark)
public class G2ServerState {

    public HpxTestServer server;

    @Setup(Level.Trial)
    public void start() {
        server = HpxTestServer.builder()
                .host(ServerState.HOST)
                .port(0)
                .protocol(Protocol.G2)
                .library(SampleLibrary.galleries(100))
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
