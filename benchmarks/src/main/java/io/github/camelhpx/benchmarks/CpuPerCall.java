package io.github.camelhpx.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxRequest;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.SampleLibrary;

/**
 * A profiling aid, not a benchmark: the CPU time of the whole process (client, embedded server, everything) per
 * {@code get_version} call, and calls/s, for a path at some threads. On a machine with few CPUs a loaded path is
 * CPU-bound, so CPU per call tells where a client stands beside the limit better than wall time when other
 * jobs share the machine. Context switches per call count the thread hand-overs (and preemptions), allocation
 * per call the garbage; both barely depend on the load.
 * <p>
 * {@code java -cp benchmarks.jar io.github.camelhpx.benchmarks.CpuPerCall PATH THREADS SECONDS [ROUNDS]}, PATH one of
 * {@code bare} (a bare G1 socket per thread), {@code client} (one G1 client, pool 4), {@code clientOwn} (a G1
 * client per thread), {@code camel} / {@code camelSync} (G1 route, default / synchronous=true), {@code g2bare},
 * {@code g2client} (one G2 client, one connection), {@code g2async} (one G2 client, one connection, each thread keeping
 * 16 asynchronous calls in flight, the default {@code maxInFlight}), {@code g2camel} / {@code g2camelSync} (G2 route,
 * default / synchronous=true), and {@code g2bareTimed} (a bare G2 socket whose reads have a timeout, as a client's
 * must: what that costs the JDK's socket).
 */
public final class CpuPerCall {

    private CpuPerCall() {
    }

    private static java.util.Map<Long, Long> threadCpu(java.lang.management.ThreadMXBean bean) {
        java.util.Map<Long, Long> m = new java.util.HashMap<>();
        for (long id : bean.getAllThreadIds()) {
            long t = bean.getThreadCpuTime(id);
            if (t >= 0) {
                m.put(id, t);
            }
        }
        return m;
    }

