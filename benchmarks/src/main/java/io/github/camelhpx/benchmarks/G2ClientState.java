package io.github.camelhpx.benchmarks;

import java.time.Duration;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.HpxProtocol;

/**
 * One G2 {@link HpxClient} (a guest, defaults: {@code maxInFlight} 16) shared by every benchmark thread, with a
 * pool of one connection: every caller is multiplexed on the same socket.
 */
@State(Scope.Benchmark)
public class G2ClientState {

    public HpxClient client;

    @Setup(Level.Trial)
    public void open(G2ServerState server) {
        client = HpxClient.builder()
                .host(ServerState.HOST)
                .port(server.port())
                .protocol(HpxProtocol.G2)
                .poolSize(1)
                .requestTimeout(Duration.ofSeconds(60))
                .build();
        if (!client.call("get_version").toString().contains("core")) {
            throw new IllegalStateException("unexpected G2 get_version reply");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close();
    }
}
