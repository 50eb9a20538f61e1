package io.github.camelhpx.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time goes, from a JFR recording (e.g. one made by {@code -prof jfr}): the methods on top of the
 * sampled stacks (self) and anywhere on them (total), for the threads whose name matches a pattern. Java
 * samples ({@code jdk.ExecutionSample}) and native ones ({@code jdk.NativeMethodSample}, e.g. time in
 * {@code Deflater.deflateBytes}, or a thread blocked in a socket read) are counted apart, as JFR takes them
 * at different rates.
 * <p>
 * {@code java -cp benchmarks.jar io.github.camelhpx.benchmarks.JfrHotMethods profile.jfr [thread-regex] [top]}
 */
public final class JfrHotMethods {

    private JfrHotMethods() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrHotMethods recording.jfr [thread-name-regex] [top-n]");
            System.exit(2);
        }
        Pattern threads = Pattern.compile(args.length > 1 ? args[1] : ".*");
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        Map<String, Profile> profiles = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            if (thread == null || !threads.matcher(thread).matches()) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            profiles.computeIfAbsent(type, t -> new Profile()).add(stack.getFrames());
        }
        for (String type : List.of("jdk.ExecutionSample", "jdk.NativeMethodSample")) {
            Profile p = profiles.get(type);
            if (p != null) {
                p.print(type, top);
            }
        }
    }

    private static final class Profile {
        final Map<String, Integer> self = new HashMap<>();
        final Map<String, Integer> total = new HashMap<>();
        int samples;

        void add(List<RecordedFrame> frames) {
            samples++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    total.merge(n, 1, Integer::sum);
                }
            }
        }

        void print(String type, int top) {
            System.out.printf("%n%s: %d samples%n  self:%n", type, samples);
            self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                    .forEach(e -> System.out.printf(Locale.ROOT, "    %5.1f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
            System.out.printf("  total:%n");
            total.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                    .forEach(e -> System.out.printf(Locale.ROOT, "    %5.1f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
        }

        private static String name(RecordedFrame f) {
            return f.getMethod().getType().getName() + "." + f.getMethod().getName();
        }
    }
}
