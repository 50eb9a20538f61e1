package io.github.camelhpx.benchmarks;

import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.testkit.HpxTestServer;

/**
 * The peak heap of receiving one big reply, found by <b>-Xmx probing</b>: a fresh JVM (default collector,
 * {@code -XX:+ExitOnOutOfMemoryError}) connects to a {@link ReplayServer} and makes the call once, holding the
 * result until the call returns; a binary search finds the smallest {@code -Xmx} (to {@value #RESOLUTION_MB} MB)
 * at which it succeeds. The same search for a {@code get_version} call through the client gives what the JVM
 * and the libraries need anyway; the difference is what the reply needs at its peak, result included. Unlike
 * sampling the used heap, this counts only memory that must be live at once (the collector is free to do its
 * best), and it counts it all: buffers, copies, the result, and the collector's own need for room.
 * <p>
 * The replay server sends frames recorded from the embedded server, so the probes are quick and the server's
 * memory is in another process.
 * <p>
 * A last JVM per path (with room to spare) tells the peak's parts apart: the heap the result itself retains
 * (used heap after full collections, before the call and after it with the connection closed), and what the
 * still-open connection keeps after the call (e.g. a grown receive buffer).
 */
public final class PeakHeapProbe {

    static final int RESOLUTION_MB = 2;
    private static final int MIN_MB = 2;
    private static final int MAX_MB = 2048;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The paths whose peak is probed ({@link BigReplyPaths}), by name: the same names as in the benchmarks. */
    static final List<String> PATHS = List.of("limitBytes", "clientBytes", "limitTyped", "clientTyped", "limitTree",
            "clientTree");
    /** What the JVM and the libraries need anyway: a {@code get_version} call through the client. */
    private static final String BASELINE = "baseline";

    private PeakHeapProbe() {
    }

    /** Probes every path for a reply of {@code megabytes}; writes and returns {@code {path: {...}}}. */
    static ObjectNode run(int megabytes, Path out) throws Exception {
        ObjectNode result = MAPPER.createObjectNode();
        HpxTestServer server = ServerState.start(BigReplies.MAX_GALLERIES);
        ReplayServer small;
        ReplayServer big;
        int galleries;
        int payload;
        try (BareSocketHpx bare = BareSocketHpx.connect(ServerState.HOST, server.port())) {
            galleries = BigReplies.galleriesFor(megabytes, bare);
            byte[] welcome = bare.welcomeFrame();
            byte[] auth = bare.authFrame();
            small = new ReplayServer(welcome, auth, bare.callForFrame(bare.message(Calls.GET_VERSION)));
            byte[] request = bare.message(Calls.getItems(galleries));
            payload = bare.callForBytes(request).length;
            big = new ReplayServer(welcome, auth, bare.callForFrame(request));
        } finally {
            server.close();
        }
        try {
            result.put("megabytes", megabytes);
            result.put("payloadBytes", payload);
            result.put("resolutionMB", RESOLUTION_MB);
            result.put("method", "smallest -Xmx (binary search, fresh JVM per probe, default GC,"
                    + " -XX:+ExitOnOutOfMemoryError) for the big call minus the same for a get_version call");
            int baseline = smallestHeap(BASELINE, small.port(), 0);
            result.put("baselineMB", baseline);
            System.out.printf("[peak heap] baseline (get_version through the client): -Xmx%dm%n", baseline);
            ObjectNode paths = result.putObject("paths");
            for (String path : PATHS) {
                int mb = smallestHeap(path, big.port(), galleries);
                double peak = (mb - baseline) * 1024.0 * 1024.0;
                ObjectNode p = paths.putObject(path);
                p.put("smallestXmxMB", mb);
                p.put("peakMB", mb - baseline);
                p.put("peakOverPayload", peak / payload);
                long[] kept = retained(path, big.port(), galleries);
                p.put("resultMB", kept[0] / 1024.0 / 1024.0);
                p.put("keptByConnectionMB", (kept[1] - kept[0]) / 1024.0 / 1024.0);
                System.out.printf("[peak heap] %-11s -Xmx%dm: peak %d MB = %.2f x the %,d-byte payload;"
                        + " the result alone %.1f MB, kept by the open connection after the call %.1f MB%n",
                        path, mb, mb - baseline, peak / payload, payload, kept[0] / 1048576.0,
                        (kept[1] - kept[0]) / 1048576.0);
            }
        } finally {
            small.close();
            big.close();
        }
        Files.createDirectories(out.getParent());
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
        return result;
    }

