package io.github.camelhpx.benchmarks;

import java.time.Duration;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.github.camelhpx.client.HpxClient;

/** One {@link HpxClient} (a guest, a pool of 4 connections) shared by every benchmark thread. */
@State(Scope.Benchmark)
public class ClientState {

    public static final int POOL_SIZE = 4;

    public HpxClient client;

    @Setup(Level.Trial)
    public void open(ServerState server) {
        client = HpxClient.builder()
                .host(ServerState.HOST)
                .port(server.port())
                .poolSize(POOL_SIZE)
                .maxMessageSize(BigReplies.MAX_MESSAGE_SIZE)
                .requestTimeout(Duration.ofSeconds(60))
                .build();
        client.call("get_version");
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close();
    }
}
