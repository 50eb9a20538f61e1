package io.github.camelhpx.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxRequest;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (1) Sequential {@code get_version} round trips over loopback against the embedded server, one caller:
 * the limit, {@link io.github.camelhpx.client.HpxClient} (blocking and async), and Camel (a route
 * {@code direct → hpx:get_version}, the same with {@code synchronous=true}, and a {@code ProducerTemplate}
 * straight to the hpx endpoint).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class RoundTripBenchmark {

    @Benchmark
    public int limit(BareState bare) {
        return bare.bare.call(bare.getVersion);
    }

    private static final HpxRequest<JsonNode> GET_VERSION = HpxRequest.function("get_version", Map.of());

    @Benchmark
    public JsonNode client(ClientState client) {
        return client.client.call("get_version");
    }

    @Benchmark
    public JsonNode clientAsync(ClientState client) {
        return client.client.executeAsync(GET_VERSION).join();
    }

    @Benchmark
    public Object camelRoute(CamelState camel) {
        return camel.template.requestBody(camel.route, (Object) null);
    }

    @Benchmark
    public Object camelRouteSync(CamelState camel) {
        return camel.template.requestBody(camel.syncRoute, (Object) null);
    }

    @Benchmark
    public Object camelEndpoint(CamelState camel) {
        return camel.template.requestBody(camel.hpx, (Object) null);
    }
}