    /** The smallest -Xmx in MB (a multiple of the resolution) at which the path's call succeeds. */
    private static int smallestHeap(String path, int port, int galleries) throws Exception {
        int lo = MIN_MB; // may fail
        int hi = MAX_MB; // must succeed
        if (!succeeds(path, port, galleries, hi)) {
            throw new IllegalStateException(path + " fails even with -Xmx" + hi + "m");
        }
        if (succeeds(path, port, galleries, lo)) {
            return lo;
        }
        while (hi - lo > RESOLUTION_MB) {
            int mid = (lo + hi) / 2 / RESOLUTION_MB * RESOLUTION_MB;
            if (mid <= lo) {
                mid = lo + RESOLUTION_MB;
            }
            if (succeeds(path, port, galleries, mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /**
     * The heap the result retains once the call is over (used heap after full collections, minus the same before
     * the call, with the connection closed), and the same while the connection is still open.
     */
    private static long[] retained(String path, int port, int galleries) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), path, String.valueOf(port), String.valueOf(galleries), "retained")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(path + " failed: " + output);
        }
        for (String line : output.split("\\R")) {
            if (line.startsWith("retained ")) {
                String[] f = line.split(" ");
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
            }
        }
        throw new IllegalStateException(path + " printed no retained size: " + output);
    }

    private static boolean succeeds(String path, int port, int galleries, int xmxMb) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + xmxMb + "m", "-XX:+ExitOnOutOfMemoryError",
                "-Xshare:auto", "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                path, String.valueOf(port), String.valueOf(galleries)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0;
    }

    /** One probe: makes the call once by the named path and exits 0 if it completed. */
    public static final class Child {

        /** The paths through the limit, by name. */
        private static final Map<String, LimitPath> LIMIT = Map.of(
                "limitBytes", BigReplyPaths::limitBytes,
                "limitTyped", BigReplyPaths::limitTyped,
                "limitTree", BigReplyPaths::limitTree);
        /** The paths through the client, by name. */
        private static final Map<String, ClientPath> CLIENT = Map.of(
                "clientBytes", BigReplyPaths::clientBytes,
                "clientTyped", BigReplyPaths::clientTyped,
                "clientTree", BigReplyPaths::clientTree,
                BASELINE, (client, args) -> client.call("get_version"));

        private Child() {
        }

        public static void main(String[] args) throws Exception {
            String path = args[0];
            int port = Integer.parseInt(args[1]);
            int galleries = Integer.parseInt(args[2]);
            long[] kept = null;
            if (args.length > 3 && args[3].equals("retained")) {
                // once to load and initialise every class the path uses, so that only the reply is counted
                call(path, port, galleries, null);
                kept = new long[] {usedAfterGc(), 0};
            }
            Object result = call(path, port, galleries, kept);
            if (kept != null) {
                long after = usedAfterGc();
                // the result alone; the result and what the open connection keeps after the call
                System.out.println("retained " + (after - kept[0]) + " " + (kept[1] - kept[0]));
            }
            System.out.println(result.getClass().getSimpleName() + " " + size(result));
            Reference.reachabilityFence(result);
            System.exit(0);
        }

        /**
         * Makes the call by the path on a connection of its own; with {@code kept}, notes the used heap before
         * the connection closes.
         */
        private static Object call(String path, int port, int galleries, long[] kept) {
            LimitPath limit = LIMIT.get(path);
            ClientPath client = CLIENT.get(path);
            Object result;
            if (limit != null) {
                try (BareSocketHpx bare = BareSocketHpx.connect(ServerState.HOST, port)) {
                    result = limit.receive(bare, bare.message(Calls.getItems(galleries)));
                    noteKept(kept);
                }
            } else if (client != null) {
                try (HpxClient hpx = HpxClient.builder().host(ServerState.HOST).port(port).poolSize(1)
                        .maxMessageSize(BigReplies.MAX_MESSAGE_SIZE).requestTimeout(Duration.ofSeconds(100)).build()) {
                    result = client.receive(hpx, Calls.getItemsArgs(galleries));
                    noteKept(kept);
                }
            } else {
                throw new IllegalArgumentException(path);
            }
            return result;
        }

        private static void noteKept(long[] kept) {
            if (kept != null) {
                kept[1] = usedAfterGc();
            }
        }

        private static int size(Object result) {
            if (result instanceof byte[] bytes) {
                return bytes.length;
            }
            return result instanceof JsonNode node ? node.size() : ((List<?>) result).size();
        }

        private static long usedAfterGc() {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }

    @FunctionalInterface
    private interface LimitPath {
        Object receive(BareSocketHpx bare, byte[] request);
    }

    @FunctionalInterface
    private interface ClientPath {
        Object receive(HpxClient client, Map<String, Object> args);
    }

    /** Standalone: {@code java -cp benchmarks.jar io.github.camelhpx.benchmarks.PeakHeapProbe [megabytes] [out.json]}. */
    public static void main(String[] args) throws Exception {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path out = Path.of(args.length > 1 ? args[1] : "peak-heap.json").toAbsolutePath();
        run(megabytes, out);
        System.out.println("written " + out);
    }
}
