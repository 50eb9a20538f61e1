package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.EvictionPolicy;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The evictor closing the pool's last object while a borrower waits at the pool's limit: the borrower gets a new
 * one at once instead of waiting out its deadline. The eviction runs are made by the test, at the moment it needs.
 */
class WaiterRescuingPoolTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger made = new AtomicInteger();
    private final CountDownLatch destroying = new CountDownLatch(1);
    private final CountDownLatch destroyMayEnd = new CountDownLatch(1);
    private WaiterRescuingPool<Integer> pool;
    private BooleanSupplier validation = () -> {
        throw new IllegalStateException("validation broke");
    };

    @AfterEach
    void stop() {
        destroyMayEnd.countDown();
        pool.close();
        threads.shutdownNow();
    }

    /** A pool of one object, whose eviction runs decide by {@code policy}; its objects fail validation. */
    private WaiterRescuingPool<Integer> pool(EvictionPolicy<Integer> policy) {
        GenericObjectPoolConfig<Integer> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(1);
        config.setBlockWhenExhausted(true);
        config.setJmxEnabled(false);
        config.setTestWhileIdle(true);
        config.setEvictionPolicy(policy);
        BasePooledObjectFactory<Integer> factory = new BasePooledObjectFactory<>() {
            @Override
            public Integer create() {
                return made.incrementAndGet();
            }

            @Override
            public PooledObject<Integer> wrap(Integer object) {
                return new DefaultPooledObject<>(object);
            }

            @Override
            public boolean validateObject(PooledObject<Integer> pooled) {
                return validation.getAsBoolean();
            }

            @Override
            public void destroyObject(PooledObject<Integer> pooled) throws InterruptedException {
                // Held here as a connection's close may be (a TLS close, a descheduled thread).
                destroying.countDown();
                destroyMayEnd.await();
            }
        };
        // Replacements are made on the evicting thread: when an eviction run returns, what it added is there.
        pool = new WaiterRescuingPool<>(factory, config, Runnable::run, () -> {
        });
        return pool;
    }

    @Test
    void aBorrowerWaitingWhileTheEvictorClosesTheLastObjectGetsANewOne() throws Exception {
        pool((evictionConfig, underTest, idleCount) -> true);

        Eviction run = evictWithABorrowerWaiting();

        assertThat(run.borrowed().get(2, TimeUnit.SECONDS)).isEqualTo(2);
        run.done().get(5, TimeUnit.SECONDS);
    }

    @Test
    void anEvictionRunThatFailsAfterClosingTheLastObjectStillRescuesTheBorrower() throws Exception {
        // Kept by the policy, failed by validation: commons-pool destroys it, then rethrows.
        pool((evictionConfig, underTest, idleCount) -> false);

        Eviction run = evictWithABorrowerWaiting();

        assertThat(run.borrowed().get(2, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(run.done()).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .havingRootCause().withMessage("validation broke");
    }

    /**
     * A clear during an eviction run waits for the run to end. The evictor checks an idle object while it stays in the
     * idle queue: a clear then destroyed it under the check, and the evictor again after it, which commons-pool counted
     * twice (the pool could then make one object more than its size).
     */
    @Test
    void aClearDuringAnEvictionRunWaitsForItsEndSoNoObjectIsDestroyedTwice() throws Exception {
        CountDownLatch checking = new CountDownLatch(1);
        CountDownLatch checkMayEnd = new CountDownLatch(1);
        validation = () -> {
            checking.countDown();
            try {
                checkMayEnd.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        };
        pool((evictionConfig, underTest, idleCount) -> false);
        destroyMayEnd.countDown();
        pool.returnObject(pool.borrowObject());
        CompletableFuture<Void> run = CompletableFuture.runAsync(this::evict, threads);
        assertThat(checking.await(5, TimeUnit.SECONDS)).isTrue();

        pool.clear();
        checkMayEnd.countDown();
        run.get(5, TimeUnit.SECONDS);

        assertThat(pool.getDestroyedCount()).isEqualTo(1);
        assertThat(pool.getNumIdle()).isZero();
    }

    @Test
    void withNobodyWaitingAnEvictedObjectIsNotReplaced() throws Exception {
        pool((evictionConfig, underTest, idleCount) -> true);
        destroyMayEnd.countDown();
        pool.returnObject(pool.borrowObject());

        pool.evict();

        assertThat(pool.getNumIdle()).isZero();
        assertThat(made).hasValue(1);
    }

    private record Eviction(CompletableFuture<Void> done, CompletableFuture<Integer> borrowed) {
    }

    /** Starts an eviction run of the one idle object, and a borrower that waits while the run closes it. */
    private Eviction evictWithABorrowerWaiting() throws Exception {
        pool.returnObject(pool.borrowObject());
        CompletableFuture<Void> done = CompletableFuture.runAsync(this::evict, threads);
        assertThat(destroying.await(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Integer> borrowed = CompletableFuture.supplyAsync(this::borrowWithin5s, threads);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.getNumWaiters() == 1);
        destroyMayEnd.countDown();
        return new Eviction(done, borrowed);
    }

    private void evict() {
        try {
            pool.evict();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Integer borrowWithin5s() {
        try {
            return pool.borrowObject(Duration.ofSeconds(5));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
