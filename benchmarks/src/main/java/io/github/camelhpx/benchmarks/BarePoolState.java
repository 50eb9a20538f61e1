package io.github.camelhpx.benchmarks;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The limit for concurrent callers: 4 bare sockets sharing one session, lent out through a blocking queue,
 * as the client's pool of 4 lends its connections.
 */
@State(Scope.Benchmark)
public class BarePoolState {

    public BlockingQueue<BareSocketHpx> pool;
    public byte[] getVersion;

    @Setup(Level.Trial)
    public void open(ServerState server) {
        pool = new ArrayBlockingQueue<>(ClientState.POOL_SIZE);
        BareSocketHpx first = BareSocketHpx.connect(ServerState.HOST, server.port());
        pool.add(first);
        for (int i = 1; i < ClientState.POOL_SIZE; i++) {
            pool.add(BareSocketHpx.join(ServerState.HOST, server.port(), first.session()));
        }
        getVersion = first.message(Calls.GET_VERSION);
    }

    /** One get_version on a socket taken from the pool; returns the reply's length. */
    public int call() throws InterruptedException {
        BareSocketHpx bare = pool.take();
        try {
            return bare.call(getVersion);
        } finally {
            pool.add(bare);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        pool.forEach(BareSocketHpx::close);
    }
}
