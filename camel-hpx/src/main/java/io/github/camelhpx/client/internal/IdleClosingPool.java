package io.github.camelhpx.client.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.apache.commons.pool2.PooledObjectFactory;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A commons-pool whose evictor does not leave a borrower waiting for nothing. A borrower that meets the pool at its
 * limit while the evictor is closing an idle object waits for one to be returned; the evictor frees the place
 * without waking it (commons-pool 2.13 wakes waiters when an object is invalidated, not when one is evicted), so with
 * every other object idle or none, the borrower would wait out its whole deadline. After each eviction run, a
 * borrower still waiting gets a new object, made on {@code executor} so that the evictor (shared by every pool in
 * the JVM) never waits for a connect.
 */
final class IdleClosingPool<T> extends GenericObjectPool<T> {

    private static final Logger LOG = LoggerFactory.getLogger(IdleClosingPool.class);

    private final Executor executor;

    IdleClosingPool(PooledObjectFactory<T> factory, GenericObjectPoolConfig<T> config, Executor executor) {
        super(factory, config);
        this.executor = executor;
    }

    @Override
    public void evict() throws Exception {
        super.evict();
        if (getNumWaiters() > 0 && getNumIdle() == 0) {
            try {
                executor.execute(this::addForWaiter);
            } catch (RejectedExecutionException closing) {
                // The client is closing: its waiters are failed by the close.
            }
        }
    }

    private void addForWaiter() {
        try {
            // Adds nothing when the pool is at its limit again: then an object is in use and will be returned.
            addObject();
        } catch (Exception e) {
            // The server cannot be reached: the waiter ends at its deadline, as it would have without this.
            LOG.debug("Could not open a connection for a call waiting after an eviction: {}", e.toString());
        }
    }
}
