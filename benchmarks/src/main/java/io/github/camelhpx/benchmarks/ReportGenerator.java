package io.github.camelhpx.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * Turns JMH's JSON (and the peak-heap probe's) into the markdown table of the README: every figure beside its
 * ratio to the limit measured in the same run, and each target met or missed.
 * <p>
 * Standalone: {@code java -cp benchmarks.jar io.github.camelhpx.benchmarks.ReportGenerator jmh-result.json
 * [peak-heap.json] [machine.json]} prints the table.
 */
public final class ReportGenerator {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PKG = "io.github.camelhpx.benchmarks.";
    private static final int[] SIZES = {5, 20, 50};
    private static final String[] SERVERS = {"embedded", "replay"};
    /** The big-reply paths: each limit, and the client's path compared with it (names as in the benchmarks). */
    private static final String[][] BIG_REPLY_PAIRS = {
        {"limitBytes", "clientBytes"}, {"limitTyped", "clientTyped"}, {"limitTree", "clientTree"}};
    /** The peak-heap targets: what, the client's path, its limit, and what to call the limit. */
    private static final String[][] PEAK_TARGETS = {
        {"byte[] through `HpxClient.callAllRaw`", "clientBytes", "limitBytes", "the limit"},
        {"typed objects through `HpxClient.call(.., TypeReference)`", "clientTyped", "limitTyped", "limit + readValue"},
        {"JsonNode through `HpxClient.call`", "clientTree", "limitTree", "limit + readTree"}};

    private final List<JsonNode> results = new ArrayList<>();
    private final StringBuilder md = new StringBuilder();
    private final List<String[]> targets = new ArrayList<>();

