package io.github.camelhpx.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One bare G2 socket (the G2 limit) per benchmark thread, logged in as a guest. */
@State(Scope.Thread)
public class G2BareState {

    public BareG2 bare;
    /** The bytes of a {@code get_version} call in this socket's session, after its {@code __id__}. */
    public byte[] getVersion;

    @Setup(Level.Trial)
    public void open(G2ServerState server) throws Exception {
        bare = BareG2.connect(ServerState.HOST, server.port());
        getVersion = bare.call(Calls.GET_VERSION);
        bare.call(getVersion);
        String reply = bare.lastReply().toString();
        if (!reply.contains("\"core\"")) {
            throw new IllegalStateException("unexpected G2 get_version reply: " + reply);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        bare.close();
    }
}
