package io.github.camelhpx.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark, the peak-heap probe and the report in one go:
 * {@code java -jar benchmarks/target/benchmarks.jar [--out dir] [--quick] [--include regex] [--no-heap]}.
 * <p>
 * Writes into the output directory (default {@code benchmarks/results} when run from the repository root, else
 * {@code results}): {@code jmh-result.json} (JMH, with the GC profiler's figures), {@code peak-heap.json},
 * {@code machine.json} (processors, JVM, CPU model, load while it ran) and {@code results.md} (the table with
 * the ratios to the limit and the targets), which is also printed.
 * <p>
 * The round trips ({@link RoundTripBenchmark} and the round-trip pairs of {@link PairedRatioBenchmark}) run
 * twice: once as every other benchmark, and once with the benchmark's JVM (client, embedded server and
 * harness) pinned to one CPU with {@code taskset}. On two CPUs a loopback round trip takes either ~30 µs or
 * ~75 µs depending on whether the scheduler put the caller and the server's connection thread on the same CPU
 * (a wake-up on another, idle, CPU is slow), which swamps what the client itself costs; on one CPU every call
 * is the same hand-over, and the ratio shows the client's cost.
 * <p>
 * {@code --quick} shortens every warmup and measurement to check that everything runs; its figures mean
 * little. JMH's own command line stays available: {@code java -cp benchmarks.jar org.openjdk.jmh.Main -h}.
 */
public final class BenchmarkSuite {

    /** The name of the java stand-in that pins a fork; the report tells pinned results by it. */
    static final String PINNED_JAVA_PREFIX = "java-pinned-to-cpu";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final int PINNED_WARMUP_ITERATIONS = 10;

    static final List<String> BENCHMARKS = List.of(
            RoundTripBenchmark.class.getName(),
            PairedRatioBenchmark.class.getName(),
            ConcurrentCallsBenchmark.class.getName(),
            G2RoundTripBenchmark.class.getName(),
            G2PipelineBenchmark.class.getName(),
            BigReplyBenchmark.class.getName(),
            "io.github.camelhpx.client.internal.FrameCodecBenchmark");

    private BenchmarkSuite() {
    }

    /** The round trips, run a second time with the whole benchmark JVM pinned to one CPU. */
    static final List<String> PINNED = List.of(
            RoundTripBenchmark.class.getName().replace(".", "\\.") + "\\.",
            G2RoundTripBenchmark.class.getName().replace(".", "\\.") + "\\.",
            PairedRatioBenchmark.class.getName().replace(".", "\\.") + "\\.(g2R|r)oundTrip_");