    private ReportGenerator(JsonNode jmh) {
        jmh.forEach(results::add);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ReportGenerator jmh-result.json [peak-heap.json] [machine.json]");
            System.exit(2);
        }
        System.out.println(render(Path.of(args[0]), args.length > 1 ? Path.of(args[1]) : null,
                args.length > 2 ? Path.of(args[2]) : null));
    }

    public static String render(Path jmhJson, Path heapJson, Path machineJson) throws IOException {
        ReportGenerator r = new ReportGenerator(MAPPER.readTree(jmhJson.toFile()));
        JsonNode heap = heapJson == null || !Files.isRegularFile(heapJson) ? null : MAPPER.readTree(heapJson.toFile());
        JsonNode machine = machineJson == null || !Files.isRegularFile(machineJson) ? null : MAPPER.readTree(machineJson.toFile());
        return r.build(heap, machine);
    }

    private String build(JsonNode heap, JsonNode machine) {
        roundTrips();
        concurrent();
        bigReplies();
        codec();
        peakHeap(heap);
        g2RoundTrips();
        g2Pipeline();
        String sections = md.toString();
        md.setLength(0);
        md.append("### Targets\n\n");
        md.append("| target | measured | verdict |\n|---|---|---|\n");
        for (String[] t : targets) {
            md.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n");
        }
        md.append('\n');
        String targetTable = md.toString();
        md.setLength(0);
        machine(machine);
        return md + targetTable + sections;
    }

    // ---- sections -------------------------------------------------------------------------------------------

    private void machine(JsonNode m) {
        md.append("### Run\n\n");
        if (m == null) {
            md.append("(no machine.json)\n\n");
            return;
        }
        List<Double> load = new ArrayList<>();
        m.path("loadAverage1m").forEach(n -> load.add(n.asDouble()));
        double min = load.stream().mapToDouble(d -> d).min().orElse(Double.NaN);
        double max = load.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
        double avg = load.stream().mapToDouble(d -> d).average().orElse(Double.NaN);
        md.append("| | |\n|---|---|\n");
        row("date (UTC)", m.path("date").asText());
        row("command", "`" + m.path("command").asText() + "`" + (m.path("quick").asBoolean() ? " (quick: figures not meaningful)" : ""));
        row("duration", m.path("durationSeconds").asLong() / 60 + " min " + m.path("durationSeconds").asLong() % 60 + " s");
        row("processors (nproc)", m.path("nproc").asText());
        row("CPU", m.path("cpu").asText());
        row("memory", m.path("memTotal").asText());
        row("JVM", m.path("java").asText());
        row("OS", m.path("os").asText());
        row("round trips pinned to", m.path("pinnedCpu").asInt(-1) < 0 ? "(not run pinned)" : "CPU " + m.path("pinnedCpu").asInt()
                + " (`taskset`), and unpinned");
        row("load average (1 min) during the run", String.format(Locale.ROOT, "min %.2f, mean %.2f, max %.2f (%d samples, 10 s apart)",
                min, avg, max, load.size()));
        md.append('\n');
    }

    private void row(String k, String v) {
        md.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    private void roundTrips() {
        md.append("### 1. Sequential round trips (`get_version`, one caller, loopback, embedded server)\n\n");
        md.append("Throughput ratio to the limit (≥ 1: as fast as the limit). *Interleaved*: the same ratio measured by"
                + " alternating one limit call and one candidate call (`PairedRatioBenchmark`), so that background load"
                + " falls on both alike. *1 CPU*: the benchmark's JVM (client, embedded server, harness) pinned to one"
                + " CPU with `taskset`, where every call is the same hand-over between two threads and the ratio shows"
                + " what the client costs; *2 CPUs*: unpinned, where a call takes ~30 or ~75 µs depending on whether"
                + " the scheduler put the caller and the server's thread on the same CPU, which the client does not"
                + " control. The allocation includes the embedded server's (same JVM): the limit's figure is mostly the"
                + " server's.\n\n");
        md.append("| path | 1 CPU: calls/s | × limit | × limit, interleaved | 2 CPUs: calls/s | × limit | × limit, interleaved | alloc B/call |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        JsonNode limit1 = find("RoundTripBenchmark.limit", Map.of(), true);
        JsonNode limit2 = find("RoundTripBenchmark.limit", Map.of(), false);
        String[][] paths = {
            {"limit", "the limit: bare JDK socket, reused Inflater/Deflater", null},
            {"client", "`HpxClient.call`", "roundTrip_client"},
            {"clientAsync", "`HpxClient.callAsync(..).join()`", null},
            {"camelRoute", "Camel: `ProducerTemplate` → `direct:` → `hpx:get_version`", "roundTrip_camelRoute"},
            {"camelRouteSync", "Camel, the same with `synchronous=true`", "roundTrip_camelRouteSync"},
            {"camelEndpoint", "Camel: `ProducerTemplate` → `hpx:get_version`", null}};
        for (String[] p : paths) {
            JsonNode r1 = find("RoundTripBenchmark." + p[0], Map.of(), true);
            JsonNode r2 = find("RoundTripBenchmark." + p[0], Map.of(), false);
            Double paired1 = p[2] == null ? null : pairedSpeed(p[2], Map.of(), true);
            Double paired2 = p[2] == null ? null : pairedSpeed(p[2], Map.of(), false);
            md.append("| ").append(p[1]).append(" | ").append(score(r1)).append(" | ").append(ratio(r1, limit1))
                    .append(" | ").append(fmtOrBlank(paired1)).append(" | ").append(score(r2))
                    .append(" | ").append(ratio(r2, limit2)).append(" | ").append(fmtOrBlank(paired2))
                    .append(" | ").append(alloc(r2 != null ? r2 : r1)).append(" |\n");
        }
        md.append('\n');
        roundTripTarget("`HpxClient` round trip ≥ 0.85× the limit", "RoundTripBenchmark", "client", "roundTrip_client", 0.85);
        roundTripTarget("Camel route round trip ≥ 0.8× the limit (default, asynchronous producer)", "RoundTripBenchmark",
                "camelRoute", "roundTrip_camelRoute", 0.8);
        roundTripTarget("Camel route round trip ≥ 0.8× the limit (`synchronous=true`)", "RoundTripBenchmark",
                "camelRouteSync", "roundTrip_camelRouteSync", 0.8);
    }

    /** Decided on 1 CPU, interleaved (or separate runs if the pair is missing); the 2-CPU figures shown beside. */
    private void roundTripTarget(String what, String benchmark, String method, String pair, double bound) {
        Double p1 = pairedSpeed(pair, Map.of(), true);
        Double s1 = ratioOf(benchmark + "." + method, benchmark + ".limit", true);
        Double p2 = pairedSpeed(pair, Map.of(), false);
        Double s2 = ratioOf(benchmark + "." + method, benchmark + ".limit", false);
        Double decisive = p1 != null ? p1 : s1 != null ? s1 : p2 != null ? p2 : s2;
        String measured = "1 CPU: " + fmtOrDash(p1) + "× interleaved, " + fmtOrDash(s1) + "× separate; 2 CPUs: "
                + fmtOrDash(p2) + "× interleaved, " + fmtOrDash(s2) + "× separate";
        targets.add(new String[] {what, measured, decisive == null ? "—" : decisive >= bound ? "met" : "**missed**"});
    }

    private static String fmtOrDash(Double v) {
        return v == null ? "—" : fmt(v);
    }

    private static String fmtOrBlank(Double v) {
        return v == null ? "" : fmt(v);
    }

    private void concurrent() {
        md.append("### 2. Concurrent callers over a pool of 4 connections (`get_version`, total calls/s)\n\n");
        md.append("| threads | limit (4 bare sockets) | `HpxClient` | × limit | Camel route | × limit | client alloc B/call |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String t : new String[] {"01", "04", "16"}) {
            JsonNode limit = find("ConcurrentCallsBenchmark.limit_" + t + "threads", Map.of());
            JsonNode client = find("ConcurrentCallsBenchmark.client_" + t + "threads", Map.of());
            JsonNode camel = find("ConcurrentCallsBenchmark.camelRoute_" + t + "threads", Map.of());
            md.append("| ").append(Integer.parseInt(t)).append(" | ").append(score(limit)).append(" | ").append(score(client))
                    .append(" | ").append(ratio(client, limit)).append(" | ").append(score(camel)).append(" | ")
                    .append(ratio(camel, limit)).append(" | ").append(alloc(client)).append(" |\n");
        }
        md.append('\n');
        md.append("Without a queue: the limit as one bare socket (and session) per thread, as the neutral rig's raw client"
                + " (`limitOwnSocket`); `HpxClient` shared (pool of 4) and one client per thread (pool of 1, as the rig's"
                + " \"4 threads, one client each\").\n\n");
        md.append("| threads | limit (a bare socket per thread) | `HpxClient`, shared | × limit | `HpxClient` per thread | × limit |"
                + " Camel route (default) | × limit |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String t : new String[] {"04", "16"}) {
            JsonNode limit = find("ConcurrentCallsBenchmark.limitOwnSocket_" + t + "threads", Map.of());
            JsonNode client = find("ConcurrentCallsBenchmark.client_" + t + "threads", Map.of());
            JsonNode own = find("ConcurrentCallsBenchmark.clientOwn_" + t + "threads", Map.of());
            JsonNode camel = find("ConcurrentCallsBenchmark.camelRoute_" + t + "threads", Map.of());
            md.append("| ").append(Integer.parseInt(t)).append(" | ").append(score(limit)).append(" | ").append(score(client))
                    .append(" | ").append(ratio(client, limit)).append(" | ").append(score(own)).append(" | ")
                    .append(ratio(own, limit)).append(" | ").append(score(camel)).append(" | ")
                    .append(ratio(camel, limit)).append(" |\n");
        }
        md.append('\n');
        target("G1 `HpxClient`, 4 threads, one client each ≥ 0.8× one bare socket per thread",
                ratioOf("ConcurrentCallsBenchmark.clientOwn_04threads", "ConcurrentCallsBenchmark.limitOwnSocket_04threads", false),
                null, 0.8, true);
        target("G1 `HpxClient`, 4 threads sharing one client (pool of 4) ≥ 0.8× one bare socket per thread",
                ratioOf("ConcurrentCallsBenchmark.client_04threads", "ConcurrentCallsBenchmark.limitOwnSocket_04threads", false),
                null, 0.8, true);
    }

    private void g2RoundTrips() {
        md.append("### 6. G2 sequential round trips (`get_version`, MessagePack, one caller, embedded server in G2)\n\n");
        md.append("The G2 limit (`BareG2`): one bare socket, a request map written by a minimal msgpack encoder into a reused"
                + " array with `<EOF>` and sent in one write, the reply split at `<EOF>` and decoded only as far as its"
                + " `__id__`. Columns as in table 1.\n\n");
        md.append("| path | 1 CPU: calls/s | × limit | × limit, interleaved | 2 CPUs: calls/s | × limit | × limit, interleaved | alloc B/call |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        JsonNode limit1 = find("G2RoundTripBenchmark.limit", Map.of(), true);
        JsonNode limit2 = find("G2RoundTripBenchmark.limit", Map.of(), false);
        String[][] paths = {
            {"limit", "the G2 limit: bare socket, hand-written msgpack", null},
            {"client", "`HpxClient.call` (G2)", "g2RoundTrip_client"},
            {"camelRoute", "Camel: `ProducerTemplate` → `direct:` → `hpx:get_version?protocol=g2` (default, asynchronous)", "g2RoundTrip_camelRoute"},
            {"camelRouteSync", "Camel, the same with `synchronous=true`", "g2RoundTrip_camelRouteSync"}};
        for (String[] p : paths) {
            JsonNode r1 = find("G2RoundTripBenchmark." + p[0], Map.of(), true);
            JsonNode r2 = find("G2RoundTripBenchmark." + p[0], Map.of(), false);
            Double paired1 = p[2] == null ? null : pairedSpeed(p[2], Map.of(), true);
            Double paired2 = p[2] == null ? null : pairedSpeed(p[2], Map.of(), false);
            md.append("| ").append(p[1]).append(" | ").append(score(r1)).append(" | ").append(ratio(r1, limit1))
                    .append(" | ").append(fmtOrBlank(paired1)).append(" | ").append(score(r2))
                    .append(" | ").append(ratio(r2, limit2)).append(" | ").append(fmtOrBlank(paired2))
                    .append(" | ").append(alloc(r2 != null ? r2 : r1)).append(" |\n");
        }
        md.append('\n');
        roundTripTarget("G2 `HpxClient` round trip ≥ 0.85× the G2 limit", "G2RoundTripBenchmark", "client",
                "g2RoundTrip_client", 0.85);
        roundTripTarget("G2 Camel route round trip ≥ 0.8× the G2 limit (default, asynchronous producer)",
                "G2RoundTripBenchmark", "camelRoute", "g2RoundTrip_camelRoute", 0.8);
    }

    private void g2Pipeline() {
        md.append("### 7. 16 concurrent callers, G2 pipelining on one connection (`get_version`, total calls/s)\n\n");
        md.append("The limit: one bare G2 socket keeping 16 requests in flight, a writer and a reader thread, replies matched"
                + " by `__id__`. `HpxClient` in G2: 16 caller threads on one multiplexed connection (`poolSize` 1,"
                + " `maxInFlight` 16), and one thread keeping 16 asynchronous calls in flight on one such connection"
                + " (`executeAsync`; the thread waits for one of its 16 to end before it starts another, as the limit's writer waits): the"
                + " limit's own shape, without a thread woken per reply. For information, the same 16 callers through a G1"
                + " client with a pool of 4, against the G1 server. The embedded G2 server answers one request at a time"
                + " per connection, in order. The target is judged on the 16 caller threads.\n\n");
        md.append("| path | calls/s | × limit | alloc B/call |\n|---|---:|---:|---:|\n");
        JsonNode limit = find("G2PipelineBenchmark.limit_16inFlight", Map.of());
        String[][] paths = {
            {"limit_16inFlight", "the limit: one bare G2 socket, 16 in flight"},
            {"client_16threads", "`HpxClient` G2, 16 callers, one connection"},
            {"client_16inFlightAsync", "`HpxClient` G2, one thread, 16 asynchronous calls in flight, one connection"},
            {"g1Pool4_16threads", "`HpxClient` G1, 16 callers, pool of 4 (G1 server)"}};
        for (String[] p : paths) {
            JsonNode r = find("G2PipelineBenchmark." + p[0], Map.of());
            md.append("| ").append(p[1]).append(" | ").append(score(r)).append(" | ").append(ratio(r, limit))
                    .append(" | ").append(alloc(r)).append(" |\n");
        }
        md.append('\n');
        target("G2: 16 callers pipelining on one connection ≥ 0.8× a bare socket pipelining the same calls",
                ratioOf("G2PipelineBenchmark.client_16threads", "G2PipelineBenchmark.limit_16inFlight", false), null, 0.8, true);
    }

    private void bigReplies() {
        md.append("### 3. Big replies (`get_items`, ms per call; garbage of earlier calls collected outside the timing)\n\n");
        md.append("`embedded`: the embedded server builds, serialises and compresses the reply on every call. `replay`: a"
                + " server that sends the embedded server's recorded reply frame byte for byte — the client's cost alone."
                + " Each client path is compared with the limit doing the same work: `limitBytes` (the reply's JSON as"
                + " `byte[]`), `limitTyped` (the limit + Jackson binding the whole message to records), `limitTree` (the"
                + " limit + Jackson `readTree` of the same bytes). MB/s counts the reply's JSON.\n\n");
        bigReplyTimes();
        bigReplyLinearity();
        bigReplyInterleaved();

        Double linWorst = null;
        for (String[] pair : BIG_REPLY_PAIRS) {
            Double l = linearity(pair[1], "replay");
            linWorst = l == null ? linWorst : linWorst == null ? l : Double.valueOf(Math.max(linWorst, l));
        }
        target("Big replies linear: 50 MB ≤ 11× the 5 MB time (client paths, replay server; worst of byte[], typed and JsonNode)",
                linWorst, null, 11, false);
        bigReplyTarget("byte[] reply ≤ 1.25× the limit (50 MB, replay server)", "clientBytes", "limitBytes");
        bigReplyTarget("JsonNode reply ≤ 1.25× (limit + readTree) (50 MB, replay server)", "clientTree", "limitTree");
    }

    private void bigReplyTimes() {
        md.append("| server | MB");
        for (String[] pair : BIG_REPLY_PAIRS) {
            md.append(" | ").append(pair[0]).append(" | ").append(pair[1]).append(" (× limit)");
        }
        md.append(" | clientTree MB/s | client alloc MB/call (bytes / typed / tree) |\n");
        md.append("|---|---:").append("|---:|---:".repeat(BIG_REPLY_PAIRS.length)).append("|---:|---:|\n");
        for (String server : SERVERS) {
            for (int mb : SIZES) {
                Map<String, String> p = Map.of("megabytes", String.valueOf(mb), "server", server);
                md.append("| ").append(server).append(" | ").append(mb);
                List<String> alloc = new ArrayList<>();
                for (String[] pair : BIG_REPLY_PAIRS) {
                    JsonNode limit = find("BigReplyBenchmark." + pair[0], p);
                    JsonNode client = find("BigReplyBenchmark." + pair[1], p);
                    md.append(" | ").append(score(limit)).append(" | ").append(score(client))
                            .append(" (").append(ratio(client, limit)).append(")");
                    alloc.add(client == null ? "" : fmt(allocBytes(client) / 1e6));
                }
                JsonNode tree = find("BigReplyBenchmark.clientTree", p);
                md.append(" | ").append(tree == null ? "" : fmt(mb * 1000.0 / scoreOf(tree)))
                        .append(" | ").append(String.join(" / ", alloc)).append(" |\n");
            }
        }
        md.append('\n');
    }

    private void bigReplyLinearity() {
        md.append("Linearity, time of 50 MB ÷ time of 5 MB (10 would be exactly linear):\n\n");
        md.append("| server");
        for (String[] pair : BIG_REPLY_PAIRS) {
            md.append(" | ").append(pair[0]).append(" | ").append(pair[1]);
        }
        md.append(" |\n|---").append("|---:|---:".repeat(BIG_REPLY_PAIRS.length)).append("|\n");
        for (String server : SERVERS) {
            md.append("| ").append(server);
            for (String[] pair : BIG_REPLY_PAIRS) {
                for (String path : pair) {
                    md.append(" | ").append(fmtOrBlank(linearity(path, server)));
                }
            }
            md.append(" |\n");
        }
        md.append('\n');
    }

    private void bigReplyInterleaved() {
        md.append("Interleaved (replay server; candidate time ÷ limit time, alternating calls):\n\n");
        md.append("| MB");
        for (String[] pair : BIG_REPLY_PAIRS) {
            md.append(" | ").append(pair[1]).append(" ÷ ").append(pair[0]);
        }
        md.append(" |\n|---:").append("|---:".repeat(BIG_REPLY_PAIRS.length)).append("|\n");
        for (String mb : new String[] {"5", "50"}) {
            md.append("| ").append(mb);
            for (String[] pair : BIG_REPLY_PAIRS) {
                md.append(" | ").append(fmtOrBlank(pairedTime("bigReply_" + pair[1], Map.of("megabytes", mb))));
            }
            md.append(" |\n");
        }
        md.append('\n');
    }

    /** A client path's time at 50 MB from the replay server, at most 1.25× its limit's. */
    private void bigReplyTarget(String what, String client, String limit) {
        Map<String, String> replay50 = Map.of("megabytes", "50", "server", "replay");
        target(what, timeRatio("BigReplyBenchmark." + client, "BigReplyBenchmark." + limit, replay50),
                pairedTime("bigReply_" + client, Map.of("megabytes", "50")), 1.25, false);
    }

    private void codec() {
        md.append("### 4. Frame codec alone, in memory (MB/s of JSON)\n\n");
        md.append("| operation | payload | limit MB/s | client MB/s | × limit | client alloc B/op | limit alloc B/op |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (String op : new String[] {"encode", "decodeBytes", "decodeTree"}) {
            for (String payload : new String[] {"small", "5MB"}) {
                Map<String, String> p = Map.of("payload", payload);
                JsonNode limit = find("FrameCodecBenchmark." + op + "_limit", p);
                JsonNode client = find("FrameCodecBenchmark." + op + "_client", p);
                Double l = secondary(limit, "jsonBytes");
                Double c = secondary(client, "jsonBytes");
                md.append("| ").append(op).append(" | ").append(payload).append(" | ")
                        .append(l == null ? "" : fmt(l / 1e6)).append(" | ").append(c == null ? "" : fmt(c / 1e6))
                        .append(" | ").append(l == null || c == null ? "" : fmt(c / l)).append(" | ")
                        .append(alloc(client)).append(" | ").append(alloc(limit)).append(" |\n");
            }
        }
        md.append('\n');
    }

    private void peakHeap(JsonNode heap) {
        md.append("### 5. Peak heap for one 50 MB reply\n\n");
        if (heap == null) {
            md.append("(not measured in this run)\n\n");
            peakTargets(MissingNode.getInstance(), Double.NaN);
            return;
        }
        md.append(String.format(Locale.ROOT, "Payload %,d bytes of JSON. Method: %s (resolution %d MB; baseline -Xmx%dm).%n%n",
                heap.path("payloadBytes").asLong(), heap.path("method").asText(), heap.path("resolutionMB").asInt(),
                heap.path("baselineMB").asInt()));
        double payloadMB = heap.path("payloadBytes").asDouble() / 1048576.0;
        md.append("| path | smallest -Xmx | peak (MB) | peak ÷ payload | the result alone (MB) | result ÷ payload"
                + " | peak beyond the result ÷ payload | kept by the idle connection after the call (MB) |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        heap.path("paths").fields().forEachRemaining(e -> {
            JsonNode p = e.getValue();
            double result = p.path("resultMB").asDouble(Double.NaN);
            md.append("| ").append(e.getKey()).append(" | ").append(p.path("smallestXmxMB").asInt()).append("m | ")
                    .append(p.path("peakMB").asInt()).append(" | ").append(fmt(p.path("peakOverPayload").asDouble()))
                    .append(" | ").append(fmt(result)).append(" | ").append(fmt(result / payloadMB)).append(" | ")
                    .append(fmt((p.path("peakMB").asDouble() - result) / payloadMB)).append(" | ")
                    .append(fmt(p.path("keptByConnectionMB").asDouble(Double.NaN))).append(" |\n");
        });
        md.append('\n');
        peakTargets(heap.path("paths"), payloadMB);
    }

    /** One target row per client path, with what its result alone needs and its limit's peak beside. */
    private void peakTargets(JsonNode paths, double payloadMB) {
        for (String[] t : PEAK_TARGETS) {
            JsonNode client = paths.path(t[1]);
            String beside = client.isMissingNode() ? "" : "; the result alone is "
                    + fmt(client.path("resultMB").asDouble(Double.NaN) / payloadMB) + "×, " + t[3] + " "
                    + fmt(paths.path(t[2]).path("peakOverPayload").asDouble(Double.NaN)) + "×";
            target("Peak heap ≤ 3× the payload (" + t[0] + beside + ")",
                    client.isMissingNode() ? null : client.path("peakOverPayload").asDouble(), null, 3, false);
        }
    }

    // ---- lookups --------------------------------------------------------------------------------------------

    private JsonNode find(String name, Map<String, String> params) {
        return find(name, params, false);
    }

    /** The result of that benchmark and those parameters, from the pinned (1 CPU) run or the other one. */
    private JsonNode find(String name, Map<String, String> params, boolean pinned) {
        String full = name.startsWith("FrameCodecBenchmark") ? "io.github.camelhpx.client.internal." + name : PKG + name;
        for (JsonNode r : results) {
            if (!r.path("benchmark").asText().equals(full)
                    || r.path("jvm").asText().contains(BenchmarkSuite.PINNED_JAVA_PREFIX) != pinned) {
                continue;
            }
            boolean all = true;
            for (Map.Entry<String, String> p : params.entrySet()) {
                all &= p.getValue().equals(r.path("params").path(p.getKey()).asText(null));
            }
            if (all) {
                return r;
            }
        }
        return null;
    }

    private static Double secondary(JsonNode r, String name) {
        if (r == null) {
            return null;
        }
        JsonNode secondary = r.path("secondaryMetrics");
        for (var it = secondary.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().replace("·", "").equals(name)) {
                return e.getValue().path("score").asDouble();
            }
        }
        return null;
    }

    private static double allocBytes(JsonNode r) {
        Double a = secondary(r, "gc.alloc.rate.norm");
        return a == null ? Double.NaN : a;
    }

    /** Throughput ratio of the interleaved pair: limit time ÷ candidate time. */
    private Double pairedSpeed(String method, Map<String, String> params, boolean pinned) {
        Double t = pairedTime(method, params, pinned);
        return t == null ? null : 1 / t;
    }

    /** Time ratio of the interleaved pair: candidate time ÷ limit time. */
    private Double pairedTime(String method, Map<String, String> params) {
        return pairedTime(method, params, false);
    }

    private Double pairedTime(String method, Map<String, String> params, boolean pinned) {
        JsonNode r = find("PairedRatioBenchmark." + method, params, pinned);
        Double limit = secondary(r, "limitNanos");
        Double candidate = secondary(r, "candidateNanos");
        return limit == null || candidate == null || limit == 0 ? null : candidate / limit;
    }

    private Double ratioOf(String candidate, String limit, boolean pinned) {
        JsonNode c = find(candidate, Map.of(), pinned);
        JsonNode l = find(limit, Map.of(), pinned);
        return c == null || l == null ? null : scoreOf(c) / scoreOf(l);
    }

    private Double timeRatio(String candidate, String limit, Map<String, String> params) {
        JsonNode c = find(candidate, params);
        JsonNode l = find(limit, params);
        return c == null || l == null ? null : scoreOf(c) / scoreOf(l);
    }

    private Double linearity(String path, String server) {
        JsonNode small = find("BigReplyBenchmark." + path, Map.of("megabytes", "5", "server", server));
        JsonNode big = find("BigReplyBenchmark." + path, Map.of("megabytes", "50", "server", server));
        return small == null || big == null ? null : scoreOf(big) / scoreOf(small);
    }

    private static double scoreOf(JsonNode r) {
        return r.path("primaryMetric").path("score").asDouble();
    }

    // ---- formatting -----------------------------------------------------------------------------------------

    /**
     * Records a target. The interleaved figure, when there is one, decides: it is the one background load
     * cannot skew; the separate-runs figure is shown beside it.
     */
    private void target(String what, Double separate, Double interleaved, double bound, boolean atLeast) {
        Double decisive = interleaved != null ? interleaved : separate;
        String measured;
        if (separate == null && interleaved == null) {
            measured = "not measured";
        } else if (interleaved == null) {
            measured = fmt(separate) + "×";
        } else {
            measured = fmt(interleaved) + "× interleaved" + (separate == null ? "" : " (" + fmt(separate) + "× in separate runs)");
        }
        String verdict = decisive == null ? "—" : (atLeast ? decisive >= bound : decisive <= bound) ? "met" : "**missed**";
        targets.add(new String[] {what, measured, verdict});
    }

    private static String score(JsonNode r) {
        if (r == null) {
            return "";
        }
        JsonNode m = r.path("primaryMetric");
        double error = m.path("scoreError").asDouble(Double.NaN);
        return fmt(m.path("score").asDouble()) + (Double.isNaN(error) ? "" : " ± " + fmt(error));
    }

    private static String ratio(JsonNode candidate, JsonNode limit) {
        if (candidate == null || limit == null) {
            return "";
        }
        return fmt(scoreOf(candidate) / scoreOf(limit));
    }

    private static String alloc(JsonNode r) {
        double a = r == null ? Double.NaN : allocBytes(r);
        return Double.isNaN(a) ? "" : String.format(Locale.ROOT, "%,.0f", a);
    }

    static String fmt(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "—";
        }
        double a = Math.abs(v);
        String f = a >= 1000 ? "%,.0f" : a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, f, v);
    }
}
