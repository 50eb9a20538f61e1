package io.github.camelhpx.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which toxics each new connection gets, and the record of what every connection got. */
final class ToxicRules {

    private final List<Toxic> everyConnection = new ArrayList<>();
    private final List<Toxic> nextConnection = new ArrayList<>();
    private final Map<Integer, List<Toxic>> numbered = new HashMap<>();
    private RandomFaults random;
    private final List<FaultRecord> log = new ArrayList<>();

    synchronized void everyConnection(Toxic... toxics) {
        everyConnection.addAll(Arrays.asList(toxics));
    }

    synchronized void nextConnection(Toxic... toxics) {
        nextConnection.addAll(Arrays.asList(toxics));
    }

    synchronized void connection(int number, Toxic... toxics) {
        if (number < 1) {
            throw new IllegalArgumentException("connections are numbered from 1: " + number);
        }
        numbered.computeIfAbsent(number, n -> new ArrayList<>()).addAll(Arrays.asList(toxics));
    }

    synchronized void random(RandomFaults faults) {
        this.random = faults;
    }

    /** The toxics of connection {@code number}, in the order: every, next, numbered, random. */
    synchronized List<Toxic> assign(int number) {
        List<Toxic> toxics = new ArrayList<>(everyConnection);
        toxics.addAll(nextConnection);
        nextConnection.clear();
        toxics.addAll(numbered.getOrDefault(number, List.of()));
        numbered.remove(number);
        if (random != null) {
            random.pick(number).ifPresent(toxics::add);
        }
        for (Toxic t : toxics) {
            log.add(new FaultRecord(number, t));
        }
        return toxics;
    }

    synchronized void clear() {
        everyConnection.clear();
        nextConnection.clear();
        numbered.clear();
        random = null;
    }

    synchronized List<FaultRecord> log() {
        return List.copyOf(log);
    }
}
