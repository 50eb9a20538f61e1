package io.github.camelhpx.client.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.pool2.PooledObjectFactory;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A commons-pool that does not leave a borrower waiting for nothing, and never makes a waiter's object on the thread
 * of a call that returned a broken one (see {@link #returnObject}).
 * <p>
 * A borrower that meets the pool at its limit while the evictor is closing an idle object waits for one to be
 * returned; the evictor frees the place without waking it (commons-pool 2.13 wakes waiters when an object is
 * returned or invalidated, not when one is evicted), so with no object in use the borrower would wait out its whole
 * deadline. After each eviction run, a borrower still waiting where there is room gets a new object, made on
 * {@code refill} so that the evictor (shared by every pool in the JVM) never waits for a connect. A borrower that
 * starts waiting just after that look is seen by the next run, half an idle timeout later.
 */
final class WaiterRescuingPool<T> extends GenericObjectPool<T> {

    private static final Logger LOG = LoggerFactory.getLogger(WaiterRescuingPool.class);

    private final Executor refill;
    private final Runnable afterEviction;
    private final AtomicBoolean refilling = new AtomicBoolean();
    private volatile boolean evictionRun;
    private final AtomicBoolean clearAfterEviction = new AtomicBoolean();

    /**
     * @param refill runs the making of a new object; it must not wait for a thread a borrower may hold
     * @param afterEviction runs on the evictor's thread after each run, once any waiter is rescued; it must not wait
     */
    WaiterRescuingPool(PooledObjectFactory<T> factory, GenericObjectPoolConfig<T> config, Executor refill,
            Runnable afterEviction) {
        super(factory, config);
        this.refill = refill;
        this.afterEviction = afterEviction;
    }

    @Override
    public void evict() throws Exception {
        evictionRun = true;
        try {
            super.evict();
        } finally {
            evictionRun = false;
            if (clearAfterEviction.getAndSet(false)) {
                super.clear();
            }
            // Also when the run failed: it may have destroyed an object before it threw.
            rescueWaiter();
            afterEviction.run();
        }
    }

    /**
     * Clears once an eviction run in progress ended: the evictor checks an object while it stays idle, and a clear
     * meanwhile (for a broadcast that check, or a call on another thread, read; a retry) would destroy it under the
     * check, and the evictor again after it, which commons-pool counts twice, and so lets the pool grow past its size.
     * A borrow meanwhile checks what it takes.
     */
    @Override
    public void clear() {
        if (evictionRun) {
            clearAfterEviction.set(true);
            // The run may have ended between the look and the flag: then this thread clears, unless the run did.
            if (evictionRun || !clearAfterEviction.getAndSet(false)) {
                return;
            }
        }
        super.clear();
    }

    /**
     * An object that fails its check on return is destroyed, and commons-pool makes the waiter's on the returning
     * thread; the factory refuses that (the returning call has ended), so the refill makes it instead.
     */
    @Override
    public void returnObject(T object) {
        long destroyed = getDestroyedCount();
        super.returnObject(object);
        if (getDestroyedCount() != destroyed) {
            rescueWaiter();
        }
    }

    /** One refill at a time: a burst of returns or eviction runs starts no thread each. */
    private void rescueWaiter() {
        if (waiterWithRoom() && refilling.compareAndSet(false, true)) {
            try {
                refill.execute(this::addForWaiter);
            } catch (RuntimeException | Error e) {
                refilling.set(false);
                throw e;
            }
        }
    }

    private boolean waiterWithRoom() {
        return getNumWaiters() > 0 && getNumIdle() == 0 && getNumActive() < getMaxTotal();
    }

    private void addForWaiter() {
        // A second round for a waiter that came while the first ended (its rescue found this one running); no
        // more: connects of other borrowers fill the pool's room without showing, and addObject then adds nothing.
        for (int round = 0; round < 2; round++) {
            try {
                // For each waiter where there is room, up to the pool's size.
                for (int i = 0; i < getMaxTotal() && !isClosed() && waiterWithRoom(); i++) {
                    addObject();
                }
                if (isClosed()) {
                    // Closed while it connected: commons-pool leaves what it made idle there, open.
                    clear();
                }
            } catch (Exception e) {
                // The server cannot be reached: the waiter ends at its deadline, as it would have without this.
                LOG.debug("Could not open a connection for a call waiting for one: {}", e.toString());
            } finally {
                refilling.set(false);
            }
            if (isClosed() || !waiterWithRoom() || !refilling.compareAndSet(false, true)) {
                return;
            }
        }
        refilling.set(false);
    }
}
