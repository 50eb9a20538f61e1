package io.github.camelhpx.benchmarks;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (7) 16 concurrent callers of {@code get_version} (total calls/s): the pipelining limit (one bare G2 socket
 * with {@value G2PipelineState#IN_FLIGHT} requests in flight, a writer and a reader thread), {@code HpxClient}
 * in G2 with 16 caller threads multiplexed on one connection, {@code HpxClient} in G2 with one thread keeping 16
 * asynchronous calls in flight on one connection (the limit's shape: no thread waits per call), and, for
 * information, the same 16 callers over a G1 pool of 4 connections against the G1 server.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// 16 callers and the server's thread on 2 CPUs leave the JIT compiler little CPU: as ConcurrentCallsBenchmark, 20 s.
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class G2PipelineBenchmark {

    @Benchmark
    @Threads(1)
    public long limit_16inFlight(G2PipelineState pipeline) throws IOException, InterruptedException {
        return pipeline.send();
    }

    @Benchmark
    @Threads(16)
    public JsonNode client_16threads(G2ClientState client) {
        return client.client.call("get_version");
    }

    @Benchmark
    @Threads(1)
    public CompletableFuture<JsonNode> client_16inFlightAsync(G2ClientState client) throws InterruptedException {
        return client.callAsync();
    }

    @Benchmark
    @Threads(16)
    public JsonNode g1Pool4_16threads(ClientState client) {
        return client.client.call("get_version");
    }
}
