package io.github.camelhpx.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One bare socket (the limit) per benchmark thread, logged in as a guest. */
@State(Scope.Thread)
public class BareState {

    public BareSocketHpx bare;
    /** {@code get_version} in this socket's session. */
    public byte[] getVersion;

    @Setup(Level.Trial)
    public void open(ServerState server) {
        bare = BareSocketHpx.connect(ServerState.HOST, server.port());
        getVersion = bare.message(Calls.GET_VERSION);
        String reply = bare.lastReply(bare.call(getVersion));
        if (!reply.contains("\"core\"")) {
            throw new IllegalStateException("unexpected get_version reply: " + reply);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        bare.close();
    }
}
