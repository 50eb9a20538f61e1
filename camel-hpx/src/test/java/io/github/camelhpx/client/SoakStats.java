package io.github.camelhpx.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.camelhpx.testkit.FaultRecord;
import io.github.camelhpx.testkit.Toxic;

/**
 * What a soak run counts, shared by its threads: calls, misrouted replies, failures by type, the untyped ones
 * themselves, and the longest call. Also the soak's settings, read from system properties so that the
 * {@code soak-long} profile can stretch a run without another test.
 */
public final class SoakStats {

    /** A call's value (thread:call, /a /b /c in a batch): what a misrouted reply holds of another call. */
    private static final Pattern CALL_ID = Pattern.compile("\\d+:\\d+(/[abc])?");

    /** {@code hpx.soak.seed}: repeat a run; otherwise a new seed per run, printed. */
    public static final String SEED = "hpx.soak.seed";
    /** {@code hpx.soak.calls}: calls per thread (at most). */
    public static final String CALLS = "hpx.soak.calls";
    /** {@code hpx.soak.seconds}: wall-clock budget of one soak (the loop also ends there). */
    public static final String SECONDS = "hpx.soak.seconds";

    /**
     * Given to every connection besides its random fault: a cut after 8 KiB towards the client, so that
     * connections keep being replaced and each new one draws a fault of its own (a long-lived pool would
     * otherwise meet only a few). Left out of the fault figures.
     */
    public static final Toxic CHURN = Toxic.cutAfter(Toxic.Direction.DOWNSTREAM, 8 * 1024);

    public final LongAdder calls = new LongAdder();
    public final LongAdder succeeded = new LongAdder();
    public final LongAdder misrouted = new LongAdder();
    public final LongAdder corrupted = new LongAdder();
    public final LongAccumulator maxCallNanos = new LongAccumulator(Math::max, 0);
    public final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    public final List<Throwable> untyped = Collections.synchronizedList(new ArrayList<>());
    public final List<String> misroutes = Collections.synchronizedList(new ArrayList<>());
    public final AtomicLong lateCalls = new AtomicLong();
    public final List<String> lateSamples = Collections.synchronizedList(new ArrayList<>());

    public static long seed() {
        String s = System.getProperty(SEED);
        return s == null || s.isBlank() ? System.nanoTime() ^ 0x5DEECE66DL : Long.parseLong(s.trim());
    }

    public static int intProperty(String name, int ciDefault) {
        String s = System.getProperty(name);
        return s == null || s.isBlank() ? ciDefault : Integer.parseInt(s.trim());
    }

    /** Records one call's end: {@code failure} null for a reply that reached its caller. */
    public void ended(long nanos, Throwable failure, long deadlineNanos, long graceNanos) {
        ended(nanos, failure, failure == null ? null : failure.getClass().getSimpleName(),
                failure instanceof HpxException, deadlineNanos, graceNanos);
    }

    /** Records one call's end, its failure counted under {@code type} and as untyped unless {@code typed}. */
    public void ended(long nanos, Throwable failure, String type, boolean typed, long deadlineNanos, long graceNanos) {
        calls.increment();
        maxCallNanos.accumulate(nanos);
        if (nanos > deadlineNanos + graceNanos) {
            lateCalls.incrementAndGet();
            if (lateSamples.size() < 10) {
                Throwable hpx = failure instanceof HpxException || failure == null ? failure : failure.getCause();
                lateSamples.add(nanos / 1_000_000 + "ms:" + (failure == null ? "reply" : type)
                        + (hpx == null ? "" : " '" + hpx.getMessage() + "'"));
            }
        }
        if (failure == null) {
            succeeded.increment();
            return;
        }
        failures.computeIfAbsent(type, k -> new LongAdder()).increment();
        if (!typed) {
            untyped.add(failure);
        }
    }

    /**
     * Records a reply that is not the call's own value: misrouted when it holds the value of another call, otherwise
     * corrupted (a G2 request or reply that upstream or downstream garbage changed and that still decoded: MessagePack
     * has no checksum, so the server may echo a value nobody sent, e.g. nil where a string header byte became 0xc0).
     */
    public void unexpected(String expected, Object got) {
        List<String> own = Arrays.asList(expected.split(","));
        Matcher ids = CALL_ID.matcher(String.valueOf(got));
        boolean another = false;
        while (ids.find()) {
            another |= !own.contains(ids.group());
        }
        if (!another) {
            corrupted.increment();
            return;
        }
        misrouted.increment();
        if (misroutes.size() < 20) {
            misroutes.add("expected " + expected + ", got " + got);
        }
    }

    public Map<String, Long> failuresByType() {
        Map<String, Long> out = new TreeMap<>();
        failures.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The random faults of the log, without the {@link #CHURN} cut every connection gets. */
    public static List<FaultRecord> withoutChurn(List<FaultRecord> log) {
        return log.stream().filter(r -> !r.toxic().equals(CHURN)).toList();
    }

    public static Map<String, Long> faultsByKind(List<FaultRecord> log) {
        return log.stream().collect(Collectors.groupingBy(
                r -> r.toxic().kind() + "/" + r.toxic().direction(), TreeMap::new, Collectors.counting()));
    }

    /** One line with every figure, to read off surefire's output. */
    public String summary(String label, long seed, List<FaultRecord> faults, int connections, long deadlineMillis,
            long wallMillis) {
        return String.format("SOAK %s seed=%d calls=%d ok=%d misrouted=%d corrupted=%d untyped=%d late=%d%s failures=%s"
                + " connections=%d faultedConnections=%d faults=%s maxCallMs=%d deadlineMs=%d wallMs=%d",
                label, seed, calls.sum(), succeeded.sum(), misrouted.sum(), corrupted.sum(), untyped.size(), lateCalls.get(),
                lateSamples.isEmpty() ? "" : lateSamples.toString(),
                failuresByType(), connections, faults.size(), faultsByKind(faults), maxCallNanos.get() / 1_000_000,
                deadlineMillis, wallMillis);
    }

    /** The threads alive now whose name says they belong to an HPX client or a Camel route, by name. */
    public static Set<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("hpx-client") || n.startsWith("hpx-reader") || n.startsWith("Camel ("))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