    /** Context switches (voluntary and not) of every live thread of this process, from /proc (Linux). */
    static long contextSwitches() {
        long sum = 0;
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return 0;
        }
        for (java.io.File task : tasks) {
            try {
                for (String line : java.nio.file.Files.readAllLines(task.toPath().resolve("status"))) {
                    if (line.startsWith("voluntary_ctxt_switches") || line.startsWith("nonvoluntary_ctxt_switches")) {
                        sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                // a thread that ended meanwhile
            }
        }
        return sum;
    }

    public static void main(String[] args) throws Exception {
        String path = args[0];
        int threads = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        boolean g2 = path.startsWith("g2");
        HpxTestServer server = HpxTestServer.builder().host(ServerState.HOST).port(0)
                .protocol(g2 ? Protocol.G2 : Protocol.G1).library(SampleLibrary.galleries(100))
                .receivedMessagesLimit(0).build().start();
        int port = server.port();
        List<AutoCloseable> closing = new ArrayList<>();
        List<Runnable> callers = new ArrayList<>();
        HpxClient shared = null;
        ProducerTemplate template = null;
        String endpoint = null;
        if (path.equals("client") || path.equals("g2client") || path.equals("g2async")) {
            shared = HpxClient.builder().host(ServerState.HOST).port(port).poolSize(g2 ? 1 : 4)
                    .protocol(g2 ? HpxProtocol.G2 : HpxProtocol.G1).requestTimeout(Duration.ofSeconds(60)).build();
            closing.add(shared);
        }
        if (path.startsWith("camel") || path.startsWith("g2camel")) {
            String uri = "hpx:get_version?host=" + ServerState.HOST + "&port=" + port + "&poolSize=4"
                    + (g2 ? "&protocol=g2" : "") + (path.endsWith("amelSync") ? "&synchronous=true" : "");
            CamelContext context = new DefaultCamelContext();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:version").to(uri);
                }
            });
            context.start();
            closing.add(context);
            template = context.createProducerTemplate();
            endpoint = "direct:version";
        }
        for (int t = 0; t < threads; t++) {
            switch (path) {
                case "bare" -> {
                    BareSocketHpx bare = BareSocketHpx.connect(ServerState.HOST, port);
                    byte[] request = bare.message(Calls.GET_VERSION);
                    closing.add(bare);
                    callers.add(() -> bare.call(request));
                }
                case "g2bare", "g2bareTimed" -> {
                    BareG2 bare = BareG2.connect(ServerState.HOST, port);
                    if (path.equals("g2bareTimed")) {
                        bare.timed(Duration.ofMinutes(1));
                    }
                    byte[] request = bare.call(Calls.GET_VERSION);
                    closing.add(bare);
                    callers.add(() -> bare.call(request));
                }
                case "client", "g2client" -> {
                    HpxClient c = shared;
                    callers.add(() -> c.call("get_version"));
                }
                case "g2async" -> {
                    HpxClient c = shared;
                    HpxRequest<com.fasterxml.jackson.databind.JsonNode> getVersion =
                            HpxRequest.function("get_version", java.util.Map.of());
                    // A call counts when its reply came: the client queues what finds no free slot, without a bound.
                    java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(16);
                    callers.add(() -> {
                        window.acquireUninterruptibly();
                        c.executeAsync(getVersion).whenComplete((data, e) -> window.release());
                    });
                }
                case "clientOwn" -> {
                    HpxClient c = HpxClient.builder().host(ServerState.HOST).port(port).poolSize(1)
                            .requestTimeout(Duration.ofSeconds(60)).build();
                    closing.add(c);
                    callers.add(() -> c.call("get_version"));
                }
                default -> {
                    ProducerTemplate tp = template;
                    String e = endpoint;
                    callers.add(() -> tp.requestBody(e, (Object) null));
                }
            }
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threadsBean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round <= rounds; round++) {
            LongAdder calls = new LongAdder();
            LongAdder callerCpu = new LongAdder();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch done = new CountDownLatch(threads);
            List<Thread> ts = new ArrayList<>();
            for (Runnable caller : callers) {
                Thread th = new Thread(() -> {
                    long own0 = threadsBean.getCurrentThreadCpuTime();
                    while (!stop.get()) {
                        caller.run();
                        calls.increment();
                    }
                    callerCpu.add(threadsBean.getCurrentThreadCpuTime() - own0);
                    done.countDown();
                });
                ts.add(th);
            }
            long switches0 = contextSwitches();
            long alloc0 = threadsBean.getTotalThreadAllocatedBytes();
            java.util.Map<Long, Long> threadCpu0 = threadCpu(threadsBean);
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            ts.forEach(Thread::start);
            Thread.sleep(seconds * 1000L);
            stop.set(true);
            done.await();
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            java.util.Map<Long, Long> threadCpu1 = threadCpu(threadsBean);
            long alloc = threadsBean.getTotalThreadAllocatedBytes() - alloc0;
            long switches = contextSwitches() - switches0;
            long n = calls.sum();
            System.out.printf(Locale.ROOT, "%s %s threads=%d calls/s=%.0f cpu_us/call=%.2f switches/call=%.2f"
                    + " alloc_B/call=%.0f load=%.2f%n", round == 0 ? "warmup" : "round" + round, path, threads,
                    n / (wall / 1e9), cpu / 1e3 / n, (double) switches / n, (double) alloc / n, os.getSystemLoadAverage());
            if (System.getProperty("byThread") != null) {
                java.util.Map<String, Long> groups = new java.util.TreeMap<>();
                long javaThreads = 0;
                for (var e : threadCpu1.entrySet()) {
                    java.lang.management.ThreadInfo info = threadsBean.getThreadInfo(e.getKey());
                    String name = info == null ? "?" : info.getThreadName().replaceAll("[0-9]+", "N");
                    long d = e.getValue() - threadCpu0.getOrDefault(e.getKey(), 0L);
                    groups.merge(name, d, Long::sum);
                    javaThreads += d;
                }
                groups.put("(the calling threads)", callerCpu.sum());
                groups.put("(not Java threads: GC, JIT, VM)", cpu - javaThreads - callerCpu.sum());
                groups.forEach((name, d) -> {
                    if (d / 1e3 / n >= 0.05) {
                        System.out.printf(Locale.ROOT, "    %-50s %.2f us/call%n", name, d / 1e3 / n);
                    }
                });
            }
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
        server.close();
        System.exit(0);
    }
}