    public static void main(String[] args) throws Exception {
        Path out = Files.isDirectory(Path.of("benchmarks", "src")) ? Path.of("benchmarks", "results") : Path.of("results");
        boolean quick = false;
        boolean heap = true;
        boolean pin = true;
        int cpu = Runtime.getRuntime().availableProcessors() - 1;
        List<String> includes = new ArrayList<>();
        List<String> pinIncludes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--no-heap" -> heap = false;
                case "--no-pin" -> pin = false;
                case "--pin-cpu" -> cpu = Integer.parseInt(args[++i]);
                case "--include" -> includes.add(args[++i]);
                case "--pin-include" -> pinIncludes.add(args[++i]);
                default -> {
                    System.err.println("usage: java -jar benchmarks.jar [--out dir] [--quick] [--include regex]..."
                            + " [--pin-include regex]... [--no-pin] [--pin-cpu n] [--no-heap]");
                    System.exit(2);
                }
            }
        }
        if (includes.isEmpty()) {
            BENCHMARKS.forEach(b -> includes.add(b.replace(".", "\\.") + "\\."));
            if (pinIncludes.isEmpty()) {
                pinIncludes.addAll(PINNED);
            }
        }
        out = out.toAbsolutePath();
        Files.createDirectories(out);
        Path jmhJson = out.resolve("jmh-result.json");
        Path heapJson = out.resolve("peak-heap.json");
        Path machineJson = out.resolve("machine.json");
        Path markdown = out.resolve("results.md");

        LoadSampler load = new LoadSampler();
        Instant start = Instant.now();
        ArrayNode all = MAPPER.createArrayNode();
        Path pinnedJava = pin && !pinIncludes.isEmpty() ? pinnedJava(out, cpu) : null;
        if (pinnedJava != null) {
            Path part = out.resolve("jmh-result-pinned.json");
            run(pinIncludes, quick, part, pinnedJava);
            all.addAll((ArrayNode) MAPPER.readTree(part.toFile()));
            Files.delete(part);
        }
        Path part = out.resolve("jmh-result-unpinned.json");
        run(includes, quick, part, null);
        all.addAll((ArrayNode) MAPPER.readTree(part.toFile()));
        Files.delete(part);
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(jmhJson.toFile(), all);
        if (pinnedJava != null) {
            Files.deleteIfExists(pinnedJava);
        }
        if (heap) {
            PeakHeapProbe.run(50, heapJson);
        } else {
            Files.deleteIfExists(heapJson);
        }
        Duration took = Duration.between(start, Instant.now());
        load.stop();

        ObjectNode machine = Machine.describe(load, start, took, quick, String.join(" ", args));
        machine.put("pinnedCpu", pinnedJava == null ? -1 : cpu);
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(machineJson.toFile(), machine);
        String report = ReportGenerator.render(jmhJson, Files.exists(heapJson) ? heapJson : null, machineJson);
        Files.writeString(markdown, report, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(report);
        System.out.println("Written: " + jmhJson + ", " + (heap ? heapJson + ", " : "") + machineJson + ", " + markdown);
    }

    private static void run(List<String> includes, boolean quick, Path result, Path jvm) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(result.toString())
                .shouldFailOnError(true);
        includes.forEach(options::include);
        if (jvm != null) {
            options.jvm(jvm.toString());
            // On one CPU the JIT compiler takes turns with the benchmark: the client reaches its steady state
            // only after ~8 s (on two CPUs after ~2 s).
            options.warmupIterations(PINNED_WARMUP_ITERATIONS).warmupTime(TimeValue.seconds(1));
        }
        if (quick) {
            options.warmupIterations(1).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(2).measurementTime(TimeValue.milliseconds(500));
        }
        new Runner(options.build()).run();
    }

    /**
     * A stand-in for {@code java} that runs it under {@code taskset -c cpu}: JMH starts its forks with it, so the
     * benchmark, the embedded server and the harness share one CPU. Null when taskset is missing.
     */
    private static Path pinnedJava(Path dir, int cpu) throws IOException, InterruptedException {
        Process probe;
        try {
            probe = new ProcessBuilder("taskset", "-c", String.valueOf(cpu), "true").redirectErrorStream(true).start();
        } catch (IOException e) {
            System.err.println("taskset is not available: the round trips run on all CPUs only");
            return null;
        }
        if (probe.waitFor() != 0) {
            System.err.println("taskset -c " + cpu + " fails: the round trips run on all CPUs only");
            return null;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path script = dir.resolve(PINNED_JAVA_PREFIX + cpu);
        Files.writeString(script, "#!/bin/sh\nexec taskset -c " + cpu + " '" + java + "' \"$@\"\n");
        if (!script.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + script + " executable");
        }
        return script;
    }

    /** Samples the 1-minute load average every 10 s while the suite runs. */
    static final class LoadSampler {
        final List<Double> samples = new ArrayList<>();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-sampler");
            t.setDaemon(true);
            return t;
        });

        LoadSampler() {
            timer.scheduleAtFixedRate(() -> {
                double l = Machine.loadAverage();
                if (l >= 0) {
                    synchronized (samples) {
                        samples.add(l);
                    }
                }
            }, 0, 10, TimeUnit.SECONDS);
        }

        void stop() {
            timer.shutdownNow();
        }
    }

    /** What the figures ran on. */
    static final class Machine {

        static ObjectNode describe(LoadSampler load, Instant start, Duration took, boolean quick, String args) {
            ObjectNode m = new ObjectMapper().createObjectNode();
            m.put("date", DateTimeFormatter.ISO_INSTANT.format(start.atOffset(ZoneOffset.UTC)));
            m.put("durationSeconds", took.toSeconds());
            m.put("quick", quick);
            m.put("command", "java -jar benchmarks/target/benchmarks.jar" + (args.isEmpty() ? "" : " " + args));
            m.put("nproc", Runtime.getRuntime().availableProcessors());
            m.put("cpu", cpuModel());
            m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                    + " (" + System.getProperty("java.vendor") + ")");
            m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                    + System.getProperty("os.arch"));
            m.put("memTotal", firstLine("/proc/meminfo", "MemTotal:"));
            ArrayNode samples = m.putArray("loadAverage1m");
            synchronized (load.samples) {
                load.samples.forEach(samples::add);
            }
            return m;
        }

        static String cpuModel() {
            String model = firstLine("/proc/cpuinfo", "model name");
            return model == null ? System.getProperty("os.arch") : model;
        }

        static double loadAverage() {
            try {
                String s = Files.readString(Path.of("/proc/loadavg"));
                return Double.parseDouble(s.split(" ")[0]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        private static String firstLine(String file, String prefix) {
            try {
                return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst()
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(null);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
