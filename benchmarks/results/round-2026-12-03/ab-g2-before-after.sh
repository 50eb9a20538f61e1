#!/bin/sh
# A/B of this round's client changes: the camel-hpx classes before them (f279d81) and after (HEAD), same jar.
J=/work/wt-bench/benchmarks/target/benchmarks.jar
OLD=/tmp/old-src/camel-hpx/target/classes
for v in old new old new; do
  if [ $v = old ]; then CP=$OLD:$J; else CP=$J; fi
  echo "=== $v pinned round trips"
  taskset -c 1 java -cp $CP org.openjdk.jmh.Main 'G2RoundTripBenchmark\.(limit|client)$' -wi 8 -w 1 -i 5 -r 1 -f 1 -prof gc -rf json -rff /tmp/ab-$v-rt.json 2>&1 | grep -E "^G2RoundTrip.*(thrpt|alloc.rate.norm)"
  echo "=== $v 16 callers"
  java -cp $CP org.openjdk.jmh.Main 'G2PipelineBenchmark\.client_16threads' -wi 3 -w 1 -i 5 -r 1 -f 1 -prof gc 2>&1 | grep -E "^G2Pipeline.*(thrpt|alloc.rate.norm)"
done
