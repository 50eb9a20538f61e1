#!/bin/sh
# A/B of this session's client changes (reads that block under a watchdog, the cheaper check on return):
# the camel-hpx classes of a915e2c ahead of the same jar ("old") against the jar's own ("new"), pinned to one CPU.
J=benchmarks/target/benchmarks.jar
OLD=/tmp/old-src/camel-hpx/target/classes
for v in old new old new; do
  if [ $v = old ]; then CP=$OLD:$J; else CP=$J; fi
  echo "=== $v"
  taskset -c 1 java -cp $CP org.openjdk.jmh.Main 'RoundTripBenchmark\.(limit|client)$' 'G2RoundTripBenchmark\.(limit|client)$' \
    -wi 6 -w 1 -i 5 -r 1 -f 1 -prof gc 2>&1 | grep -E "^(G2)?RoundTrip.*(thrpt|alloc.rate.norm)"
  taskset -c 1 java -cp $CP io.github.camelhpx.benchmarks.CpuPerCall client 1 4 2 2>&1 | tail -1
  taskset -c 1 java -cp $CP io.github.camelhpx.benchmarks.CpuPerCall g2client 1 4 2 2>&1 | tail -1
done
