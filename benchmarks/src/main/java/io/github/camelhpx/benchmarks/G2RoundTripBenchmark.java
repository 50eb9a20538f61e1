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
 * (6) Sequential {@code get_version} round trips in G2 (HPX 1.0, MessagePack) against the embedded server in
 * G2, one caller: the G2 limit ({@link BareG2}), {@code HpxClient.call}, and a Camel route
 * {@code direct → hpx:get_version} with the default, asynchronous producer, and with {@code synchronous=true}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class G2RoundTripBenchmark {

    @Benchmark
    public int limit(G2BareState bare) {
        return bare.bare.call(bare.getVersion);
    }

    @Benchmark
    public JsonNode client(G2ClientState client) {
        return client.client.call("get_version");
    }

    @Benchmark
    public Object camelRoute(G2CamelState camel) {
        return camel.template.requestBody(camel.route, (Object) null);
    }

    @Benchmark
    public Object camelRouteSync(G2CamelState camel) {
        return camel.template.requestBody(camel.syncRoute, (Object) null);
    }
}
