package io.github.camelhpx.benchmarks;

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
 * (2) Concurrent callers (1, 4 and 16 threads) making {@code get_version} calls over a pool of 4 connections
 * sharing one session: the limit (4 bare sockets lent through a blocking queue), the client, and a Camel route;
 * and the limit without a queue, one bare socket (and session) per thread, beside a client per thread (pool of
 * one), as the neutral rig's "4 threads, one client each". Figures are total calls per second over all threads.
 * <p>
 * Warmed up for 20 s: with 4 or 16 callers and as many server threads on 2 CPUs the JIT compiler gets little CPU,
 * and after 2 s the client (and the embedded server) still ran partly uncompiled (4 threads, a client each: 0.35×
 * the limit after 2 s, 0.69–0.84× in three runs after 20 s, the limit itself nearly doubling).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ConcurrentCallsBenchmark {

    @Benchmark
    @Threads(1)
    public int limit_01threads(BarePoolState pool) throws InterruptedException {
        return pool.call();
    }

    @Benchmark
    @Threads(4)
    public int limit_04threads(BarePoolState pool) throws InterruptedException {
        return pool.call();
    }

    @Benchmark
    @Threads(16)
    public int limit_16threads(BarePoolState pool) throws InterruptedException {
        return pool.call();
    }

    @Benchmark
    @Threads(4)
    public int limitOwnSocket_04threads(BareState bare) {
        return bare.bare.call(bare.getVersion);
    }

    @Benchmark
    @Threads(16)
    public int limitOwnSocket_16threads(BareState bare) {
        return bare.bare.call(bare.getVersion);
    }

    @Benchmark
    @Threads(4)
    public JsonNode clientOwn_04threads(ThreadClientState client) {
        return client.client.call("get_version");
    }

    @Benchmark
    @Threads(1)
    public JsonNode client_01threads(ClientState client) {
        return client.client.call("get_version");
    }

    @Benchmark
    @Threads(4)
    public JsonNode client_04threads(ClientState client) {
        return client.client.call("get_version");
    }

    @Benchmark
    @Threads(16)
    public JsonNode client_16threads(ClientState client) {
        return client.client.call("get_version");
    }

    @Benchmark
    @Threads(1)
    public Object camelRoute_01threads(CamelState camel) {
        return camel.template.requestBody(camel.route, (Object) null);
    }

    @Benchmark
    @Threads(4)
    public Object camelRoute_04threads(CamelState camel) {
        return camel.template.requestBody(camel.route, (Object) null);
    }

    @Benchmark
    @Threads(16)
    public Object camelRoute_16threads(CamelState camel) {
        return camel.template.requestBody(camel.route, (Object) null);
    }
}
