package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The asynchronous commands of §8.1. A command's state is derived from the clock when asked, so no
 * background thread is needed: {@code started} until its duration has passed, then {@code finished}
 * (or {@code failed}); {@code stopped} once stopped.
 */
final class CommandService {

    static final String STARTED = "started";
    static final String FINISHED = "finished";
    static final String STOPPED = "stopped";
    static final String FAILED = "failed";

    /** One command; synchronized because several connections may poll and stop it at once. */
    static final class Command {
        final int id;
        final String title;
        final long startNanos = System.nanoTime();
        final long durationNanos;
        final Object value;
        final boolean fail;
        private String stoppedState;
        private long stoppedAtNanos;

        Command(int id, String title, long durationNanos, Object value, boolean fail) {
            this.id = id;
            this.title = title;
            this.durationNanos = durationNanos;
            this.value = value;
            this.fail = fail;
        }

        synchronized String state() {
            if (stoppedState != null) {
                return stoppedState;
            }
            if (System.nanoTime() - startNanos >= durationNanos) {
                return fail ? FAILED : FINISHED;
            }
            return STARTED;
        }

        synchronized String stop() {
            if (STARTED.equals(state())) {
                stoppedState = STOPPED;
                stoppedAtNanos = System.nanoTime();
            }
            return state();
        }

        synchronized ObjectNode progress() {
            String state = state();
            long elapsed = (stoppedState != null ? stoppedAtNanos : System.nanoTime()) - startNanos;
            double max = 100.0;
            double value = FINISHED.equals(state) ? max
                    : durationNanos == 0 ? max : Math.min(max, max * elapsed / (double) durationNanos);
            ObjectNode p = Json.object();
            p.put("title", title);
            p.put("subtitle", "");
            p.put("subtype", 1);
            p.put("text", state);
            p.put("value", value);
            p.put("percent", value / max * 100.0);
            p.put("max", max);
            p.put("type", 1);
            p.put("state", state);
            p.put("timestamp", System.currentTimeMillis() / 1000);
            return p;
        }
    }

    private final Map<Integer, Command> commands = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger(100);
    private final Duration defaultDuration;

    CommandService(Duration defaultDuration) {
        this.defaultDuration = defaultDuration;
    }

    int start(String title, Duration duration, Object value, boolean fail) {
        int id = ids.getAndIncrement();
        Duration d = duration == null ? defaultDuration : duration;
        commands.put(id, new Command(id, title, d.toNanos(), value == null ? Json.NODES.nullNode() : value, fail));
        return id;
    }

    int start(String title, Object value) {
        return start(title, null, value, false);
    }

    /** The command, or the 120 error the real server raised for an id it does not know. */
    Command get(Object id) {
        Command c = id instanceof Integer ? commands.get(id) : null;
        if (c == null) {
            throw new HpxApiError(120, "Command with ID '" + id + "' does not exist");
        }
        return c;
    }

    List<Command> all() {
        List<Command> list = new ArrayList<>(commands.values());
        list.sort((a, b) -> Integer.compare(a.id, b.id));
        return list;
    }

    void clear() {
        commands.clear();
    }
}
