package io.github.camelhpx.benchmarks;

import java.time.Duration;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.github.camelhpx.client.HpxClient;

/** One {@link HpxClient} (a guest, a pool of one connection) per benchmark thread, as the neutral rig's 4 clients. */
@State(Scope.Thread)
public class ThreadClientState {

    public HpxClient client;

    @Setup(Level.Trial)
    public void open(ServerState server) {
        client = HpxClient.builder()
                .host(ServerState.HOST)
                .port(server.port())
                .poolSize(1)
                .requestTimeout(Duration.ofSeconds(60))
                .build();
        client.call("get_version");
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close();
    }
}
